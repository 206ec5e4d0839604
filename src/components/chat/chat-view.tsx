"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { ArrowUp, EyeOff, List, Loader2, MoreHorizontal, Pencil, Settings2, ShieldOff, Square, Trash2, X } from "lucide-react";
import Link from "next/link";
import { useTranslations } from "next-intl";
import { Dialog, DropdownMenu } from "radix-ui";
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { menuContentClass, menuItemClass } from "@/components/layout/menu-styles";
import { Alert } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { useTRPC } from "@/trpc/react";
import { chatErrorText } from "./chat-errors";
import { ChatList, RenameForm } from "./chat-list";
import { ConfigPanel } from "./config-panel";
import { ConfirmDialog } from "./confirm-dialog";
import { DeleteChatDialog } from "./delete-chat-dialog";
import { DraftPicker } from "./draft-picker";
import { MessageItem, type MessageActions } from "./message-item";
import { replyOptions, resolveModel, useChatSettings } from "./settings";
import { branchOf, newestLeafUnder, pathOf, siblingsOf } from "./tree";
import { isFailed, isUnfinished, type ChatDetail, type ChatMessage } from "./types";

/** The conversation page: chat list (lg+), the shown branch with its composer, and the config panel (xl+, else a dialog). */
export function ChatView({ chatId }: { chatId: string }) {
  const t = useTranslations("chat");
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const key = trpc.chat.get.queryKey({ chatId });
  const detail = useQuery(trpc.chat.get.queryOptions({ chatId }));
  const models = useQuery(trpc.chat.models.queryOptions(undefined, { refetchInterval: 30_000 }));
  const [settings, setSettings] = useChatSettings();
  const [tailId, setTailId] = useState<string | null>(null);
  const [draft, setDraft] = useState("");
  const [configOpen, setConfigOpen] = useState(false);
  /** Drafts of one reply waiting for the user's pick (regenerate writes NUM_GENERATED_DRAFTS of them). */
  const [drafting, setDrafting] = useState<{ parentId: string; ids: string[] } | null>(null);
  const stick = useRef(true);

  const messages = useMemo(() => detail.data?.messages ?? [], [detail.data]);
  const chat = detail.data?.chat;
  const drafts = useMemo(
    () => (drafting ? drafting.ids.flatMap((id) => messages.find((message) => message.id === id) ?? []) : []),
    [drafting, messages],
  );
  // Every draft failed: nothing to pick; the branch shows the last one (with its retry) instead.
  const draftsFailed = drafting !== null && drafts.length === drafting.ids.length && drafts.every((draft) => isFailed(draft));
  const picking = drafting && !draftsFailed ? drafting : null;
  // While drafts wait for a pick, the branch ends at the prompt they answer and the drafts are shown below it.
  const branchTail = draftsFailed ? drafting!.ids.at(-1)! : (tailId ?? chat?.activeThreadTailMessageId ?? null);
  const branch = useMemo(
    () => (picking ? pathOf(messages, picking.parentId) : branchOf(messages, branchTail)),
    [messages, picking, branchTail],
  );
  const leaf = picking ? undefined : branch.at(-1);
  const options = replyOptions(settings, models.data);
  const model = models.data?.models.find((candidate) => candidate.name === resolveModel(settings, models.data));

  const post = useMutation(trpc.chat.postMessage.mutationOptions());
  const request = useMutation(trpc.chat.requestReply.mutationOptions());
  const regenerate = useMutation(trpc.chat.regenerateDrafts.mutationOptions());
  const choose = useMutation(trpc.chat.chooseDraft.mutationOptions());
  const stop = useMutation(trpc.chat.stop.mutationOptions());
  const setActiveTail = useMutation(trpc.chat.setActiveTail.mutationOptions());
  const busy = post.isPending || request.isPending || regenerate.isPending;
  const actionError = post.error ?? request.error ?? regenerate.error ?? stop.error ?? choose.error;

  const upsert = useCallback(
    (...updates: (ChatMessage | null)[]) =>
      queryClient.setQueryData(key, (old) => {
        if (!old) return old;
        const byId = new Map(old.messages.map((message) => [message.id, message]));
        for (const update of updates) if (update) byId.set(update.id, update);
        return { ...old, messages: [...byId.values()].sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime()) };
      }),
    [queryClient, key],
  );
  const refresh = useCallback(() => queryClient.invalidateQueries({ queryKey: key }), [queryClient, key]);

  // Follow the text while it streams, unless the reader scrolled up.
  useEffect(() => {
    const onScroll = () => {
      stick.current = window.innerHeight + window.scrollY >= document.documentElement.scrollHeight - 80;
    };
    window.addEventListener("scroll", onScroll, { passive: true });
    return () => window.removeEventListener("scroll", onScroll);
  }, []);
  const follow = useCallback(() => {
    if (stick.current) window.scrollTo({ top: document.documentElement.scrollHeight });
  }, []);

  const resetErrors = () => {
    post.reset();
    request.reset();
    regenerate.reset();
    stop.reset();
    choose.reset();
  };

  const chooseDraft = (chosen: ChatMessage) => {
    resetErrors();
    choose.mutate(
      { messageId: chosen.id, otherMessageIds: drafts.filter((draft) => draft.id !== chosen.id).map((draft) => draft.id) },
      {
        onSuccess: () => {
          setTailId(chosen.id);
          setDrafting(null);
          void refresh();
        },
      },
    );
  };

  const canReply = !picking && (!leaf || (leaf.role === "assistant" && leaf.state === "complete"));

  async function send() {
    const content = draft.trim();
    if (!content || busy || !options || !canReply) return;
    resetErrors();
    stick.current = true;
    try {
      const result = await post.mutateAsync({ chatId, parentId: leaf?.id ?? null, content, reply: options });
      upsert(result.prompt, result.reply);
      setTailId(result.reply?.id ?? result.prompt.id);
      setDrafting(null);
      setDraft("");
      void refresh();
      if (!leaf) void queryClient.invalidateQueries(trpc.chat.list.pathFilter()); // the title
    } catch {
      // shown from post.error
    }
  }

  const actions: MessageActions = {
    busy,
    selectSibling: (id) => {
      const tail = newestLeafUnder(messages, id);
      setDrafting(null);
      setTailId(tail);
      setActiveTail.mutate({ chatId, messageId: tail });
    },
    edit: async (message, content) => {
      if (!options) return false;
      resetErrors();
      try {
        const result = await post.mutateAsync({ chatId, parentId: message.parentId, content, reply: options });
        upsert(result.prompt, result.reply);
        setTailId(result.reply?.id ?? result.prompt.id);
        setDrafting(null);
        void refresh();
        return true;
      } catch {
        return false;
      }
    },
    regenerate: (message) => {
      resetErrors();
      stick.current = true;
      regenerate.mutate(
        { messageId: message.id, ...(options ?? {}) },
        {
          onSuccess: (replies) => {
            upsert(...replies);
            if (replies.length > 1) setDrafting({ parentId: replies[0]!.parentId!, ids: replies.map((reply) => reply.id) });
            else {
              setDrafting(null);
              setTailId(replies[0]!.id);
            }
            void refresh();
          },
        },
      );
    },
    stop: (message) => {
      stop.mutate({ messageId: message.id }, { onSuccess: (stopped) => { if (!isUnfinished(stopped)) upsert(stopped); } });
    },
    finished: (message) => {
      upsert(message);
      void refresh();
    },
    progress: follow,
  };

  if (detail.isPending) {
    return (
      <div className="flex flex-col gap-4" aria-busy="true" data-testid="chat-loading">
        <div className="h-8 w-64 animate-pulse rounded bg-muted" />
        {[0, 1, 2].map((index) => <div key={index} className="h-20 animate-pulse rounded-xl bg-muted" />)}
      </div>
    );
  }
  if (detail.error || !chat) {
    return (
      <div className="mx-auto flex max-w-md flex-col items-center gap-4 py-16 text-center" data-testid="chat-not-found">
        <p className="text-muted-foreground">{chatErrorText(t, detail.error)}</p>
        <Button asChild variant="outline"><Link href="/chat">{t("backToList")}</Link></Button>
      </div>
    );
  }

  const config = <ConfigPanel listing={models.data} settings={settings} onChange={setSettings} />;

  return (
    <div className="grid gap-6 lg:grid-cols-[15rem_minmax(0,1fr)] xl:grid-cols-[15rem_minmax(0,1fr)_17rem]">
      <aside className="hidden lg:block" aria-label={t("list.title")}>
        <div className="sticky top-20 max-h-[calc(100dvh-6rem)] overflow-y-auto pe-1">
          <ChatList activeId={chatId} compact />
        </div>
      </aside>

      <section className="flex min-h-[calc(100dvh-10rem)] min-w-0 flex-col gap-4" data-testid="chat-view">
        <ChatHeader chat={chat} />

        <div className="flex flex-1 flex-col gap-2" data-testid="chat-messages">
          {branch.length === 0 && (
            <div className="flex flex-1 flex-col items-center justify-center gap-2 py-16 text-center" data-testid="chat-empty">
              <p className="text-lg font-medium">{t("empty.title")}</p>
              <p className="max-w-sm text-sm text-muted-foreground">{t("empty.lead")}</p>
            </div>
          )}
          {branch.map((message) => (
            <MessageItem
              key={message.id}
              chat={chat}
              message={message}
              siblings={siblingsOf(messages, message)}
              isLeaf={message.id === leaf?.id}
              actions={actions}
            />
          ))}
          {picking && (
            <DraftPicker drafts={drafts} choosing={choose.isPending} onChoose={chooseDraft} onStop={actions.stop} onFinished={actions.finished} onProgress={follow} />
          )}
          {leaf?.role === "prompter" && (
            <div className="flex flex-wrap items-center gap-2 ps-14">
              <p className="text-sm text-muted-foreground">{t("noReply")}</p>
              <Button type="button" size="sm" variant="outline" disabled={busy || !options} data-testid="request-reply"
                onClick={() => {
                  if (!options) return;
                  resetErrors();
                  request.mutate({ parentId: leaf.id, ...options }, { onSuccess: (reply) => { upsert(reply); setTailId(reply.id); void refresh(); } });
                }}>
                {t("getReply")}
              </Button>
            </div>
          )}
        </div>

        <div className="sticky bottom-0 -mx-1 flex flex-col gap-2 bg-background/95 px-1 pb-3 pt-2 backdrop-blur">
          {actionError && <Alert variant="destructive" data-testid="chat-error">{chatErrorText(t, actionError)}</Alert>}
          {leaf && isFailed(leaf) && <p className="text-xs text-muted-foreground">{t("failedHint")}</p>}
          {picking && <p className="text-xs text-muted-foreground" data-testid="pick-draft-hint">{t("drafts.pickFirst")}</p>}
          {model && model.workersOnline === 0 && <p className="text-xs text-amber-700 dark:text-amber-400" data-testid="no-worker-warning">{t("noWorkerWarning", { model: model.label })}</p>}
          <form
            className="flex items-end gap-2 rounded-xl border bg-card p-2 shadow-sm focus-within:outline-2 focus-within:outline-ring"
            onSubmit={(event) => {
              event.preventDefault();
              void send();
            }}
          >
            <Button type="button" variant="ghost" size="icon" className="shrink-0 xl:hidden" aria-label={t("config.open")} onClick={() => setConfigOpen(true)} data-testid="config-open">
              <Settings2 />
            </Button>
            <textarea
              value={draft}
              onChange={(event) => setDraft(event.target.value)}
              onKeyDown={(event) => {
                if (event.key === "Enter" && !event.shiftKey && !event.nativeEvent.isComposing) {
                  event.preventDefault();
                  void send();
                }
              }}
              rows={Math.min(8, Math.max(1, draft.split("\n").length))}
              placeholder={t("input.placeholder")}
              aria-label={t("input.label")}
              data-testid="chat-input"
              className="max-h-60 min-h-10 flex-1 resize-none bg-transparent px-2 py-2 text-base outline-none sm:text-sm"
            />
            {leaf && isUnfinished(leaf) ? (
              <Button type="button" variant="secondary" className="shrink-0" onClick={() => actions.stop(leaf)} disabled={stop.isPending} data-testid="stop">
                <Square className="fill-current" /> {t("stop")}
              </Button>
            ) : (
              <Button type="submit" size="icon" className="shrink-0" disabled={busy || !draft.trim() || !options || !canReply} aria-label={t("input.send")} data-testid="send">
                {busy ? <Loader2 className="animate-spin" /> : <ArrowUp />}
              </Button>
            )}
          </form>
          <p className="text-center text-[11px] text-muted-foreground">{t("input.hint")}</p>
        </div>
      </section>

      <aside className="hidden xl:block" aria-label={t("config.title")}>
        <div className="sticky top-20 max-h-[calc(100dvh-6rem)] overflow-y-auto rounded-xl border bg-card p-4">{config}</div>
      </aside>

      <Dialog.Root open={configOpen} onOpenChange={setConfigOpen}>
        <Dialog.Portal>
          <Dialog.Overlay className="fixed inset-0 z-50 bg-black/50 xl:hidden" />
          <Dialog.Content
            className="fixed inset-y-0 right-0 z-50 flex w-[min(92vw,22rem)] flex-col gap-4 overflow-y-auto border-s bg-card p-5 shadow-xl xl:hidden"
            data-testid="config-drawer"
          >
            <div className="flex items-center justify-between">
              <Dialog.Title className="text-lg font-semibold">{t("config.title")}</Dialog.Title>
              <Dialog.Description className="sr-only">{t("config.title")}</Dialog.Description>
              <Dialog.Close className="rounded-md p-1 text-muted-foreground hover:bg-accent" aria-label={t("close")}><X className="size-4" /></Dialog.Close>
            </div>
            {config}
          </Dialog.Content>
        </Dialog.Portal>
      </Dialog.Root>
    </div>
  );
}

/** Title (rename), badges, and the chat's menu: hide/unhide, opt out of data use, delete. */
function ChatHeader({ chat }: { chat: ChatDetail["chat"] }) {
  const t = useTranslations("chat");
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [renaming, setRenaming] = useState(false);
  const [confirm, setConfirm] = useState<"delete" | "optOut" | null>(null);
  const refresh = () => queryClient.invalidateQueries(trpc.chat.pathFilter());
  const rename = useMutation(trpc.chat.rename.mutationOptions({ onSuccess: async () => { setRenaming(false); await refresh(); } }));
  const hide = useMutation(trpc.chat.setHidden.mutationOptions({ onSuccess: refresh }));
  const optOut = useMutation(trpc.chat.optOut.mutationOptions({ onSuccess: async () => { setConfirm(null); await refresh(); } }));
  const title = chat.title ?? t("untitled");
  const error = rename.error ?? hide.error;

  return (
    <header className="flex flex-col gap-2 border-b pb-3">
      <div className="flex items-center gap-2">
        <Button asChild variant="ghost" size="icon" className="shrink-0 lg:hidden" aria-label={t("list.title")}>
          <Link href="/chat" data-testid="back-to-list"><List /></Link>
        </Button>
        {renaming ? (
          <div className="flex-1">
            <RenameForm initial={chat.title ?? ""} pending={rename.isPending} onCancel={() => setRenaming(false)}
              onSubmit={(value) => rename.mutate({ chatId: chat.id, title: value })} />
          </div>
        ) : (
          <h1 className="min-w-0 flex-1 truncate text-xl font-semibold tracking-tight" data-testid="chat-heading">{title}</h1>
        )}
        <DropdownMenu.Root>
          <DropdownMenu.Trigger asChild>
            <Button type="button" variant="ghost" size="icon" className="shrink-0" aria-label={t("menu.label")} data-testid="chat-menu">
              <MoreHorizontal />
            </Button>
          </DropdownMenu.Trigger>
          <DropdownMenu.Portal>
            <DropdownMenu.Content align="end" sideOffset={4} className={`${menuContentClass} min-w-52`}>
              <DropdownMenu.Item className={menuItemClass} onSelect={() => setRenaming(true)} data-testid="menu-rename">
                <Pencil className="size-4" aria-hidden /> {t("menu.rename")}
              </DropdownMenu.Item>
              <DropdownMenu.Item className={menuItemClass} onSelect={() => hide.mutate({ chatId: chat.id, hidden: !chat.hidden })} data-testid="menu-hide">
                <EyeOff className="size-4" aria-hidden /> {chat.hidden ? t("menu.unhide") : t("menu.hide")}
              </DropdownMenu.Item>
              {chat.allowDataUse && (
                <DropdownMenu.Item className={menuItemClass} onSelect={() => setConfirm("optOut")} data-testid="menu-opt-out">
                  <ShieldOff className="size-4" aria-hidden /> {t("menu.optOut")}
                </DropdownMenu.Item>
              )}
              <DropdownMenu.Item className={`${menuItemClass} text-destructive`} onSelect={() => setConfirm("delete")} data-testid="menu-delete">
                <Trash2 className="size-4" aria-hidden /> {t("menu.delete")}
              </DropdownMenu.Item>
            </DropdownMenu.Content>
          </DropdownMenu.Portal>
        </DropdownMenu.Root>
      </div>
      {(chat.hidden || !chat.allowDataUse) && (
        <div className="flex flex-wrap items-center gap-2">
          {chat.hidden && (
            <Badge variant="secondary" data-testid="hidden-badge">
              {t("hiddenBadge")}
              <button type="button" className="ms-2 underline" onClick={() => hide.mutate({ chatId: chat.id, hidden: false })}>{t("menu.unhide")}</button>
            </Badge>
          )}
          {!chat.allowDataUse && <Badge variant="outline" data-testid="opted-out-badge">{t("optedOut")}</Badge>}
        </div>
      )}
      {error && <p className="text-sm text-destructive" role="alert">{chatErrorText(t, error)}</p>}
      <DeleteChatDialog chatId={chat.id} title={title} open={confirm === "delete"}
        onOpenChange={(open) => setConfirm(open ? "delete" : null)} leaveAfterDelete />
      <ConfirmDialog
        open={confirm === "optOut"}
        onOpenChange={(open) => setConfirm(open ? "optOut" : null)}
        title={t("optOut.title")}
        description={t("optOut.description")}
        confirmLabel={t("optOut.confirm")}
        onConfirm={() => optOut.mutate({ chatId: chat.id })}
        pending={optOut.isPending}
        error={optOut.error ? chatErrorText(t, optOut.error) : null}
        testId="chat-opt-out-dialog"
      />
    </header>
  );
}
