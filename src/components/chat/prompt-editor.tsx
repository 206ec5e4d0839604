"use client";

import { useTranslations } from "next-intl";
import { useState } from "react";
import { Button } from "@/components/ui/button";

/** Editing a prompt: Enter submits (a new sibling branch), Shift+Enter is a newline, Esc cancels. */
export function PromptEditor({ initial, onSubmit, onCancel, busy }: {
  initial: string;
  onSubmit: (content: string) => void;
  onCancel: () => void;
  busy: boolean;
}) {
  const t = useTranslations("chat");
  const [value, setValue] = useState(initial);
  const submit = () => {
    if (value.trim() && !busy) onSubmit(value.trim());
  };
  return (
    <form className="flex flex-col gap-2" onSubmit={(event) => { event.preventDefault(); submit(); }}>
      <textarea
        autoFocus
        value={value}
        onChange={(event) => setValue(event.target.value)}
        onKeyDown={(event) => {
          if (event.key === "Escape") onCancel();
          if (event.key === "Enter" && !event.shiftKey && !event.nativeEvent.isComposing) {
            event.preventDefault();
            submit();
          }
        }}
        rows={3}
        aria-label={t("edit.label")}
        data-testid="edit-input"
        className="w-full resize-y rounded-md border border-input bg-background p-2 text-sm focus-visible:outline-2 focus-visible:outline-ring"
      />
      <div className="flex justify-end gap-2">
        <Button type="button" variant="outline" size="sm" onClick={onCancel}>{t("cancel")}</Button>
        <Button type="submit" size="sm" disabled={busy || !value.trim()} data-testid="edit-submit">{t("edit.submit")}</Button>
      </div>
    </form>
  );
}
