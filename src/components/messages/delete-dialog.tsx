"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import type { RefObject } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { useTRPC } from "@/trpc/react";
import { DialogShell } from "./dialog-shell";
import { errorText } from "./error-text";

/**
 * Moderators confirm a delete: it takes the whole subtree with it, and undelete restores the message and its
 * ancestors but not the replies below it.
 */
export function DeleteDialog({ messageId, childrenCount, open, onOpenChange, onDone, returnFocusRef }: {
  messageId: string;
  childrenCount: number;
  open: boolean;
  onOpenChange: (open: boolean) => void;
  onDone: (notice: string) => void;
  returnFocusRef?: RefObject<HTMLElement | null>;
}) {
  const t = useTranslations("messages.delete");
  const tMessages = useTranslations("messages");
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const remove = useMutation(
    trpc.moderation.deleteMessage.mutationOptions({
      onSuccess: async () => {
        await queryClient.invalidateQueries(trpc.messages.pathFilter());
        onOpenChange(false);
        onDone(t("done"));
      },
    }),
  );
  return (
    <DialogShell open={open} onOpenChange={onOpenChange} title={t("title")} testId="delete-dialog" returnFocusRef={returnFocusRef}>
      <ul className="list-disc space-y-1 ps-5 text-sm">
        <li>{t("subtree", { count: childrenCount })}</li>
        <li>{t("undo")}</li>
      </ul>
      {remove.error && <Alert variant="destructive">{errorText(remove.error, tMessages("errors.generic"))}</Alert>}
      <div className="flex flex-wrap justify-end gap-2">
        <Button type="button" variant="outline" onClick={() => onOpenChange(false)}>{tMessages("cancel")}</Button>
        <Button type="button" variant="destructive" disabled={remove.isPending} onClick={() => remove.mutate({ messageId })} data-testid="delete-confirm">
          {remove.isPending ? tMessages("saving") : t("confirm")}
        </Button>
      </div>
    </DialogShell>
  );
}
