import Link from "next/link";
import { getFormatter, getTranslations } from "next-intl/server";
import type { JournalEntry } from "@/server/domain/admin/journal";
import { EmptyState } from "./page-header";

/** Journal entries: when, who, what, on which message or user, and the before/after it recorded. */
export async function JournalList({ entries }: { entries: JournalEntry[] }) {
  const [t, format] = await Promise.all([getTranslations("admin.journal"), getFormatter()]);
  if (entries.length === 0) return <EmptyState>{t("empty")}</EmptyState>;
  return (
    <ol className="flex flex-col divide-y rounded-lg border text-sm" data-testid="journal-list">
      {entries.map((entry) => {
        const { actorId: _actor, userId, ...details } = entry.payload as Record<string, unknown>;
        return (
          <li key={entry.id} className="flex flex-col gap-1 p-3" data-testid="journal-entry">
            <div className="flex flex-wrap items-center gap-x-2">
              <span className="tabular-nums text-muted-foreground">{format.dateTime(entry.createdDate, { dateStyle: "medium", timeStyle: "medium" })}</span>
              {entry.actorId ? <Link href={`/admin/users/${entry.actorId}`} className="font-medium underline-offset-4 hover:underline">{entry.actorName ?? "—"}</Link> : <span>—</span>}
              <span className="font-mono text-xs">{entry.eventType}</span>
              {entry.messageId && <Link href={`/messages/${entry.messageId}`} className="text-xs underline-offset-4 hover:underline">{t("message")}</Link>}
              {typeof userId === "string" && <Link href={`/admin/users/${userId}`} className="text-xs underline-offset-4 hover:underline">{t("user")}</Link>}
            </div>
            {Object.keys(details).length > 0 && <code className="break-all text-xs text-muted-foreground">{JSON.stringify(details)}</code>}
          </li>
        );
      })}
    </ol>
  );
}
