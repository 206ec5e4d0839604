"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { useState } from "react";
import { ReplyEditor } from "@/components/tasks/reply-editor";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import type { MessageView } from "@/server/domain/messages/dto";
import { MESSAGE_SIZE_LIMIT } from "@/server/domain/tasks/types";
import { useTRPC } from "@/trpc/react";
import { errorText } from "./error-text";

/**
 * Inline editor for a message's text (authors and moderators): Write/Preview, the 2000-character limit, and an
 * "unchanged" guard so saving the same text is not offered. The server keeps every version (View history).
 */
export function MessageEditor({ message, onClose }: { message: Pick<MessageView, "id" | "text" | "lang">; onClose: (saved: boolean) => void }) {
  const t = useTranslations("messages.edit");
  const tMessages = useTranslations("messages");
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [text, setText] = useState(message.text);
  const edit = useMutation(
    trpc.messages.edit.mutationOptions({
      onSuccess: async () => {
        await queryClient.invalidateQueries(trpc.messages.pathFilter());
        onClose(true);
      },
    }),
  );
  const trimmed = text.trim();
  const unchanged = trimmed === message.text.trim();
  const invalid = !trimmed || trimmed.length > MESSAGE_SIZE_LIMIT;

  return (
    <form
      className="flex flex-col gap-3"
      data-testid="message-editor"
      onSubmit={(event) => {
        event.preventDefault();
        if (!unchanged && !invalid) edit.mutate({ messageId: message.id, text: trimmed });
      }}
      onKeyDown={(event) => {
        if (event.key === "Escape") onClose(false);
      }}
    >
      <ReplyEditor value={text} onChange={setText} lang={message.lang} readOnly={edit.isPending} />
      {unchanged && <p className="text-xs text-muted-foreground" data-testid="edit-unchanged">{t("unchanged")}</p>}
      {edit.error && <Alert variant="destructive">{errorText(edit.error, tMessages("errors.generic"))}</Alert>}
      <div className="flex flex-wrap justify-end gap-2">
        <Button type="button" variant="outline" size="sm" onClick={() => onClose(false)}>{tMessages("cancel")}</Button>
        <Button type="submit" size="sm" disabled={unchanged || invalid || edit.isPending} data-testid="edit-save">
          {edit.isPending ? tMessages("saving") : t("save")}
        </Button>
      </div>
    </form>
  );
}
