"use client";

import { useTranslations } from "next-intl";
import { DialogShell } from "@/components/messages/dialog-shell";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";

/** "Are you sure?" for delete and opt-out (neither can be undone). */
export function ConfirmDialog({ open, onOpenChange, title, description, confirmLabel, onConfirm, pending, error, testId }: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  title: string;
  description: string;
  confirmLabel: string;
  onConfirm: () => void;
  pending: boolean;
  error: string | null;
  testId: string;
}) {
  const t = useTranslations("chat");
  return (
    <DialogShell open={open} onOpenChange={onOpenChange} title={title} description={description} testId={testId}>
      {error && <Alert variant="destructive">{error}</Alert>}
      <div className="flex flex-wrap justify-end gap-2">
        <Button type="button" variant="outline" onClick={() => onOpenChange(false)}>{t("cancel")}</Button>
        <Button type="button" variant="destructive" disabled={pending} onClick={onConfirm} data-testid={`${testId}-confirm`}>{confirmLabel}</Button>
      </div>
    </DialogShell>
  );
}
