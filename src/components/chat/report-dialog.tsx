"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { useState } from "react";
import { DialogShell } from "@/components/messages/dialog-shell";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { useTRPC } from "@/trpc/react";
import { chatErrorText } from "./chat-errors";

const TYPES = ["spam", "offensive", "feedback"] as const;

/** Report an assistant reply: a type and an optional reason. */
export function ReportDialog({ messageId, open, onOpenChange }: { messageId: string; open: boolean; onOpenChange: (open: boolean) => void }) {
  const t = useTranslations("chat");
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [type, setType] = useState<(typeof TYPES)[number]>("feedback");
  const [reason, setReason] = useState("");
  const report = useMutation(
    trpc.chat.report.mutationOptions({
      onSuccess: async () => {
        await queryClient.invalidateQueries(trpc.chat.get.pathFilter());
        onOpenChange(false);
      },
    }),
  );
  return (
    <DialogShell open={open} onOpenChange={onOpenChange} title={t("report.title")} description={t("report.description")} testId="report-dialog">
      <form className="flex flex-col gap-4" onSubmit={(event) => { event.preventDefault(); report.mutate({ messageId, reportType: type, reason }); }}>
        <fieldset className="flex flex-col gap-2">
          <legend className="mb-1 text-sm font-medium">{t("report.type")}</legend>
          {TYPES.map((value) => (
            <label key={value} className="flex items-center gap-2 text-sm">
              <input type="radio" name="report-type" value={value} checked={type === value} onChange={() => setType(value)} className="accent-primary" />
              {t(`report.types.${value}`)}
            </label>
          ))}
        </fieldset>
        <label className="flex flex-col gap-1.5 text-sm font-medium">
          {t("report.reason")}
          <textarea value={reason} onChange={(event) => setReason(event.target.value)} maxLength={2000} rows={3} data-testid="report-reason"
            className="w-full resize-y rounded-md border border-input bg-background p-2 text-sm font-normal focus-visible:outline-2 focus-visible:outline-ring" />
        </label>
        {report.error && <Alert variant="destructive">{chatErrorText(t, report.error)}</Alert>}
        <div className="flex justify-end gap-2">
          <Button type="button" variant="outline" onClick={() => onOpenChange(false)}>{t("cancel")}</Button>
          <Button type="submit" disabled={report.isPending} data-testid="report-submit">{t("report.submit")}</Button>
        </div>
      </form>
    </DialogShell>
  );
}
