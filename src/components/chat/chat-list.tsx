"use client";

import { useInfiniteQuery, useMutation, useQueryClient } from "@tanstack/react-query";
import { Eye, EyeOff, Loader2, MessageSquarePlus, Pencil, Trash2 } from "lucide-react";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useFormatter, useTranslations } from "next-intl";
import { useState } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { cn } from "@/lib/utils";
import { useTRPC } from "@/trpc/react";
import { chatErrorText } from "./chat-errors";
import { DeleteChatDialog } from "./delete-chat-dialog";
import type { ChatSummary } from "./types";

/** "New chat": creates an empty chat and opens it. */
export function NewChatButton({ className, size = "default" }: { className?: string; size?: "default" | "sm" }) {
  const t = useTranslations("chat");
  const trpc = useTRPC();
  const router = useRouter();
  const queryClient = useQueryClient();
  const create = useMutation(
    trpc.chat.create.mutationOptions({
      onSuccess: async (chat) => {
        await queryClient.invalidateQueries(trpc.chat.list.pathFilter());
        router.push(`/chat/${chat.id}`);
      },
    }),
  );
  return (
    <div className={cn("flex flex-col gap-2", className)}>
      <Button type="button" size={size} onClick={() => create.mutate()} disabled={create.isPending || create.isSuccess} data-testid="new-chat">
        {create.isPending || create.isSuccess ? <Loader2 className="animate-spin" /> : <MessageSquarePlus />} {t("newChat")}
      </Button>
      {create.error && <Alert variant="destructive">{chatErrorText(t, create.error)}</Alert>}
    </div>
  );
}

/** The user's chats, most recently active first, 20 a page; rename, hide/unhide and delete on each. */
export function ChatList({ activeId, compact = false }: { activeId?: string; compact?: boolean }) {
  const t = useTranslations("chat");
  const trpc = useTRPC();
  const [includeHidden, setIncludeHidden] = useState(false);
  const list = useInfiniteQuery(
    trpc.chat.list.infiniteQueryOptions({ limit: 20, includeHidden }, { getNextPageParam: (page) => page.nextCursor ?? undefined }),
  );
  const chats = list.data?.pages.flatMap((page) => page.chats) ?? [];

  return (
    <div className="flex flex-col gap-3" data-testid="chat-list">
      <NewChatButton size={compact ? "sm" : "default"} />
      <label className="flex items-center gap-2 text-xs text-muted-foreground">
        <input type="checkbox" checked={includeHidden} onChange={(event) => setIncludeHidden(event.target.checked)} className="accent-primary" data-testid="show-hidden" />
        {t("list.showHidden")}
      </label>
      {list.isPending ? (
        <div className="flex flex-col gap-2" aria-busy="true">
          {[0, 1, 2].map((index) => <div key={index} className="h-12 animate-pulse rounded-md bg-muted" />)}
        </div>
      ) : list.error ? (
        <Alert variant="destructive">{chatErrorText(t, list.error)}</Alert>
      ) : chats.length === 0 ? (
        <p className="rounded-md border border-dashed p-4 text-center text-sm text-muted-foreground" data-testid="chat-list-empty">{t("list.empty")}</p>
      ) : (
        <ul className="flex flex-col gap-1">
          {chats.map((chat) => <ChatListItem key={chat.id} chat={chat} active={chat.id === activeId} compact={compact} />)}
        </ul>
      )}
      {list.hasNextPage && (
        <Button type="button" variant="outline" size="sm" onClick={() => void list.fetchNextPage()} disabled={list.isFetchingNextPage} data-testid="chat-list-more">
          {list.isFetchingNextPage ? <Loader2 className="animate-spin" /> : null} {t("list.more")}
        </Button>
      )}
    </div>
  );
}

function ChatListItem({ chat, active, compact }: { chat: ChatSummary; active: boolean; compact: boolean }) {
  const t = useTranslations("chat");
  const format = useFormatter();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [renaming, setRenaming] = useState(false);
  const [deleting, setDeleting] = useState(false);
  const refresh = () => queryClient.invalidateQueries(trpc.chat.pathFilter());
  const rename = useMutation(trpc.chat.rename.mutationOptions({ onSuccess: async () => { setRenaming(false); await refresh(); } }));
  const hide = useMutation(trpc.chat.setHidden.mutationOptions({ onSuccess: refresh }));
  const title = chat.title ?? t("untitled");
  const error = rename.error ?? hide.error;

  return (
    <li className={cn("group rounded-md border border-transparent", active ? "border-border bg-accent" : "hover:bg-accent/60")} data-testid="chat-list-item">
      {renaming ? (
        <RenameForm initial={chat.title ?? ""} pending={rename.isPending} onCancel={() => setRenaming(false)}
          onSubmit={(value) => rename.mutate({ chatId: chat.id, title: value })} />
      ) : (
        <div className="flex items-center gap-1 p-1">
          <Link href={`/chat/${chat.id}`} className="flex min-w-0 flex-1 flex-col px-2 py-1" aria-current={active ? "page" : undefined}>
            <span className={cn("truncate text-sm font-medium", chat.hidden && "text-muted-foreground line-through")} data-testid="chat-title">{title}</span>
            {!compact && <span className="text-xs text-muted-foreground">{format.relativeTime(chat.modifiedAt)}</span>}
          </Link>
          <div className="flex shrink-0 items-center opacity-100 sm:opacity-0 sm:group-focus-within:opacity-100 sm:group-hover:opacity-100">
            <Button type="button" variant="ghost" size="icon" className="size-8" aria-label={t("list.rename", { title })} onClick={() => setRenaming(true)} data-testid="chat-rename">
              <Pencil />
            </Button>
            <Button type="button" variant="ghost" size="icon" className="size-8" disabled={hide.isPending}
              aria-label={chat.hidden ? t("list.unhide", { title }) : t("list.hide", { title })}
              onClick={() => hide.mutate({ chatId: chat.id, hidden: !chat.hidden })} data-testid={chat.hidden ? "chat-unhide" : "chat-hide"}>
              {chat.hidden ? <Eye /> : <EyeOff />}
            </Button>
            <Button type="button" variant="ghost" size="icon" className="size-8 hover:text-destructive" aria-label={t("list.delete", { title })}
              onClick={() => setDeleting(true)} data-testid="chat-delete">
              <Trash2 />
            </Button>
          </div>
        </div>
      )}
      {error && <p className="px-3 pb-2 text-xs text-destructive" role="alert">{chatErrorText(t, error)}</p>}
      <DeleteChatDialog chatId={chat.id} title={title} open={deleting} onOpenChange={setDeleting} leaveAfterDelete={active} />
    </li>
  );
}

/** Inline title editor: Enter saves, Esc cancels, blank is ignored; at most 100 characters (the server's limit). */
export function RenameForm({ initial, pending, onSubmit, onCancel }: {
  initial: string;
  pending: boolean;
  onSubmit: (value: string) => void;
  onCancel: () => void;
}) {
  const t = useTranslations("chat");
  const [value, setValue] = useState(initial);
  return (
    <form className="flex items-center gap-1 p-1" onSubmit={(event) => {
      event.preventDefault();
      if (value.trim()) onSubmit(value.trim());
    }}>
      <Input autoFocus value={value} maxLength={100} onChange={(event) => setValue(event.target.value)} aria-label={t("list.titleLabel")}
        onKeyDown={(event) => { if (event.key === "Escape") onCancel(); }} className="h-8" data-testid="chat-rename-input" />
      <Button type="submit" size="sm" className="h-8" disabled={pending || !value.trim()} data-testid="chat-rename-save">{t("save")}</Button>
    </form>
  );
}
