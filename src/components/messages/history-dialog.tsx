"use client";

import { useQuery } from "@tanstack/react-query";
import { useFormatter, useTranslations } from "next-intl";
import type { RefObject } from "react";
import { Markdown } from "@/components/markdown";
import { Alert } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { useTRPC } from "@/trpc/react";
import { DialogShell } from "./dialog-shell";
import { errorText } from "./error-text";

/** Every version of an edited message, the original first (authors and moderators only). */
export function HistoryDialog({ messageId, open, onOpenChange, returnFocusRef }: {
  messageId: string; open: boolean; onOpenChange: (open: boolean) => void; returnFocusRef?: RefObject<HTMLElement | null>;
}) {
  const t = useTranslations("messages.history");
  return (
    <DialogShell open={open} onOpenChange={onOpenChange} title={t("title")} description={t("description")} testId="history-dialog" returnFocusRef={returnFocusRef}>
      {open && <RevisionList messageId={messageId} />}
    </DialogShell>
  );
}

function RevisionList({ messageId }: { messageId: string }) {
  const t = useTranslations("messages");
  const format = useFormatter();
  const trpc = useTRPC();
  const revisions = useQuery(trpc.messages.revisions.queryOptions({ messageId }, { staleTime: 0 }));
  if (revisions.isPending) return <p role="status" className="animate-pulse text-sm text-muted-foreground">{t("loading")}</p>;
  if (revisions.error) return <Alert variant="destructive">{errorText(revisions.error, t("errors.generic"))}</Alert>;
  const items = revisions.data.revisions;
  if (items.length === 0) return <p className="text-sm text-muted-foreground" data-testid="history-empty">{t("history.empty")}</p>;
  return (
    <ol className="flex flex-col gap-3" data-testid="history-list">
      {items.map((revision, index) => (
        <li key={revision.id} className="flex flex-col gap-2 rounded-lg border p-3" data-testid="revision">
          <div className="flex flex-wrap items-center gap-2 text-xs text-muted-foreground">
            <Badge variant={index === items.length - 1 ? "default" : "secondary"}>
              {index === 0 ? t("history.original") : index === items.length - 1 ? t("history.current") : t("history.version", { number: index + 1 })}
            </Badge>
            <time dateTime={revision.createdDate.toISOString()}>{format.dateTime(revision.createdDate, { dateStyle: "medium", timeStyle: "short" })}</time>
            {revision.editorName && <span className="font-medium">{revision.editorName}</span>}
          </div>
          <Markdown>{revision.text}</Markdown>
        </li>
      ))}
    </ol>
  );
}
