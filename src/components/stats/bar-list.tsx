export type Bar = { key: string; label: string; value: number };

/**
 * A horizontal bar chart as a list: every bar's label and number are text (screen readers read the list), the bar
 * itself is decoration. No chart library; works in light and dark themes and at phone width.
 */
export function BarList({ bars, label, format }: { bars: Bar[]; label: string; format: (value: number) => string }) {
  const max = Math.max(1, ...bars.map((bar) => bar.value));
  return (
    <ul aria-label={label} className="flex flex-col gap-3">
      {bars.map((bar) => (
        <li key={bar.key} className="flex flex-col gap-1" data-testid={`bar-${bar.key}`}>
          <div className="flex items-baseline justify-between gap-3 text-sm">
            <span className="truncate">{bar.label}</span>
            <span className="font-medium tabular-nums">{format(bar.value)}</span>
          </div>
          <div className="h-2 overflow-hidden rounded-full bg-muted" aria-hidden>
            <div className="h-full rounded-full bg-primary" style={{ width: `${(bar.value / max) * 100}%` }} />
          </div>
        </li>
      ))}
    </ul>
  );
}
