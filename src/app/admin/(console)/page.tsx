import type { Metadata } from "next";
import Link from "next/link";
import { getFormatter, getTranslations } from "next-intl/server";
import { ADMIN_NAV } from "@/components/admin/nav-items";
import { PageHeader } from "@/components/admin/page-header";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { MODERATION_QUEUE_KINDS } from "@/server/db/schema";
import { serverCaller } from "@/trpc/server";
import { requireConsoleUser } from "../guard";

export const metadata: Metadata = { title: "Admin" };

/** What needs attention now, today's activity, and a way to every console page. */
export default async function AdminHome() {
  const [t, format, api] = await Promise.all([getTranslations("admin"), getFormatter(), serverCaller()]);
  const [summary, journal, user] = await Promise.all([api.admin.queueSummary(), api.admin.journal({ limit: 10 }), requireConsoleUser()]);
  return (
    <>
      <PageHeader title={t("home.title")} lead={t("home.lead")} />
      <div className="grid gap-4 sm:grid-cols-2 xl:grid-cols-4">
        <Card data-testid="home-open">
          <CardHeader><CardDescription>{t("home.open")}</CardDescription><CardTitle className="text-3xl tabular-nums">{summary.open}</CardTitle></CardHeader>
          <CardContent className="text-sm text-muted-foreground">
            {summary.oldestDetectedAt ? t("home.oldest", { age: format.relativeTime(summary.oldestDetectedAt) }) : t("home.nothingWaiting")}
          </CardContent>
        </Card>
        {MODERATION_QUEUE_KINDS.map((kind) => (
          <Card key={kind}>
            <CardHeader><CardDescription>{t.has(`queue.kinds.${kind}`) ? t(`queue.kinds.${kind}`) : kind.replaceAll("_", " ")}</CardDescription><CardTitle className="text-3xl tabular-nums">{summary.byKind[kind]}</CardTitle></CardHeader>
            <CardContent><Link className="text-sm underline-offset-4 hover:underline" href={`/admin/queue?kind=${kind}`}>{t("home.openQueue")}</Link></CardContent>
          </Card>
        ))}
        <Card>
          <CardHeader><CardDescription>{t("home.today")}</CardDescription><CardTitle className="text-3xl tabular-nums">{summary.resolvedToday}</CardTitle></CardHeader>
          <CardContent className="text-sm text-muted-foreground">{t("home.claimed", { count: summary.claimed })}</CardContent>
        </Card>
      </div>
      <div className="flex flex-wrap gap-2">
        <Button asChild><Link href="/admin/queue">{t("home.startReviewing")}</Link></Button>
      </div>
      <Card>
        <CardHeader><CardTitle>{t("home.recent")}</CardTitle></CardHeader>
        <CardContent>
          {journal.items.length === 0 ? <p className="text-sm text-muted-foreground">{t("journal.empty")}</p> : (
            <ul className="flex flex-col gap-1 text-sm">
              {journal.items.map((entry) => (
                <li key={entry.id} className="flex flex-wrap gap-x-2">
                  <span className="text-muted-foreground tabular-nums">{format.dateTime(entry.createdDate, { dateStyle: "short", timeStyle: "short" })}</span>
                  <span className="font-medium">{entry.actorName ?? "—"}</span>
                  <span>{entry.eventType.replaceAll("_", " ")}</span>
                </li>
              ))}
            </ul>
          )}
        </CardContent>
      </Card>
      <nav aria-label={t("nav.label")} className="grid gap-2 sm:grid-cols-3">
        {ADMIN_NAV.slice(1).filter((item) => user.role === "admin" || !("adminOnly" in item)).map((item) => (
          <Link key={item.href} href={item.href} className="rounded-lg border p-3 text-sm hover:bg-accent">{t(`nav.${item.key}`)}</Link>
        ))}
      </nav>
    </>
  );
}
