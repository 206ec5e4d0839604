import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { getFormatter, getTranslations } from "next-intl/server";
import { JournalList } from "@/components/admin/journal-list";
import { MessageTable } from "@/components/admin/message-table";
import { PageHeader } from "@/components/admin/page-header";
import { GoldItemPanel } from "@/components/quality/gold-item-panel";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { serverCaller } from "@/trpc/server";

/** The typed MESSAGE_NOT_FOUND of a message that does not exist (any other error is a real failure). */
const isMessageNotFound = (error: unknown) => (error as { cause?: { code?: string } })?.cause?.code === "MESSAGE_NOT_FOUND";

export const metadata: Metadata = { title: "Message" };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * A message as moderators check it: the message, toxicity, embedding status, label averages, reactions, and its
 * journal. The whole tree, revisions, edit and delete/undelete live on the message page (`/messages/<id>`).
 */
export default async function AdminMessagePage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  if (!UUID.test(id)) notFound();
  const [t, format, api] = await Promise.all([getTranslations("admin.messagePage"), getFormatter(), serverCaller()]);
  const [detail, journal] = await Promise.all([
    api.admin.messageDetail({ messageId: id }).catch((error: unknown) => (isMessageNotFound(error) ? null : Promise.reject(error))),
    api.admin.journal({ messageId: id, limit: 20 }),
  ]);
  if (!detail) notFound();
  const { message } = detail;
  return (
    <>
      <PageHeader title={t("title")} lead={id}>
        <div className="flex flex-wrap gap-2">
          <Button asChild><Link href={`/messages/${id}`}>{t("openTree")}</Link></Button>
          <Button asChild variant="outline"><Link href={`/admin/trees/${message.messageTreeId}`}>{t("openTreeState")}</Link></Button>
        </div>
      </PageHeader>
      <MessageTable messages={[message]} />
      <div className="grid gap-4 lg:grid-cols-2">
        <Card>
          <CardHeader><CardTitle>{t("signals")}</CardTitle></CardHeader>
          <CardContent>
            <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-1 text-sm" data-testid="message-signals">
              <dt className="text-muted-foreground">{t("toxicity")}</dt>
              <dd>{detail.toxicity.length === 0 ? t("notScored") : detail.toxicity.map((row) => `${row.label} ${format.number(row.score, { maximumFractionDigits: 3 })} (${row.model})`).join(" · ")}</dd>
              <dt className="text-muted-foreground">{t("embedding")}</dt>
              <dd>{detail.embeddings.length === 0 ? t("notEmbedded") : detail.embeddings.map((row) => row.model).join(", ")}</dd>
              <dt className="text-muted-foreground">{t("emojis")}</dt>
              <dd>{Object.entries(message.emojis).map(([emoji, count]) => `${emoji} ${count}`).join(" · ") || "—"}</dd>
              <dt className="text-muted-foreground">{t("counts")}</dt>
              <dd>{t("countsValue", { reviews: detail.reviews, reports: detail.reports, rankings: detail.rankingReactions, revisions: detail.revisions })}</dd>
            </dl>
          </CardContent>
        </Card>
        <Card>
          <CardHeader><CardTitle>{t("labels")}</CardTitle></CardHeader>
          <CardContent>
            {detail.labels.length === 0 ? <p className="text-sm text-muted-foreground">{t("noLabels")}</p> : (
              <table className="w-full text-sm">
                <tbody>{detail.labels.map((label) => <tr key={label.name} className="border-t"><td className="py-1 font-mono text-xs">{label.name}</td><td className="tabular-nums">{format.number(label.average, { maximumFractionDigits: 2 })}</td><td className="tabular-nums text-muted-foreground">×{label.count}</td></tr>)}</tbody>
              </table>
            )}
          </CardContent>
        </Card>
      </div>
      <Card>
        <CardHeader><CardTitle>{t("gold")}</CardTitle></CardHeader>
        <CardContent><GoldItemPanel messageId={id} /></CardContent>
      </Card>
      <section className="flex flex-col gap-3"><h2 className="text-lg font-semibold">{t("journal")}</h2><JournalList entries={journal.items} /></section>
    </>
  );
}
