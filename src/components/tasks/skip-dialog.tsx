"use client";

import { useTranslations } from "next-intl";
import { Dialog } from "radix-ui";
import { useState } from "react";
import { Button } from "@/components/ui/button";

const REASONS = ["unsure", "inappropriate", "boring", "other"] as const;

/** Asks why a task is skipped; the reason helps moderators find problematic content. */
export function SkipDialog({ onSkip, disabled }: { onSkip: (reason: string) => void; disabled?: boolean }) {
  const t = useTranslations("tasks.skip");
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState<(typeof REASONS)[number]>("unsure");
  const [detail, setDetail] = useState("");
  return (
    <Dialog.Root open={open} onOpenChange={setOpen}>
      <Dialog.Trigger asChild>
        <Button type="button" variant="ghost" disabled={disabled} data-testid="skip">{useTranslations("tasks.actions")("skip")}</Button>
      </Dialog.Trigger>
      <Dialog.Portal>
        <Dialog.Overlay className="fixed inset-0 z-50 bg-black/40" />
        <Dialog.Content className="fixed left-1/2 top-1/2 z-50 w-[min(92vw,28rem)] -translate-x-1/2 -translate-y-1/2 rounded-xl border bg-card p-6 shadow-xl">
          <Dialog.Title className="text-lg font-semibold">{t("title")}</Dialog.Title>
          <Dialog.Description className="mt-1 text-sm text-muted-foreground">{t("reason")}</Dialog.Description>
          <form
            className="mt-4 flex flex-col gap-3"
            onSubmit={(event) => {
              event.preventDefault();
              onSkip(detail.trim() ? `${reason}: ${detail.trim()}` : reason);
              setOpen(false);
            }}
          >
            <div role="radiogroup" className="flex flex-col gap-2">
              {REASONS.map((value) => (
                <label key={value} className="flex items-center gap-2 text-sm">
                  <input type="radio" name="skip-reason" value={value} checked={reason === value} onChange={() => setReason(value)} />
                  {t(`reasons.${value}`)}
                </label>
              ))}
            </div>
            <textarea
              value={detail}
              onChange={(event) => setDetail(event.target.value.slice(0, 400))}
              rows={2}
              aria-label={t("reason")}
              className="rounded-md border border-input bg-background p-2 text-sm"
            />
            <div className="flex justify-end gap-2">
              <Dialog.Close asChild>
                <Button type="button" variant="outline">{t("cancel")}</Button>
              </Dialog.Close>
              <Button type="submit" variant="destructive" data-testid="skip-confirm">{t("confirm")}</Button>
            </div>
          </form>
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
  );
}
