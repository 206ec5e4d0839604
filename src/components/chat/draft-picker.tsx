"use client";

import { Check, Square } from "lucide-react";
import { useTranslations } from "next-intl";
import { Markdown } from "@/components/markdown";
import { Button } from "@/components/ui/button";
import { cn } from "@/lib/utils";
import { LiveReply } from "./live-reply";
import { isFailed, isUnfinished, type ChatMessage } from "./types";

/**
 * Several drafts of one reply side by side (OA website "Retry / drafts"): each streams on its own; once all are
 * finished the user picks one, which becomes the shown branch and is recorded as a preference (`chat.chooseDraft`).
 */
export function DraftPicker({ drafts, choosing, onChoose, onStop, onFinished, onProgress }: {
  drafts: ChatMessage[];
  choosing: boolean;
  onChoose: (chosen: ChatMessage) => void;
  onStop: (draft: ChatMessage) => void;
  onFinished: (message: ChatMessage) => void;
  onProgress: () => void;
}) {
  const t = useTranslations("chat.drafts");
  const allFinished = drafts.every((draft) => !isUnfinished(draft));
  return (
    <section className="flex flex-col gap-3 rounded-xl border bg-muted/30 p-3 sm:p-4" aria-labelledby="draft-picker-title" data-testid="draft-picker">
      <div className="flex flex-col gap-1">
        <h2 id="draft-picker-title" className="text-sm font-semibold">{t("title")}</h2>
        <p className="text-xs text-muted-foreground">{allFinished ? t("lead") : t("waiting")}</p>
      </div>
      <div className="grid gap-3 md:grid-cols-2 2xl:grid-cols-3">
        {drafts.map((draft, index) => (
          <article key={draft.id} className="flex min-w-0 flex-col gap-2 rounded-lg border bg-card p-3" data-testid="draft" data-state={draft.state}>
            <h3 className="text-xs font-medium text-muted-foreground">{t("draft", { number: index + 1 })}</h3>
            <div className={cn("min-h-16 flex-1 overflow-y-auto text-sm", "max-h-96")}>
              {isUnfinished(draft) ? (
                <LiveReply key={draft.id} message={draft} onFinished={onFinished} onProgress={onProgress} />
              ) : isFailed(draft) ? (
                <p className="text-destructive" role="alert">{draft.error ?? t("failed")}</p>
              ) : (
                <Markdown>{draft.content ?? ""}</Markdown>
              )}
            </div>
            {isUnfinished(draft) && (
              <Button type="button" size="sm" variant="ghost" onClick={() => onStop(draft)} data-testid="stop-draft">
                <Square className="fill-current" /> {t("stop")}
              </Button>
            )}
            <Button
              type="button"
              size="sm"
              variant="outline"
              disabled={!allFinished || choosing || draft.state !== "complete"}
              onClick={() => onChoose(draft)}
              data-testid="choose-draft"
            >
              <Check /> {t("choose")}
            </Button>
          </article>
        ))}
      </div>
    </section>
  );
}
