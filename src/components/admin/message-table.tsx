import Link from "next/link";
import { getFormatter, getTranslations } from "next-intl/server";
import { Badge } from "@/components/ui/badge";
import type { MessageView } from "@/server/domain/messages/dto";
import { EmptyState } from "./page-header";

/** Messages as moderators list them: text, author, language, state badges, link to the message page. */
export async function MessageTable({ messages }: { messages: MessageView[] }) {
  const [t, format] = await Promise.all([getTranslations("admin.messages"), getFormatter()]);
  if (messages.length === 0) return <EmptyState>{t("empty")}</EmptyState>;
  return (
    <ul className="flex flex-col divide-y rounded-lg border" data-testid="messages-table">
      {messages.map((message) => (
        <li key={message.id} className="flex flex-col gap-1 p-3 text-sm">
          <div className="flex flex-wrap items-center gap-2 text-xs text-muted-foreground">
            <span className="tabular-nums">{format.dateTime(message.createdDate, { dateStyle: "short", timeStyle: "short" })}</span>
            <Badge variant="outline">{message.role}</Badge>
            <span>{message.lang}</span>
            {message.authorId ? <Link href={`/admin/users/${message.authorId}`} className="underline-offset-4 hover:underline">{message.authorName ?? "—"}</Link> : <span>{message.authorName ?? "—"}</span>}
            {message.deleted && <Badge variant="destructive">{t("deleted")}</Badge>}
            {message.reviewResult === false && <Badge variant="secondary">{t("rejected")}</Badge>}
            {message.synthetic && <Badge variant="secondary">{t("synthetic")}</Badge>}
            {(message.emojis.red_flag ?? 0) > 0 && <span>🚩 {message.emojis.red_flag}</span>}
            <Link href={`/admin/messages/${message.id}`} className="ms-auto underline-offset-4 hover:underline">{t("open")}</Link>
          </div>
          <p className="line-clamp-3 whitespace-pre-wrap break-words">{message.text}</p>
        </li>
      ))}
    </ul>
  );
}
