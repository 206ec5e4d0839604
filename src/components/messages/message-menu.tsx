"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import {
  ArchiveRestore, Check, ClipboardCopy, ExternalLink, Flag, History, Link2, MoreHorizontal, OctagonPause, Pencil, PlayCircle, Tags, ThumbsDown,
  ThumbsUp, Trash2,
} from "lucide-react";
import { useTranslations } from "next-intl";
import { DropdownMenu } from "radix-ui";
import { type RefObject, useState } from "react";
import { menuItemClass } from "@/components/layout/menu-styles";
import { Button } from "@/components/ui/button";
import { useHydrated } from "@/components/use-hydrated";
import { cn } from "@/lib/utils";
import type { MessageView } from "@/server/domain/messages/dto";
import { useTRPC } from "@/trpc/react";
import { moderationErrorText } from "./moderation-errors";
import type { Vote } from "./reactions";

export type MessageDialog = "label" | "report" | "history" | "delete";

// The layout's menu look, scrolling inside when the long moderator menu does not fit on a small screen.
const contentClass =
  "z-50 min-w-52 max-h-[var(--radix-dropdown-menu-content-available-height)] overflow-y-auto rounded-md border bg-card p-1 text-card-foreground shadow-md";
const itemClass = cn(menuItemClass, "data-[disabled]:cursor-not-allowed data-[disabled]:opacity-50");
const separator = <DropdownMenu.Separator className="my-1 h-px bg-border" />;

async function copy(text: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    return false;
  }
}

/**
 * The "…" menu of a message (website §5.6): votes, label, report, links and text; edit and history for the author
 * and moderators; delete/undelete and stop/restart of the tree for moderators.
 */
export function MessageMenu({ message, isModerator, canVote, userVotes, onVote, onDialog, onEdit, onNotice, triggerRef }: {
  message: MessageView;
  isModerator: boolean;
  canVote: boolean;
  /** The user's votes, including an optimistic one. */
  userVotes: string[];
  onVote: (vote: Vote) => void;
  onDialog: (dialog: MessageDialog) => void;
  onEdit: () => void;
  onNotice: (text: string, tone?: "error") => void;
  triggerRef: RefObject<HTMLButtonElement | null>;
}) {
  const t = useTranslations("messages.menu");
  const tMessages = useTranslations("messages");
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [open, setOpen] = useState(false);
  const hydrated = useHydrated();
  const mayEdit = message.userIsAuthor || isModerator;
  const path = `/messages/${message.id}`;

  // Whether the tree is stopped is only needed when a moderator opens the menu.
  const treeState = useQuery(trpc.messages.treeState.queryOptions({ messageId: message.id }, { enabled: open && isModerator, retry: false }));
  // Active trees can be stopped; stopped and finished ones restarted (spec §3.2 halt=true/false).
  const stopped = treeState.data ? !treeState.data.active : false;
  const afterModeration = (notice: string) => ({
    onSuccess: async () => {
      onNotice(notice);
      await queryClient.invalidateQueries(trpc.messages.pathFilter());
    },
    onError: (error: unknown) => onNotice(moderationErrorText(tMessages, error), "error"),
  });
  const undelete = useMutation(trpc.moderation.undeleteMessage.mutationOptions(afterModeration(t("undeleted"))));
  const halt = useMutation(trpc.moderation.haltTree.mutationOptions(afterModeration(t("halted"))));
  const unhalt = useMutation(trpc.moderation.unhaltTree.mutationOptions(afterModeration(t("restarted"))));

  const copyAndTell = (text: string, done: string) =>
    void copy(text).then((ok) => onNotice(ok ? done : t("copyFailed"), ok ? undefined : "error"));

  return (
    <DropdownMenu.Root open={open} onOpenChange={setOpen} modal={false}>
      <DropdownMenu.Trigger asChild>
        <Button ref={triggerRef} variant="ghost" size="icon" className="size-8" aria-label={t("open")} disabled={!hydrated} data-testid="message-menu">
          <MoreHorizontal aria-hidden />
        </Button>
      </DropdownMenu.Trigger>
      <DropdownMenu.Portal>
        <DropdownMenu.Content align="end" sideOffset={4} collisionPadding={8} className={contentClass} data-testid="message-menu-content">
          {(["+1", "-1"] as const).map((vote) => {
            const Icon = vote === "+1" ? ThumbsUp : ThumbsDown;
            return (
              <DropdownMenu.CheckboxItem
                key={vote}
                className={itemClass}
                disabled={!canVote}
                checked={userVotes.includes(vote)}
                onSelect={() => onVote(vote)}
                data-testid={vote === "+1" ? "menu-upvote" : "menu-downvote"}
              >
                <Icon className="size-4" aria-hidden /> {t(vote === "+1" ? "upvote" : "downvote")}
                <DropdownMenu.ItemIndicator className="ms-auto">
                  <Check className="size-4" aria-hidden />
                </DropdownMenu.ItemIndicator>
              </DropdownMenu.CheckboxItem>
            );
          })}
          {message.userIsAuthor && <p className="px-2 pb-1 text-xs text-muted-foreground">{t("ownMessage")}</p>}
          {separator}
          <DropdownMenu.Item className={itemClass} disabled={message.deleted} onSelect={() => onDialog("label")} data-testid="menu-label">
            <Tags className="size-4" aria-hidden /> {t("label")}
          </DropdownMenu.Item>
          <DropdownMenu.Item className={itemClass} disabled={message.deleted} onSelect={() => onDialog("report")} data-testid="menu-report">
            <Flag className="size-4" aria-hidden /> {t("report")}
          </DropdownMenu.Item>
          {separator}
          <DropdownMenu.Item className={itemClass} onSelect={() => copyAndTell(new URL(path, window.location.origin).toString(), t("linkCopied"))} data-testid="menu-copy-link">
            <Link2 className="size-4" aria-hidden /> {t("copyLink")}
          </DropdownMenu.Item>
          <DropdownMenu.Item className={itemClass} onSelect={() => copyAndTell(message.text, t("textCopied"))} data-testid="menu-copy-text">
            <ClipboardCopy className="size-4" aria-hidden /> {t("copyText")}
          </DropdownMenu.Item>
          <DropdownMenu.Item asChild className={itemClass}>
            <a href={path} target="_blank" rel="noopener" data-testid="menu-new-tab">
              <ExternalLink className="size-4" aria-hidden /> {t("newTab")}
            </a>
          </DropdownMenu.Item>
          {mayEdit && (
            <>
              {separator}
              <DropdownMenu.Item className={itemClass} disabled={message.deleted} onSelect={onEdit} data-testid="menu-edit">
                <Pencil className="size-4" aria-hidden /> {t("edit")}
              </DropdownMenu.Item>
              <DropdownMenu.Item className={itemClass} onSelect={() => onDialog("history")} data-testid="menu-history">
                <History className="size-4" aria-hidden /> {t("history")}
              </DropdownMenu.Item>
            </>
          )}
          {isModerator && (
            <>
              {separator}
              <DropdownMenu.Label className="px-2 py-1 text-xs text-muted-foreground">{t("moderation")}</DropdownMenu.Label>
              <DropdownMenu.Item className={itemClass} onSelect={() => copyAndTell(message.id, t("idCopied"))} data-testid="menu-copy-id">
                <ClipboardCopy className="size-4" aria-hidden /> {t("copyId")}
              </DropdownMenu.Item>
              {message.deleted ? (
                <DropdownMenu.Item className={itemClass} disabled={undelete.isPending} onSelect={() => undelete.mutate({ messageId: message.id })} data-testid="menu-undelete">
                  <ArchiveRestore className="size-4" aria-hidden /> {t("undelete")}
                </DropdownMenu.Item>
              ) : (
                <DropdownMenu.Item className={cn(itemClass, "text-destructive")} onSelect={() => onDialog("delete")} data-testid="menu-delete">
                  <Trash2 className="size-4" aria-hidden /> {t("delete")}
                </DropdownMenu.Item>
              )}
              {stopped ? (
                <DropdownMenu.Item className={itemClass} disabled={unhalt.isPending} onSelect={() => unhalt.mutate({ messageId: message.id })} data-testid="menu-restart-tree">
                  <PlayCircle className="size-4" aria-hidden /> {t("restartTree")}
                </DropdownMenu.Item>
              ) : (
                <DropdownMenu.Item
                  className={itemClass}
                  disabled={!treeState.data || halt.isPending}
                  onSelect={() => halt.mutate({ messageId: message.id })}
                  data-testid="menu-halt-tree"
                >
                  <OctagonPause className="size-4" aria-hidden /> {treeState.isPending ? tMessages("loading") : t("haltTree")}
                </DropdownMenu.Item>
              )}
            </>
          )}
        </DropdownMenu.Content>
      </DropdownMenu.Portal>
    </DropdownMenu.Root>
  );
}
