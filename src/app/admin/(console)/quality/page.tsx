import type { Metadata } from "next";
import Link from "next/link";
import { getFormatter, getTranslations } from "next-intl/server";
import { AlphaBar } from "@/components/quality/alpha-bar";
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
        <Card>
          <CardHeader><CardTitle>{t("byLanguageTitle")}</CardTitle></CardHeader>
          <CardContent className="flex flex-col gap-4">
            {summary.byLanguage.length === 0 && <p className="text-sm text-muted-foreground">{t("empty")}</p>}
            {byLabel(summary.byLanguage).map(([label, rows]) => (
              <section key={label} className="flex flex-col gap-1">
                <h3 className="text-sm font-medium">{label}</h3>
                {rows.map((row) => <AlphaBar key={row.key} label={row.key} alpha={row.alpha} units={row.units} undefinedText={na} />)}
              </section>
            ))}
          </CardContent>
        </Card>
        <Card>
          <CardHeader><CardTitle>{t("byMonthTitle")}</CardTitle></CardHeader>
          <CardContent className="flex flex-col gap-4">
            {summary.byMonth.length === 0 && <p className="text-sm text-muted-foreground">{t("empty")}</p>}
            {byLabel(summary.byMonth).map(([label, rows]) => (
              <section key={label} className="flex flex-col gap-1">
                <h3 className="text-sm font-medium">{label}</h3>
                {rows.map((row) => <AlphaBar key={row.key} label={row.key} alpha={row.alpha} units={row.units} undefinedText={na} />)}
              </section>
            ))}
          </CardContent>
        </Card>
        <Card>
          <CardHeader>
            <CardTitle>{t("groupsTitle")}</CardTitle>
            <CardDescription>{t("groupsLead")}</CardDescription>
          </CardHeader>
          <CardContent>
            {summary.lowestGroups.length === 0 ? (
              <p className="text-sm text-muted-foreground">{t("empty")}</p>
            ) : (
              <div className="overflow-x-auto">
                <table className="w-full text-sm" data-testid="low-agreement-groups">
                  <thead className="text-start text-muted-foreground">
                    <tr><th className="py-1 pe-3 text-start">{t("kendallW")}</th><th className="pe-3 text-start">{t("margin")}</th><th className="pe-3 text-start">{t("rankings")}</th><th className="pe-3 text-start">{t("lang")}</th><th /></tr>
                  </thead>
                  <tbody>
                    {summary.lowestGroups.map((group) => (
                      <tr key={group.parentId} className="border-t">
                        <td className="py-1.5 pe-3 tabular-nums">{group.kendallW === null ? na : group.kendallW.toFixed(2)}</td>
                        <td className="pe-3 tabular-nums">{group.consensusMargin === null ? na : group.consensusMargin.toFixed(2)}</td>
                        <td className="pe-3 tabular-nums">{group.rankings}</td>
                        <td className="pe-3">{group.lang}</td>
                        <td><Link className="underline underline-offset-2" href={`/messages/${group.parentId}`}>{t("open")}</Link></td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
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
              <div className="overflow-x-auto">
                <table className="w-full text-sm" data-testid="reviewer-scores">
                  <thead className="text-muted-foreground">
                    <tr><th className="py-1 pe-3 text-start">{t("reviewer")}</th><th className="pe-3 text-start">{t("score")}</th><th className="text-start">{t("agreements")}</th></tr>
                  </thead>
                  <tbody>
                    {summary.reviewers.lowest.map((row) => (
                      <tr key={row.userId} className="border-t">
                        <td className="py-1.5 pe-3">{row.name ?? row.userId.slice(0, 8)}</td>
                        <td className="pe-3 tabular-nums">{row.score.toFixed(2)}</td>
                        <td className="tabular-nums">{t("agreementsOf", { agreements: row.agreements, trials: row.trials })}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )}
          </CardContent>
        </Card>
      </div>
    </div>
  );
}
