import type { Metadata } from "next";
import Link from "next/link";
import { getFormatter, getTranslations } from "next-intl/server";
import { AlphaBar } from "@/components/quality/alpha-bar";
import { QualityTable } from "@/components/quality/quality-table";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import type { QualitySummary } from "@/server/domain/quality/summary";
import { serverCaller } from "@/trpc/server";

export const metadata: Metadata = { title: "Quality" };

/** Groups α rows by label, keeping the query's key order (languages, months ascending). */
function byLabel(rows: QualitySummary["byLanguage"]) {
  const groups = new Map<string, QualitySummary["byLanguage"]>();
  for (const row of rows) groups.set(row.label, [...(groups.get(row.label) ?? []), row]);
  return [...groups];
}

/** α per label, one bar per key (a language or a month) under each label. */
function AlphaByKeyCard({ title, rows, emptyText, undefinedText }: { title: string; rows: QualitySummary["byLanguage"]; emptyText: string; undefinedText: string }) {
  return (
    <Card>
      <CardHeader><CardTitle>{title}</CardTitle></CardHeader>
      <CardContent className="flex flex-col gap-4">
        {rows.length === 0 && <p className="text-sm text-muted-foreground">{emptyText}</p>}
        {byLabel(rows).map(([label, group]) => (
          <section key={label} className="flex flex-col gap-1">
            <h3 className="text-sm font-medium">{label}</h3>
            {group.map((row) => <AlphaBar key={row.key} label={row.key} alpha={row.alpha} units={row.units} undefinedText={undefinedText} />)}
          </section>
        ))}
      </CardContent>
    </Card>
  );
}

/** Moderators' view of agreement and uncertainty, from the nightly quality job (server-rendered). */
export default async function QualityPage() {
  // Access is the console layout's (src/app/admin/access.ts): moderators and admins only.
  const t = await getTranslations("quality");
  const api = await serverCaller();
  const [summary, format] = await Promise.all([api.quality.summary({ lowest: 20 }), getFormatter()]);
  const na = t("undefined");
  return (
    <div className="flex flex-col gap-6" data-testid="quality-page">
      <div>
        <h1 className="text-2xl font-bold tracking-tight">{t("title")}</h1>
        <p className="text-muted-foreground">{t("lead")}</p>
        <p className="text-sm text-muted-foreground">
          {summary.computedAt ? t("computedAt", { date: format.dateTime(summary.computedAt, { dateStyle: "medium", timeStyle: "short" }) }) : t("notComputed")}
        </p>
      </div>
      <div className="grid gap-6 lg:grid-cols-2">
        <Card>
          <CardHeader>
            <CardTitle>{t("labelsTitle")}</CardTitle>
            <CardDescription>{t("labelsLead")}</CardDescription>
          </CardHeader>
          <CardContent className="flex flex-col gap-2">
            {summary.labels.length === 0 ? (
              <p className="text-sm text-muted-foreground">{t("empty")}</p>
            ) : (
              summary.labels.map((row) => (
                <AlphaBar key={row.label} label={`${row.label} (${t(row.metric)})`} alpha={row.alpha} units={row.units} undefinedText={na} />
              ))
            )}
          </CardContent>
        </Card>
        <AlphaByKeyCard title={t("byLanguageTitle")} rows={summary.byLanguage} emptyText={t("empty")} undefinedText={na} />
        <AlphaByKeyCard title={t("byMonthTitle")} rows={summary.byMonth} emptyText={t("empty")} undefinedText={na} />
        <Card>
          <CardHeader>
            <CardTitle>{t("groupsTitle")}</CardTitle>
            <CardDescription>{t("groupsLead")}</CardDescription>
          </CardHeader>
          <CardContent>
            {summary.lowestGroups.length === 0 ? (
              <p className="text-sm text-muted-foreground">{t("empty")}</p>
            ) : (
              <QualityTable
                testId="low-agreement-groups"
                rows={summary.lowestGroups}
                rowKey={(group) => group.parentId}
                columns={[
                  { header: t("kendallW"), numeric: true, cell: (group) => (group.kendallW === null ? na : group.kendallW.toFixed(2)) },
                  { header: t("margin"), numeric: true, cell: (group) => (group.consensusMargin === null ? na : group.consensusMargin.toFixed(2)) },
                  { header: t("rankings"), numeric: true, cell: (group) => group.rankings },
                  { header: t("lang"), cell: (group) => group.lang },
                  {
                    header: "",
                    cell: (group) => (
                      <span className="flex flex-wrap gap-x-3 whitespace-nowrap">
                        <Link className="underline underline-offset-2" href={`/messages/${group.parentId}`}>{t("open")}</Link>
                        {group.queueItem
                          ? <Link className="underline underline-offset-2" href={`/admin/queue?kind=split_reviews&item=${group.queueItem.id}`} data-testid="queue-link">{t("queueItem")}</Link>
                          : <span className="text-muted-foreground">{t("notQueued")}</span>}
                      </span>
                    ),
                  },
                ]}
              />
            )}
          </CardContent>
        </Card>
        <Card className="lg:col-span-2">
          <CardHeader>
            <CardTitle>{t("reviewersTitle")}</CardTitle>
            <CardDescription>{t("reviewersLead", { count: summary.reviewers.scored })}</CardDescription>
          </CardHeader>
          <CardContent>
            {summary.reviewers.lowest.length === 0 ? (
              <p className="text-sm text-muted-foreground">{t("empty")}</p>
            ) : (
              <QualityTable
                testId="reviewer-scores"
                rows={summary.reviewers.lowest}
                rowKey={(row) => row.userId}
                columns={[
                  { header: t("reviewer"), cell: (row) => row.name ?? row.userId.slice(0, 8) },
                  { header: t("score"), numeric: true, cell: (row) => row.score.toFixed(2) },
                  { header: t("agreements"), numeric: true, cell: (row) => t("agreementsOf", { agreements: row.agreements, trials: row.trials }) },
                  { header: t("goldTitle"), numeric: true, cell: (row) => (row.goldTrials === 0 ? na : t("agreementsOf", { agreements: row.goldCorrect, trials: row.goldTrials })) },
                ]}
              />
            )}
          </CardContent>
        </Card>
      </div>
    </div>
  );
}
