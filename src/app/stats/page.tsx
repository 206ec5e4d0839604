import type { Metadata } from "next";
import { getFormatter, getLocale, getTranslations } from "next-intl/server";
import { BarList } from "@/components/stats/bar-list";
import { ChartCard } from "@/components/stats/chart-card";
import { ContributionsChart, SERIES } from "@/components/stats/contributions-chart";
import { RefreshStatsButton } from "@/components/stats/refresh-stats-button";
import { TreeStatesTable } from "@/components/stats/tree-states-table";
import { Card, CardContent } from "@/components/ui/card";
import { TREE_STATES, type TreeState } from "@/server/db/schema";
import { requireUser } from "@/server/auth/guards";
import { isModerator } from "@/server/domain/users/access";
import { serverCaller } from "@/trpc/server";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("common.pageTitles"))("stats") };
}

/** Languages listed by name in the language chart; the rest are summed as "other". */
const TOP_LANGUAGES = 10;

export default async function StatsPage() {
  const user = await requireUser("/stats");
  const [t, format, locale, api] = await Promise.all([getTranslations("stats"), getFormatter(), getLocale(), serverCaller()]);
  const { stats, lastUpdated } = await api.stats.cached();
  const number = (value: number) => format.number(value);
  const names = new Intl.DisplayNames([locale], { type: "language" });
  const languageName = (lang: string) => {
    try {
      return names.of(lang) ?? lang;
    } catch {
      return lang;
    }
  };
  const sum = (record: Record<string, number> = {}) => Object.values(record).reduce((total, value) => total + value, 0);
  const byLang = Object.entries(stats.human_messages_by_lang ?? {}).sort(([, a], [, b]) => b - a);
  const langBars = byLang.slice(0, TOP_LANGUAGES).map(([lang, value]) => ({ key: lang, label: languageName(lang), value }));
  if (byLang.length > TOP_LANGUAGES) {
    langBars.push({ key: "other", label: t("charts.otherLanguages"), value: byLang.slice(TOP_LANGUAGES).reduce((total, [, value]) => total + value, 0) });
  }
  const stateBars = TREE_STATES.filter((state) => stats.message_trees_by_state?.[state])
    .map((state) => ({ key: state, label: t(`states.${state}`), value: stats.message_trees_by_state![state]! }));
  const roleBars = (["prompter", "assistant"] as const).map((role) => ({ key: role, label: t(`roles.${role}`), value: stats.human_messages_by_role?.[role] ?? 0 }));
  const summary = [
    [t("summary.messages"), sum(stats.human_messages_by_role)],
    [t("summary.trees"), sum(stats.message_trees_by_state)],
    [t("summary.contributors"), stats.users_accepted_tos?.count ?? 0],
  ] as const;
  const empty = Object.keys(stats).length === 0;
  const noData = <p className="text-sm text-muted-foreground">{t("charts.noData")}</p>;

  return (
    <div className="flex flex-col gap-6">
      <div className="flex flex-wrap items-start justify-between gap-4">
        <div className="flex flex-col gap-1">
          <h1 className="text-3xl font-bold tracking-tight">{t("title")}</h1>
          <p className="text-muted-foreground">{t("lead")}</p>
          {lastUpdated && <p className="text-sm text-muted-foreground" data-testid="stats-updated">{t("lastUpdated", { when: format.dateTime(lastUpdated, { dateStyle: "medium", timeStyle: "short" }) })}</p>}
        </div>
        {isModerator(user) && <RefreshStatsButton />}
      </div>

      {empty ? (
        <Card data-testid="stats-empty">
          <CardContent className="flex flex-col gap-1 py-10 text-center">
            <p className="font-medium">{t("empty.title")}</p>
            <p className="text-sm text-muted-foreground">{t("empty.body")}</p>
          </CardContent>
        </Card>
      ) : (
        <>
          <dl className="grid gap-3 sm:grid-cols-3">
            {summary.map(([label, value]) => (
              <Card key={label} className="p-4">
                <dt className="text-sm text-muted-foreground">{label}</dt>
                <dd className="text-2xl font-semibold tabular-nums">{number(value)}</dd>
              </Card>
            ))}
          </dl>
          <ChartCard id="contributions" title={t("charts.contributions", { days: stats.contributions_by_day?.length ?? 30 })} description={t("charts.contributionsDescription")}>
            {stats.contributions_by_day ? (
              <ContributionsChart
                days={stats.contributions_by_day}
                format={number}
                labels={{
                  title: t("charts.contributions", { days: stats.contributions_by_day.length }),
                  description: t("charts.contributionsDescription"),
                  day: t("charts.day"),
                  total: t("charts.total"),
                  dataTable: t("charts.dataTable"),
                  series: Object.fromEntries(SERIES.map((series) => [series, t(`series.${series}`)])) as Record<(typeof SERIES)[number], string>,
                }}
              />
            ) : noData}
          </ChartCard>
          <div className="grid items-start gap-6 md:grid-cols-2">
            <ChartCard id="trees-by-state" title={t("charts.treesByState")} description={t("charts.treesByStateDescription")}>
              {stateBars.length > 0 ? <BarList bars={stateBars} label={t("charts.treesByState")} format={number} /> : noData}
            </ChartCard>
            <div className="flex flex-col gap-6">
              <ChartCard id="messages-by-role" title={t("charts.messagesByRole")} description={t("charts.messagesByRoleDescription")}>
                <BarList bars={roleBars} label={t("charts.messagesByRole")} format={number} />
              </ChartCard>
              <ChartCard id="messages-by-lang" title={t("charts.messagesByLang")} description={t("charts.messagesByLangDescription", { count: Math.min(byLang.length, TOP_LANGUAGES) })}>
                {langBars.length > 0 ? <BarList bars={langBars} label={t("charts.messagesByLang")} format={number} /> : noData}
              </ChartCard>
            </div>
          </div>
          <ChartCard id="states-by-lang" title={t("charts.statesByLang")} description={t("charts.statesByLangDescription")}>
            {stats.message_trees_states_by_lang?.length ? (
              <TreeStatesTable
                rows={stats.message_trees_states_by_lang}
                stateLabel={(state: TreeState) => t(`states.${state}`)}
                languageName={languageName}
                labels={{ language: t("charts.language"), total: t("charts.total"), caption: t("charts.statesByLang") }}
                format={number}
              />
            ) : noData}
          </ChartCard>
        </>
      )}
    </div>
  );
}
