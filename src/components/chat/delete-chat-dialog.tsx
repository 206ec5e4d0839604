"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useTranslations } from "next-intl";
import { useTRPC } from "@/trpc/react";
import { chatErrorText } from "./chat-errors";
import { ConfirmDialog } from "./confirm-dialog";

/**
 * Confirms and hard-deletes a chat (the list and the conversation header both offer it). Afterwards the chat list
 * is refreshed and, when the deleted chat was open, the browser goes back to the list.
 */
export function DeleteChatDialog({ chatId, title, open, onOpenChange, leaveAfterDelete }: {
  chatId: string; title: string; open: boolean; onOpenChange: (open: boolean) => void; leaveAfterDelete: boolean;
}) {
  const t = useTranslations("chat");
  const trpc = useTRPC();
  const router = useRouter();
  const queryClient = useQueryClient();
  const remove = useMutation(
    trpc.chat.delete.mutationOptions({
      onSuccess: async () => {
        onOpenChange(false);
        if (leaveAfterDelete) router.push("/chat");
        await queryClient.invalidateQueries(trpc.chat.list.pathFilter());
      },
    }),
  );
  return (
    <ConfirmDialog
      open={open}
      onOpenChange={onOpenChange}
      title={t("delete.title")}
      description={t("delete.description", { title })}
      confirmLabel={t("delete.confirm")}
      onConfirm={() => remove.mutate({ chatId })}
      pending={remove.isPending}
      error={remove.error ? chatErrorText(t, remove.error) : null}
      testId="chat-delete-dialog"
    />
  );
}
