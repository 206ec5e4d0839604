import type { Metadata } from "next";
import { getFormatter, getTranslations } from "next-intl/server";
import { Card, CardContent } from "@/components/ui/card";
import { ARENA_BOOTSTRAP_SAMPLES, ARENA_DAILY_CAP } from "@/server/domain/quality/arena-compute";
import { serverCaller } from "@/trpc/server";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("arena"))("title") };
}

/**
 * The public model leaderboard (issue 14 item 5): Bradley–Terry strengths fitted by the arena job from chat votes
 * and draft picks, with bootstrap 95 % intervals drawn as bars on one shared scale.
 */
export default async function ModelsPage() {
  const [t, format, api] = await Promise.all([getTranslations("arena"), getFormatter(), serverCaller()]);
  const board = await api.arena.leaderboard();
  const signed = (value: number) => format.number(value, { minimumFractionDigits: 2, maximumFractionDigits: 2, signDisplay: "exceptZero" });
  const low = Math.min(0, ...board.entries.map((entry) => entry.lower));
  const high = Math.max(0, ...board.entries.map((entry) => entry.upper));
  const span = high - low || 1;
  const percent = (value: number) => `${((value - low) / span) * 100}%`;
  const summary = [
    [t("summary.comparisons"), board.comparisons],
    [t("summary.comparisonsUsed"), board.comparisonsUsed],
    [t("summary.votersKept"), board.votersKept],
    [t("summary.votersDropped"), board.votersDropped],
  ] as const;

  return (
    <div className="flex flex-col gap-6">
      <div className="flex flex-col gap-1">
        <h1 className="text-3xl font-bold tracking-tight">{t("title")}</h1>
        <p className="max-w-3xl text-muted-foreground">{t("lead")}</p>
        {board.computedAt && (
          <p className="text-sm text-muted-foreground" data-testid="arena-computed">
            {t("computedAt", { when: format.dateTime(board.computedAt, { dateStyle: "medium", timeStyle: "short" }) })}
          </p>
        )}
      </div>

      {board.entries.length === 0 ? (
        <Card data-testid="arena-empty">
          <CardContent className="flex flex-col gap-1 py-10 text-center">
            <p className="font-medium">{t("empty.title")}</p>
            <p className="text-sm text-muted-foreground">{t("empty.body")}</p>
          </CardContent>
        </Card>
      ) : (
        <>
          <dl className="grid grid-cols-2 gap-3 md:grid-cols-4">
            {summary.map(([label, value]) => (
              <Card key={label} className="p-4">
                <dt className="text-sm text-muted-foreground">{label}</dt>
                <dd className="text-2xl font-semibold tabular-nums">{format.number(value)}</dd>
              </Card>
            ))}
          </dl>
          <Card className="overflow-hidden p-0">
            <table className="w-full text-sm" data-testid="arena-table">
              <caption className="sr-only">{t("caption")}</caption>
              <thead className="border-b bg-muted/50 text-start text-muted-foreground">
                <tr>
                  <th scope="col" className="w-12 px-3 py-2 text-start font-medium">{t("columns.rank")}</th>
                  <th scope="col" className="px-3 py-2 text-start font-medium">{t("columns.model")}</th>
                  <th scope="col" className="px-3 py-2 text-end font-medium">{t("columns.strength")}</th>
                  <th scope="col" className="hidden w-2/5 px-3 py-2 text-start font-medium sm:table-cell">{t("columns.interval")}</th>
                  <th scope="col" className="hidden px-3 py-2 text-end font-medium sm:table-cell">{t("columns.comparisons")}</th>
                </tr>
              </thead>
              <tbody>
                {board.entries.map((entry) => {
                  const interval = t("intervalLabel", { lower: signed(entry.lower), upper: signed(entry.upper) });
                  return (
                    <tr key={entry.model} className="border-b last:border-0" data-testid="arena-row">
                      <td className="px-3 py-2 font-semibold tabular-nums">{entry.rank}</td>
                      <td className="px-3 py-2 font-medium break-words">
                        {entry.model}
                        <span className="block text-xs font-normal text-muted-foreground sm:hidden">{t("comparisonsCount", { count: entry.comparisons })}</span>
                      </td>
                      <td className="px-3 py-2 text-end tabular-nums">
                        <span>{signed(entry.strength)}</span>
                        <span className="block whitespace-nowrap text-xs text-muted-foreground" aria-label={interval}>
                          {t("intervalShort", { lower: signed(entry.lower), upper: signed(entry.upper) })}
                        </span>
                      </td>
                      <td className="hidden px-3 py-2 sm:table-cell">
                        <div className="relative h-4 w-full" role="img" aria-label={interval}>
                          <div className="absolute inset-y-1/2 h-px w-full bg-border" />
                          <div className="absolute top-0 h-full w-px bg-muted-foreground/40" style={{ left: percent(0) }} />
                          <div
                            className="absolute top-1 h-2 rounded-full bg-primary/30"
                            style={{ left: percent(entry.lower), width: `calc(${percent(entry.upper)} - ${percent(entry.lower)})`, minWidth: "2px" }}
                          />
                          <div className="absolute top-0.5 size-3 -translate-x-1/2 rounded-full bg-primary" style={{ left: percent(entry.strength) }} />
                        </div>
                      </td>
                      <td className="hidden px-3 py-2 text-end tabular-nums sm:table-cell">{format.number(entry.comparisons)}</td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </Card>
          <p className="max-w-3xl text-sm text-muted-foreground">{t("method", { cap: ARENA_DAILY_CAP, samples: ARENA_BOOTSTRAP_SAMPLES })}</p>
        </>
      )}
    </div>
  );
}
