import { getFormatter, getTranslations } from "next-intl/server";
import { Badge } from "@/components/ui/badge";
import { cn } from "@/lib/utils";
import type { JobRunSummary } from "@/server/inngest/job-runs";

const OUTCOME_VARIANT = { succeeded: "default", skipped: "secondary", failed: "destructive" } as const;
const OUTCOME_DOT = { succeeded: "bg-primary", skipped: "bg-muted-foreground/50", failed: "bg-destructive" } as const;

/** Every cron and event job: its last run (when, how long, outcome and message) and a strip of the runs before it. */
export async function JobRunsTable({ jobs }: { jobs: JobRunSummary[] }) {
  const [t, format] = await Promise.all([getTranslations("admin.status"), getFormatter()]);
  const duration = (ms: number) => (ms < 1000 ? `${format.number(ms, { maximumFractionDigits: 0 })} ms` : `${format.number(ms / 1000, { maximumFractionDigits: 1 })} s`);
  return (
    <div className="overflow-x-auto rounded-lg border">
      <table className="w-full text-sm" data-testid="job-runs">
        <thead className="bg-muted/50 text-muted-foreground">
          <tr>
            <th className="p-2 text-start font-normal">{t("job")}</th>
            <th className="p-2 text-start font-normal">{t("lastRun")}</th>
            <th className="p-2 text-start font-normal">{t("duration")}</th>
            <th className="p-2 text-start font-normal">{t("outcome")}</th>
            <th className="p-2 text-start font-normal">{t("history")}</th>
          </tr>
        </thead>
        <tbody>
          {jobs.map((job) => {
            const [last] = job.runs;
            return (
              <tr key={job.jobId} className="border-t align-top" data-testid="job-run-row">
                <td className="p-2">
                  <div className="font-medium">{job.name}</div>
                  <div className="font-mono text-xs text-muted-foreground">{job.jobId} · {job.trigger}</div>
                </td>
                <td className="p-2 whitespace-nowrap">{last ? <time dateTime={last.startedAt.toISOString()} title={format.dateTime(last.startedAt, { dateStyle: "medium", timeStyle: "medium" })}>{format.relativeTime(last.startedAt)}</time> : <span className="text-muted-foreground">{job.off === null ? t("neverRun") : "·"}</span>}</td>
                <td className="p-2 tabular-nums whitespace-nowrap">{last ? duration(last.durationMs) : "·"}</td>
                <td className="p-2">
                  {job.off !== null ? (
                    // Off in this deployment: it does not run, so its last run (if any, from before) is not its state.
                    <div className="flex flex-col gap-1" data-testid="job-off">
                      <Badge variant="outline" className="w-fit">{t("off")}</Badge>
                      <span className="line-clamp-2 break-words text-xs text-muted-foreground">{job.off}</span>
                    </div>
                  ) : (
                    last && (
                      <div className="flex flex-col gap-1">
                        <Badge variant={OUTCOME_VARIANT[last.outcome]} className="w-fit">{t(`outcomes.${last.outcome}`)}</Badge>
                        {last.message && <span className="line-clamp-2 break-words text-xs text-muted-foreground">{last.message}</span>}
                      </div>
                    )
                  )}
                </td>
                <td className="p-2">
                  <ol className="flex gap-1" aria-label={t("history")}>
                    {job.runs.map((run) => (
                      <li
                        key={run.startedAt.toISOString()}
                        className={cn("size-2.5 rounded-full", OUTCOME_DOT[run.outcome])}
                        title={`${format.dateTime(run.startedAt, { dateStyle: "short", timeStyle: "medium" })} · ${duration(run.durationMs)} · ${t(`outcomes.${run.outcome}`)}${run.message ? ` — ${run.message}` : ""}`}
                      >
                        <span className="sr-only">{t(`outcomes.${run.outcome}`)}</span>
                      </li>
                    ))}
                  </ol>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
