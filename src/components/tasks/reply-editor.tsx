"use client";

import { useLocale, useTranslations } from "next-intl";
import { useId, useState } from "react";
import { Markdown } from "@/components/markdown";
import { Alert } from "@/components/ui/alert";
import { cn } from "@/lib/utils";
import { looksLikeOtherLanguage } from "@/lib/language-detection";
import { countWords } from "@/lib/word-count";
import { MESSAGE_SIZE_LIMIT } from "@/server/domain/tasks/types";

/** Markdown editor with a preview tab, a length meter and a warning when the text seems to be in another language. */
export function ReplyEditor({ value, onChange, lang, readOnly = false }: { value: string; onChange: (text: string) => void; lang: string; readOnly?: boolean }) {
  const t = useTranslations("tasks.editor");
  const locale = useLocale();
  const [tab, setTab] = useState<"write" | "preview">("write");
  const id = useId();
  const over = value.trim().length - MESSAGE_SIZE_LIMIT;
  const otherLanguage = looksLikeOtherLanguage(value, lang);
  const languageName = (tag: string) => new Intl.DisplayNames([locale], { type: "language" }).of(tag) ?? tag;
  const showPreview = tab === "preview" || readOnly;

  return (
    <div className="flex flex-col gap-2">
      {!readOnly && (
        <div role="tablist" aria-label={t("write")} className="flex gap-1 text-sm">
          {(["write", "preview"] as const).map((name) => (
            <button
              key={name}
              role="tab"
              type="button"
              id={`${id}-${name}`}
              aria-selected={tab === name}
              aria-controls={`${id}-panel`}
              onClick={() => setTab(name)}
              className={cn("rounded-md px-3 py-1.5", tab === name ? "bg-secondary font-medium" : "text-muted-foreground hover:bg-accent")}
            >
              {t(name)}
            </button>
          ))}
        </div>
      )}
      <div id={`${id}-panel`} role="tabpanel" aria-labelledby={`${id}-${tab}`}>
        {showPreview ? (
          <div className="min-h-40 rounded-md border p-3" data-testid="reply-preview">
            {value.trim() ? <Markdown>{value}</Markdown> : <p className="text-sm text-muted-foreground">{t("emptyPreview")}</p>}
          </div>
        ) : (
          <textarea
            value={value}
            onChange={(event) => onChange(event.target.value)}
            placeholder={t("placeholder")}
            aria-label={t("placeholder")}
            data-testid="reply-input"
            rows={8}
            className="min-h-40 w-full resize-y rounded-md border border-input bg-background p-3 text-base focus-visible:outline-2 focus-visible:outline-ring sm:text-sm"
          />
        )}
      </div>
      <div className="flex flex-wrap justify-between gap-2 text-xs text-muted-foreground" aria-live="polite">
        <span>{t("words", { count: countWords(value, lang) })}</span>
        <span className={cn(over > 0 && "font-medium text-destructive")}>{t("characters", { count: value.trim().length, max: MESSAGE_SIZE_LIMIT })}</span>
      </div>
      {over > 0 && <Alert variant="destructive">{t("tooLong", { over })}</Alert>}
      {otherLanguage && <Alert variant="warning" data-testid="lang-warning">{t("langMismatch", { expected: languageName(lang) })}</Alert>}
    </div>
  );
}
