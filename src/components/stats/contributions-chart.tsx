import type { CachedStatsValues } from "@/server/domain/stats/dto";

type Day = CachedStatsValues["contributions_by_day"][number];
export const SERIES = ["prompts", "replies", "labels", "rankings"] as const;
type Series = (typeof SERIES)[number];

/** Fixed palette readable on both themes (Tailwind's 500/400 steps). */
export const SERIES_COLORS: Record<Series, { fill: string; swatch: string }> = {
  prompts: { fill: "fill-indigo-500", swatch: "bg-indigo-500" },
  replies: { fill: "fill-sky-400", swatch: "bg-sky-400" },
  labels: { fill: "fill-emerald-500", swatch: "bg-emerald-500" },
  rankings: { fill: "fill-amber-400", swatch: "bg-amber-400" },
};

type Labels = { title: string; description: string; day: string; total: string; series: Record<Series, string>; dataTable: string };

/**
 * Stacked daily bars in plain SVG. The picture is `role="img"` with a title and description; each bar has a
 * tooltip; the exact numbers are in a table behind a disclosure for keyboard and screen-reader users.
 */
export function ContributionsChart({ days, labels, format }: { days: Day[]; labels: Labels; format: (value: number) => string }) {
  const totals = days.map((day) => SERIES.reduce((sum, series) => sum + day[series], 0));
  const max = Math.max(1, ...totals);
  const width = days.length * 10;
  return (
    <figure className="flex flex-col gap-3">
      <div className="flex gap-2">
        <div className="flex h-44 flex-col justify-between text-right text-xs tabular-nums text-muted-foreground" aria-hidden>
          <span>{format(max)}</span>
          <span>0</span>
        </div>
        <svg viewBox={`0 0 ${width} 100`} preserveAspectRatio="none" role="img" aria-labelledby="contrib-title contrib-desc" className="h-44 w-full">
          <title id="contrib-title">{labels.title}</title>
          <desc id="contrib-desc">{labels.description}</desc>
          <line x1="0" x2={width} y1="0.5" y2="0.5" className="stroke-border" strokeWidth="1" strokeDasharray="4 4" vectorEffect="non-scaling-stroke" />
          <line x1="0" x2={width} y1="100" y2="100" className="stroke-border" strokeWidth="1" vectorEffect="non-scaling-stroke" />
          {days.map((day, index) => {
            let top = 100;
            return (
              <g key={day.day}>
                <title>{`${day.day}: ${SERIES.map((series) => `${labels.series[series]} ${format(day[series])}`).join(", ")}`}</title>
                {SERIES.map((series) => {
                  const height = (day[series] / max) * 100;
                  top -= height;
                  return height > 0 ? <rect key={series} x={index * 10 + 1.5} y={top} width={7} height={height} className={SERIES_COLORS[series].fill} /> : null;
                })}
              </g>
            );
          })}
        </svg>
      </div>
      <div className="flex justify-between ps-8 text-xs text-muted-foreground" aria-hidden>
        <span>{days[0]?.day}</span>
        <span>{days.at(-1)?.day}</span>
      </div>
      <figcaption className="flex flex-wrap gap-x-4 gap-y-1 text-sm">
        {SERIES.map((series) => (
          <span key={series} className="inline-flex items-center gap-1.5">
            <span className={`size-3 rounded-sm ${SERIES_COLORS[series].swatch}`} aria-hidden />
            {labels.series[series]}
          </span>
        ))}
      </figcaption>
      <details className="text-sm">
        <summary className="cursor-pointer text-muted-foreground">{labels.dataTable}</summary>
        <div className="mt-2 max-h-72 overflow-auto">
          <table className="w-full text-left tabular-nums">
            <thead className="sticky top-0 bg-card">
              <tr>
                <th scope="col" className="py-1 pe-3 font-medium">{labels.day}</th>
                {SERIES.map((series) => <th key={series} scope="col" className="py-1 pe-3 font-medium">{labels.series[series]}</th>)}
                <th scope="col" className="py-1 font-medium">{labels.total}</th>
              </tr>
            </thead>
            <tbody>
              {days.map((day, index) => (
                <tr key={day.day} className="border-t">
                  <th scope="row" className="py-1 pe-3 font-normal">{day.day}</th>
                  {SERIES.map((series) => <td key={series} className="py-1 pe-3">{format(day[series])}</td>)}
                  <td className="py-1">{format(totals[index]!)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </details>
    </figure>
  );
}
