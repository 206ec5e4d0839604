import type { Metadata } from "next";
import { getFormatter, getTranslations } from "next-intl/server";
import { Badge } from "@/components/ui/badge";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import type { WorkerHealth } from "@/server/domain/chat/workers";
import { serverCaller } from "@/trpc/server";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("common.pageTitles"))("workers") };
}

const HEALTH_VARIANT: Record<WorkerHealth["health"], "default" | "secondary" | "destructive" | "outline"> = {
  online: "default",
  draining: "secondary",
  stale: "destructive",
  offline: "outline",
};

/** Moderators' view of the inference workers and the queue (server-rendered; reload to refresh). */
export default async function WorkersPage() {
  const t = await getTranslations("admin");
  const api = await serverCaller();
  const [workers, queue, format] = await Promise.all([
    api.inference.workers({ includeOffline: true, limit: 100 }),
    api.inference.queue(),
    getFormatter(),
  ]);
  return (
    <div className="flex flex-col gap-6">
      <div>
        <h1 className="text-2xl font-bold tracking-tight">{t("workers.title")}</h1>
        <p className="text-muted-foreground">{t("workers.lead")}</p>
      </div>
      <Card>
        <CardHeader><CardTitle>{t("workers.queueTitle")}</CardTitle></CardHeader>
        <CardContent>
          {queue.length === 0 ? (
            <p className="text-sm text-muted-foreground">{t("workers.queueEmpty")}</p>
          ) : (
            <div className="overflow-x-auto">
              <table className="w-full text-sm" data-testid="queue-table">
                <thead className="text-left text-muted-foreground">
                  <tr><th className="py-1 pe-4">{t("workers.model")}</th><th className="pe-4">{t("workers.queued")}</th><th className="pe-4">{t("workers.running")}</th><th>{t("workers.oldest")}</th></tr>
                </thead>
                <tbody>
                  {queue.map((row) => (
                    <tr key={row.modelConfigName} className="border-t">
                      <td className="py-1.5 pe-4 font-mono text-xs">{row.modelConfigName}</td>
                      <td className="pe-4 tabular-nums">{row.queued}</td>
                      <td className="pe-4 tabular-nums">{row.running}</td>
                      <td className="tabular-nums">{row.oldestQueuedSeconds === null ? "—" : t("workers.seconds", { seconds: Math.round(row.oldestQueuedSeconds) })}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </CardContent>
      </Card>
      {workers.length === 0 ? (
        <Card><CardHeader><CardTitle>{t("workers.noneTitle")}</CardTitle><CardDescription>{t("workers.none")}</CardDescription></CardHeader></Card>
      ) : (
        <div className="grid gap-4 md:grid-cols-2" data-testid="workers">
          {workers.map((worker) => (
            <Card key={worker.id}>
              <CardHeader className="gap-1">
                <CardTitle className="flex flex-wrap items-center gap-2 text-base">
                  {worker.name} <Badge variant={HEALTH_VARIANT[worker.health]}>{t(`workers.health.${worker.health}`)}</Badge>
                </CardTitle>
                <CardDescription>{worker.engine} · {worker.hostname}</CardDescription>
              </CardHeader>
              <CardContent>
                <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-1 text-sm">
                  <dt className="text-muted-foreground">{t("workers.models")}</dt><dd className="font-mono text-xs">{worker.models.join(", ")}</dd>
                  <dt className="text-muted-foreground">{t("workers.heartbeat")}</dt><dd>{format.relativeTime(worker.lastHeartbeatAt)}</dd>
                  <dt className="text-muted-foreground">{t("workers.started")}</dt><dd>{format.dateTime(worker.startedAt, { dateStyle: "medium", timeStyle: "short" })}</dd>
                  <dt className="text-muted-foreground">{t("workers.jobs")}</dt><dd>{t("workers.jobCounts", { running: worker.runningJobs, done: worker.jobsDone, failed: worker.jobsFailed })}</dd>
                </dl>
              </CardContent>
            </Card>
          ))}
        </div>
      )}
    </div>
  );
}
