"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { Bot, Flag, ThumbsDown, ThumbsUp, UserRound } from "lucide-react";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useFormatter, useNow, useTranslations } from "next-intl";
import { useEffect, useRef, useState } from "react";
import { Markdown } from "@/components/markdown";
import { Badge } from "@/components/ui/badge";
import { useHydrated } from "@/components/use-hydrated";
import { cn } from "@/lib/utils";
import type { MessageView } from "@/server/domain/messages/dto";
import { useTRPC } from "@/trpc/react";
import { DeleteDialog } from "./delete-dialog";
import { errorText } from "./error-text";
import { HistoryDialog } from "./history-dialog";
import { LabelDialog } from "./label-dialog";
import { MessageEditor } from "./message-editor";
import { type MessageDialog, MessageMenu } from "./message-menu";
import { applyVote, showsVoteCounts, type Vote, VOTES } from "./reactions";

type Reactions = Pick<MessageView, "emojis" | "userEmojis">;
type Notice = { text: string; tone?: "error" };

/** Long texts in lists show their beginning, fading out; the message's page shows them whole. */
const CLAMPED = "max-h-56 overflow-hidden [mask-image:linear-gradient(to_bottom,black_70%,transparent)]";
const isLong = (text: string) => text.length > 700 || text.split("\n").length > 10;

/** Clicks on these keep their own meaning instead of opening the message. */
const INTERACTIVE = "a, button, input, textarea, select, label, [data-no-open]";

/**
 * One message (OA `MessageTableEntry`): role avatar, Markdown text, relative date, language, vote counts, badges and
 * the "…" menu. Clicking the card (outside its controls) opens the message's page.
 */
export function MessageEntry({ message, isModerator, highlighted = false, showRank = false, openOnClick = true, clampLong = false }: {
  message: MessageView;
  isModerator: boolean;
  highlighted?: boolean;
  /** In a tree: show the consensus rank among siblings. */
  showRank?: boolean;
  openOnClick?: boolean;
  /** In lists: cut long texts short (the full text is one click away). */
  clampLong?: boolean;
}) {
  const t = useTranslations("messages");
  const hydrated = useHydrated();
  const format = useFormatter();
  const now = useNow({ updateInterval: 60_000 });
  const router = useRouter();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const menuTrigger = useRef<HTMLButtonElement>(null);
  const [dialog, setDialog] = useState<MessageDialog | null>(null);
  const [editing, setEditing] = useState(false);
  const [notice, setNoticeState] = useState<Notice | null>(null);
  const setNotice = (text: string, tone?: "error") => setNoticeState({ text, tone });
  // A notice fades after a few seconds; a newer one restarts the clock.
  useEffect(() => {
    if (!notice) return;
    const timer = setTimeout(() => setNoticeState(null), notice.tone === "error" ? 8000 : 3000);
    return () => clearTimeout(timer);
  }, [notice]);

  // Optimistic votes: shown until fresh data for this message arrives (a new `message` object).
  const [override, setOverride] = useState<{ base: MessageView; reactions: Reactions } | null>(null);
  const reactions: Reactions = override?.base === message ? override.reactions : message;
  const vote = useMutation(
    trpc.messages.setEmoji.mutationOptions({
      onMutate: ({ emoji }) => setOverride({ base: message, reactions: applyVote(reactions, emoji as Vote) }),
      onSuccess: (updated) => {
        setOverride({ base: message, reactions: { emojis: updated.emojis, userEmojis: updated.userEmojis } });
        void queryClient.invalidateQueries(trpc.messages.pathFilter());
      },
      onError: (error) => {
        setOverride(null);
        setNotice(errorText(error, t("errors.generic")), "error");
      },
    }),
  );
  // The author cannot vote on their own message (the server ignores it anyway).
  const canVote = !message.userIsAuthor && !message.deleted;
  const onVote = (code: Vote) => {
    if (canVote && !vote.isPending) vote.mutate({ messageId: message.id, emoji: code, op: "toggle" });
  };
  const showCounts = showsVoteCounts({ userIsAuthor: message.userIsAuthor, userEmojis: reactions.userEmojis }, isModerator);
  const isAssistant = message.role === "assistant";
  const clamp = clampLong && !editing && isLong(message.text);
  const path = `/messages/${message.id}`;

  return (
    <article
      id={`message-${message.id}`}
      data-testid="message-entry"
      data-message-id={message.id}
      data-highlighted={highlighted || undefined}
      aria-current={highlighted ? "true" : undefined}
      onClick={(event) => {
        if (!openOnClick || editing || highlighted) return;
        const target = event.target as HTMLElement;
        // React bubbles events out of portals (menus, dialogs): only clicks on the card itself open the message.
        if (!event.currentTarget.contains(target) || target.closest(INTERACTIVE)) return;
        if (window.getSelection()?.toString()) return;
        router.push(path);
      }}
      className={cn(
        "flex gap-3 rounded-lg border p-3 transition-colors sm:p-4",
        isAssistant ? "bg-card" : "bg-muted/50",
        openOnClick && !highlighted && !editing && "cursor-pointer hover:border-primary/50",
        highlighted && "border-primary ring-2 ring-primary/30",
        message.deleted && "border-dashed opacity-75",
      )}
    >
      <div
        className={cn(
          "flex size-8 shrink-0 items-center justify-center rounded-full",
          isAssistant ? "bg-primary/10 text-primary" : "bg-secondary text-secondary-foreground",
        )}
        aria-hidden
      >
        {isAssistant ? <Bot className="size-4" /> : <UserRound className="size-4" />}
      </div>
      <div className="flex min-w-0 flex-1 flex-col gap-2">
        <header className="flex items-start gap-2">
          <div className="flex min-w-0 flex-1 flex-wrap items-center gap-x-2 gap-y-1 text-xs text-muted-foreground">
            <span className="font-semibold text-foreground">{isAssistant ? t("role.assistant") : t("role.prompter")}</span>
            {message.authorName && <span className="max-w-40 truncate">{message.authorName}</span>}
            <Link href={path} className="rounded-sm hover:text-foreground hover:underline" data-testid="message-link">
              <time dateTime={message.createdDate.toISOString()} title={format.dateTime(message.createdDate, { dateStyle: "full", timeStyle: "short" })}>
                {format.relativeTime(message.createdDate, now)}
              </time>
            </Link>
            <Badge variant="outline" className="uppercase" title={t("language")}>{message.lang}</Badge>
            {showRank && message.rank !== null && <Badge data-testid="rank-badge">{t("badge.rank", { rank: message.rank + 1 })}</Badge>}
            {message.userIsAuthor && <Badge data-testid="author-badge">{t("badge.author")}</Badge>}
            {message.synthetic && <Badge variant="secondary">{t("badge.synthetic")}</Badge>}
            {message.edited && <Badge variant="secondary" data-testid="edited-badge">{t("badge.edited")}</Badge>}
            {isModerator && message.deleted && <Badge variant="destructive" data-testid="deleted-badge">{t("badge.deleted")}</Badge>}
            {isModerator && message.reviewResult === false && <Badge variant="destructive" data-testid="spam-badge">{t("badge.spam")}</Badge>}
          </div>
          <MessageMenu
            message={message}
            isModerator={isModerator}
            canVote={canVote}
            userVotes={reactions.userEmojis}
            onVote={onVote}
            onDialog={setDialog}
            onEdit={() => setEditing(true)}
            onNotice={setNotice}
            triggerRef={menuTrigger}
          />
        </header>
        {editing ? (
          <div data-no-open>
            <MessageEditor
              message={message}
              onClose={(saved) => {
                setEditing(false);
                if (saved) setNotice(t("edit.saved"));
                menuTrigger.current?.focus();
              }}
            />
          </div>
        ) : (
          <div className={cn("min-w-0", clamp && CLAMPED)} data-testid="message-text">
            <Markdown>{message.text}</Markdown>
          </div>
        )}
        {(showCounts || notice) && (
          <footer className="flex flex-wrap items-center gap-2 text-xs">
            {showCounts &&
              VOTES.map((code) => {
                const mine = reactions.userEmojis.includes(code);
                return (
                  <button
                    key={code}
                    type="button"
                    disabled={!hydrated || !canVote || vote.isPending}
                    aria-pressed={mine}
                    aria-label={t(code === "+1" ? "votes.up" : "votes.down", { count: reactions.emojis[code] ?? 0 })}
                    onClick={() => onVote(code)}
                    data-testid={`count-${code === "+1" ? "up" : "down"}`}
                    className={cn(
                      "inline-flex h-7 items-center gap-1 rounded-full border px-2 tabular-nums disabled:cursor-default",
                      mine ? "border-primary bg-primary/10 text-primary" : "text-muted-foreground enabled:hover:bg-accent",
                    )}
                  >
                    {code === "+1" ? <ThumbsUp className="size-3.5" aria-hidden /> : <ThumbsDown className="size-3.5" aria-hidden />}
                    {reactions.emojis[code] ?? 0}
                  </button>
                );
              })}
            {isModerator && (reactions.emojis.red_flag ?? 0) > 0 && (
              <span className="inline-flex h-7 items-center gap-1 rounded-full border border-destructive/40 px-2 text-destructive" title={t("votes.reports")}>
                <Flag className="size-3.5" aria-hidden /> {reactions.emojis.red_flag}
              </span>
            )}
            {notice && (
              <span role={notice.tone === "error" ? "alert" : "status"} className={cn("ms-auto", notice.tone === "error" ? "text-destructive" : "text-muted-foreground")} data-testid="message-notice">
                {notice.text}
              </span>
            )}
          </footer>
        )}
      </div>
      <LabelDialog
        messageId={message.id}
        mode={dialog === "report" ? "report" : "label"}
        open={dialog === "label" || dialog === "report"}
        onOpenChange={(open) => !open && setDialog(null)}
        onDone={setNotice}
        returnFocusRef={menuTrigger}
      />
      <HistoryDialog messageId={message.id} open={dialog === "history"} onOpenChange={(open) => !open && setDialog(null)} returnFocusRef={menuTrigger} />
      <DeleteDialog
        messageId={message.id}
        childrenCount={message.childrenCount}
        open={dialog === "delete"}
        onOpenChange={(open) => !open && setDialog(null)}
        onDone={setNotice}
        returnFocusRef={menuTrigger}
      />
    </article>
  );
}
