"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { type RefObject, useState } from "react";
import { LabelInputs, type LabelValues } from "@/components/tasks/label-inputs";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Label } from "@/components/ui/input";
import { useTRPC } from "@/trpc/react";
import { DialogShell } from "./dialog-shell";
import { errorText } from "./error-text";

const REPORT_TEXT_LIMIT = 2000;

const definedValues = (values: LabelValues) =>
  Object.fromEntries(Object.entries(values).filter((entry): entry is [string, number] => entry[1] !== undefined));

/**
 * Labels a message outside a task, or reports it (`mode="report"`: the report labels plus a reason), with the label
 * widgets of the label tasks. Submits through `messages.label`.
 */
export function LabelDialog({ messageId, mode, open, onOpenChange, onDone, returnFocusRef }: {
  messageId: string;
  mode: "label" | "report";
  open: boolean;
  onOpenChange: (open: boolean) => void;
  onDone: (notice: string) => void;
  returnFocusRef?: RefObject<HTMLElement | null>;
}) {
  const t = useTranslations(`messages.${mode}`);
  const tCommon = useTranslations("messages");
  return (
    <DialogShell open={open} onOpenChange={onOpenChange} title={t("title")} description={t("description")} testId={`${mode}-dialog`} returnFocusRef={returnFocusRef}>
      {open && (
        <LabelForm
          messageId={messageId}
          mode={mode}
          onCancel={() => onOpenChange(false)}
          onDone={() => {
            onOpenChange(false);
            onDone(t("done"));
          }}
          submitText={t("submit")}
          loadingText={tCommon("loading")}
        />
      )}
    </DialogShell>
  );
}

function LabelForm({ messageId, mode, onCancel, onDone, submitText, loadingText }: {
  messageId: string; mode: "label" | "report"; onCancel: () => void; onDone: () => void; submitText: string; loadingText: string;
}) {
  const t = useTranslations("messages");
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const options = useQuery(trpc.messages.labelOptions.queryOptions({ messageId }, { staleTime: 0 }));
  // Labels start from the user's earlier values; a report always starts empty.
  const [edited, setEdited] = useState<LabelValues | null>(null);
  const values: LabelValues = edited ?? (mode === "label" ? (options.data?.current ?? {}) : {});
  const [reason, setReason] = useState("");
  const submit = useMutation(
    trpc.messages.label.mutationOptions({
      onSuccess: async () => {
        await queryClient.invalidateQueries(trpc.messages.pathFilter());
        onDone();
      },
    }),
  );

  if (options.isPending) return <p role="status" className="animate-pulse text-sm text-muted-foreground">{loadingText}</p>;
  if (options.error) return <Alert variant="destructive">{errorText(options.error, t("errors.generic"))}</Alert>;

  const names = (mode === "report" ? options.data.reportLabels : options.data.labels).map((option) => option.name);
  const labels = definedValues(values);
  const empty = Object.keys(labels).length === 0 && !(mode === "report" && reason.trim());

  return (
    <form
      className="flex flex-col gap-4"
      onSubmit={(event) => {
        event.preventDefault();
        if (empty) return;
        submit.mutate({ messageId, labels, ...(mode === "report" && { text: reason.trim(), isReport: true }) });
      }}
    >
      <LabelInputs names={names} mandatory={[]} values={values} onChange={setEdited} disabled={submit.isPending} />
      {mode === "report" && (
        <div className="flex flex-col gap-2">
          <Label htmlFor={`report-reason-${messageId}`}>{t("report.reason")}</Label>
          <textarea
            id={`report-reason-${messageId}`}
            value={reason}
            onChange={(event) => setReason(event.target.value.slice(0, REPORT_TEXT_LIMIT))}
            rows={3}
            placeholder={t("report.reasonPlaceholder")}
            data-testid="report-reason"
            className="w-full resize-y rounded-md border border-input bg-background p-2 text-base focus-visible:outline-2 focus-visible:outline-ring sm:text-sm"
          />
          <span className="text-end text-xs text-muted-foreground">{t("characters", { count: reason.length, max: REPORT_TEXT_LIMIT })}</span>
        </div>
      )}
      {empty && <p className="text-xs text-muted-foreground">{t(mode === "report" ? "report.needSomething" : "label.needSomething")}</p>}
      {submit.error && <Alert variant="destructive">{errorText(submit.error, t("errors.generic"))}</Alert>}
      <div className="flex flex-wrap justify-end gap-2">
        <Button type="button" variant="outline" onClick={onCancel}>{t("cancel")}</Button>
        <Button type="submit" variant={mode === "report" ? "destructive" : "default"} disabled={empty || submit.isPending} data-testid={`${mode}-submit`}>
          {submit.isPending ? t("saving") : submitText}
        </Button>
      </div>
    </form>
  );
}
