"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import {
  Bot, Check, ChevronLeft, ChevronRight, Copy, Flag, Pencil, RotateCcw, Square, ThumbsDown, ThumbsUp, User,
} from "lucide-react";
import { useTranslations } from "next-intl";
import { useState } from "react";
import { Markdown } from "@/components/markdown";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { cn } from "@/lib/utils";
import { useTRPC } from "@/trpc/react";
import { chatErrorText } from "./chat-errors";
import { LiveReply } from "./live-reply";
import { PromptEditor } from "./prompt-editor";
import { ReportDialog } from "./report-dialog";
import { isFailed, isUnfinished, type ChatDetail, type ChatMessage } from "./types";

export type MessageActions = {
  selectSibling: (id: string) => void;
  edit: (message: ChatMessage, content: string) => Promise<boolean>;
  regenerate: (message: ChatMessage) => void;
  stop: (message: ChatMessage) => void;
  finished: (message: ChatMessage) => void;
  progress: () => void;
  busy: boolean;
};

const iconButton = "size-8 text-muted-foreground hover:text-foreground";

/** One entry of the shown branch: the sibling pager, the content and what can be done with it. */
export function MessageItem({ chat, message, siblings, isLeaf, actions }: {
  chat: ChatDetail["chat"];
  message: ChatMessage;
  siblings: ChatMessage[];
  isLeaf: boolean;
  actions: MessageActions;
}) {
  const t = useTranslations("chat");
  const [editing, setEditing] = useState(false);
  const [reporting, setReporting] = useState(false);
  const [copied, setCopied] = useState(false);
  const index = siblings.findIndex((sibling) => sibling.id === message.id);
  const assistant = message.role === "assistant";
  const unfinished = isUnfinished(message);

  return (
    <article
      className={cn("group flex gap-3 rounded-xl p-3 sm:p-4", assistant ? "bg-muted/50" : "bg-transparent")}
      data-testid={assistant ? "assistant-message" : "prompter-message"}
      data-state={message.state}
      data-message-id={message.id}
    >
      <div className={cn("flex size-8 shrink-0 items-center justify-center rounded-full", assistant ? "bg-primary text-primary-foreground" : "bg-secondary")} aria-hidden>
        {assistant ? <Bot className="size-4" /> : <User className="size-4" />}
      </div>
      <div className="flex min-w-0 flex-1 flex-col gap-2">
        <div className="flex min-h-6 flex-wrap items-center gap-2 text-xs text-muted-foreground">
          <span className="font-medium text-foreground">{assistant ? t("assistant") : t("you")}</span>
          {siblings.length > 1 && (
            <nav className="flex items-center" aria-label={t("branch.label")} data-testid="branch-pager">
              <Button type="button" variant="ghost" size="icon" className="size-6" disabled={index <= 0 || actions.busy}
                onClick={() => actions.selectSibling(siblings[index - 1]!.id)} aria-label={t("branch.previous")} data-testid="branch-previous">
                <ChevronLeft />
              </Button>
              <span className="tabular-nums" data-testid="branch-position">{index + 1}/{siblings.length}</span>
              <Button type="button" variant="ghost" size="icon" className="size-6" disabled={index >= siblings.length - 1 || actions.busy}
                onClick={() => actions.selectSibling(siblings[index + 1]!.id)} aria-label={t("branch.next")} data-testid="branch-next">
                <ChevronRight />
              </Button>
            </nav>
          )}
          {message.stopped && <Badge variant="secondary" data-testid="stopped-badge">{t("stopped")}</Badge>}
          {message.reports.length > 0 && <Badge variant="outline">{t("report.reported")}</Badge>}
        </div>

        {editing ? (
          <PromptEditor
            initial={message.content ?? ""}
            onCancel={() => setEditing(false)}
            onSubmit={async (content) => {
              if (await actions.edit(message, content)) setEditing(false);
            }}
            busy={actions.busy}
          />
        ) : unfinished ? (
          <LiveReply key={message.id} message={message} onFinished={actions.finished} onProgress={actions.progress} />
        ) : isFailed(message) ? (
          <div className="rounded-md border border-destructive/40 bg-destructive/5 p-3 text-sm text-destructive" role="alert" data-testid="reply-error">
            <p className="font-medium">{t(`failed.${message.state as "aborted_by_worker" | "cancelled" | "timeout"}`)}</p>
            {message.error && <p className="mt-1 text-destructive/80">{message.error}</p>}
          </div>
        ) : assistant ? (
          <Markdown>{message.content ?? ""}</Markdown>
        ) : (
          <p className="whitespace-pre-wrap break-words text-sm leading-relaxed">{message.content}</p>
        )}

        {!editing && (
          <div className="flex flex-wrap items-center gap-1">
            {assistant && unfinished && (
              <Button type="button" variant="outline" size="sm" onClick={() => actions.stop(message)} data-testid="stop-message">
                <Square /> {t("stop")}
              </Button>
            )}
            {assistant && !unfinished && (
              <>
                {(isLeaf || isFailed(message)) && (
                  <Button type="button" variant="ghost" size="sm" className="text-muted-foreground" disabled={actions.busy}
                    onClick={() => actions.regenerate(message)} data-testid="regenerate">
                    <RotateCcw /> {isFailed(message) ? t("retry") : t("regenerate")}
                  </Button>
                )}
                {message.state === "complete" && (
                  <>
                    <Button type="button" variant="ghost" size="icon" className={iconButton} aria-label={copied ? t("copied") : t("copy")}
                      onClick={() => {
                        void navigator.clipboard?.writeText(message.content ?? "").then(() => {
                          setCopied(true);
                          setTimeout(() => setCopied(false), 1500);
                        });
                      }}>
                      {copied ? <Check /> : <Copy />}
                    </Button>
                    {chat.allowDataUse && <Votes message={message} />}
                    <Button type="button" variant="ghost" size="icon" className={iconButton} aria-label={t("report.open")}
                      onClick={() => setReporting(true)} data-testid="report-open">
                      <Flag />
                    </Button>
                  </>
                )}
              </>
            )}
            {!assistant && message.parentId !== null && (
              <Button type="button" variant="ghost" size="icon" className={cn(iconButton, "sm:opacity-0 sm:group-hover:opacity-100 sm:focus-visible:opacity-100")}
                aria-label={t("edit.open")} disabled={actions.busy} onClick={() => setEditing(true)} data-testid="edit-prompt">
                <Pencil />
              </Button>
            )}
            {assistant && message.workParameters && !unfinished && (
              <details className="ms-auto text-xs text-muted-foreground">
                <summary className="cursor-pointer select-none">{t("modelLine", { model: message.workParameters.modelConfigName })}</summary>
                <pre className="mt-1 max-w-full overflow-x-auto rounded bg-muted p-2 font-mono text-[11px]">
                  {JSON.stringify({ ...message.workParameters, seed: undefined }, null, 2)}
                </pre>
              </details>
            )}
          </div>
        )}
      </div>
      {reporting && <ReportDialog messageId={message.id} open={reporting} onOpenChange={setReporting} />}
    </article>
  );
}

/** 👍/👎: optimistic; the same thumb again takes the vote back (score 0). */
function Votes({ message }: { message: ChatMessage }) {
  const t = useTranslations("chat");
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const key = trpc.chat.get.queryKey({ chatId: message.chatId });
  const vote = useMutation(
    trpc.chat.vote.mutationOptions({
      onMutate: async ({ score }) => {
        await queryClient.cancelQueries({ queryKey: key });
        const previous = queryClient.getQueryData(key);
        queryClient.setQueryData(key, (old) =>
          old ? { ...old, messages: old.messages.map((item) => (item.id === message.id ? { ...item, score } : item)) } : old,
        );
        return { previous };
      },
      onError: (_error, _input, context) => {
        if (context?.previous) queryClient.setQueryData(key, context.previous);
      },
      onSettled: () => queryClient.invalidateQueries({ queryKey: key }),
    }),
  );
  const cast = (score: 1 | -1) => vote.mutate({ messageId: message.id, score: message.score === score ? 0 : score });
  return (
    <>
      <Button type="button" variant="ghost" size="icon" className={cn(iconButton, message.score === 1 && "text-primary")}
        aria-label={t("vote.up")} aria-pressed={message.score === 1} onClick={() => cast(1)} data-testid="vote-up">
        <ThumbsUp className={cn(message.score === 1 && "fill-current")} />
      </Button>
      <Button type="button" variant="ghost" size="icon" className={cn(iconButton, message.score === -1 && "text-destructive")}
        aria-label={t("vote.down")} aria-pressed={message.score === -1} onClick={() => cast(-1)} data-testid="vote-down">
        <ThumbsDown className={cn(message.score === -1 && "fill-current")} />
      </Button>
      {vote.error && <span className="text-xs text-destructive" role="alert">{chatErrorText(t, vote.error)}</span>}
    </>
  );
}
