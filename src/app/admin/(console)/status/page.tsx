import type { Metadata } from "next";
import Link from "next/link";
import { getFormatter, getTranslations } from "next-intl/server";
import { PageHeader } from "@/components/admin/page-header";
import { JobRunsTable } from "@/components/admin/job-runs";
import { TreeCountsTable } from "@/components/admin/tree-counts";
import { Badge } from "@/components/ui/badge";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { serverCaller } from "@/trpc/server";

export const metadata: Metadata = { title: "Status" };

/** Trees by state and language, open tasks, reply queue per model, workers and the database (reload to refresh). */
export default async function StatusPage() {
  const [t, format, api] = await Promise.all([getTranslations("admin"), getFormatter(), serverCaller()]);
  const [status, workers] = await Promise.all([api.admin.status(), api.inference.workers({ includeOffline: false, limit: 100 })]);
  return (
    <>
      <PageHeader title={t("status.title")} lead={t("status.lead")} />
      <div className="grid gap-4 sm:grid-cols-3">
        <Card><CardHeader><CardDescription>{t("status.database")}</CardDescription><CardTitle className="text-2xl tabular-nums" data-testid="status-db-size">{format.number(status.databaseBytes / 1024 / 1024, { maximumFractionDigits: 1 })} MB</CardTitle></CardHeader></Card>
        <Card><CardHeader><CardDescription>{t("status.messages")}</CardDescription><CardTitle className="text-2xl tabular-nums">≈ {format.number(status.messages)}</CardTitle></CardHeader></Card>
        <Card><CardHeader><CardDescription>{t("status.users")}</CardDescription><CardTitle className="text-2xl tabular-nums">≈ {format.number(status.users)}</CardTitle></CardHeader></Card>
      </div>
      <section className="flex flex-col gap-2"><h2 className="text-lg font-semibold">{t("status.trees")}</h2><TreeCountsTable counts={status.trees} /></section>
      <div className="grid gap-4 lg:grid-cols-2">
        <Card>
          <CardHeader><CardTitle>{t("status.tasks")}</CardTitle></CardHeader>
          <CardContent>
            {status.tasks.length === 0 ? <p className="text-sm text-muted-foreground">{t("status.noTasks")}</p> : (
              <table className="w-full text-sm">
                <thead className="text-muted-foreground"><tr><th className="text-start font-normal">{t("status.taskType")}</th><th className="text-start font-normal">{t("status.open")}</th><th className="text-start font-normal">{t("status.doneToday")}</th><th className="text-start font-normal">{t("status.skippedToday")}</th></tr></thead>
                <tbody>{status.tasks.map((row) => <tr key={row.type} className="border-t"><td className="py-1">{row.type.replaceAll("_", " ")}</td><td className="tabular-nums">{row.open}</td><td className="tabular-nums">{row.doneToday}</td><td className="tabular-nums">{row.skippedToday}</td></tr>)}</tbody>
              </table>
            )}
          </CardContent>
        </Card>
        <Card>
          <CardHeader><CardTitle>{t("status.queue")}</CardTitle></CardHeader>
          <CardContent className="flex flex-col gap-3 text-sm">
            {status.inferenceQueue.length === 0 ? <p className="text-muted-foreground">{t("workers.queueEmpty")}</p> : (
              <ul>{status.inferenceQueue.map((row) => <li key={row.modelConfigName} className="flex flex-wrap gap-2"><span className="font-mono text-xs">{row.modelConfigName}</span><span>{t("status.depth", { queued: row.queued, running: row.running })}</span></li>)}</ul>
            )}
            <h3 className="font-semibold">{t("status.workers")}</h3>
            {workers.length === 0 ? <p className="text-muted-foreground">{t("workers.none")}</p> : (
              <ul>{workers.map((worker) => <li key={worker.id} className="flex flex-wrap items-center gap-2">{worker.name} <Badge variant="outline">{t(`workers.health.${worker.health}`)}</Badge><span className="text-muted-foreground">{format.relativeTime(worker.lastHeartbeatAt)}</span></li>)}</ul>
            )}
            <Link href="/admin/workers" className="underline-offset-4 hover:underline">{t("status.allWorkers")}</Link>
          </CardContent>
        </Card>
      </div>
      <section className="flex flex-col gap-2"><h2 className="text-lg font-semibold">{t("status.jobs")}</h2><JobRunsTable jobs={status.jobs} /></section>
    </>
  );
}
