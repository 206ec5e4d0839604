/** One agreement value as a labelled horizontal bar (no client JS; works in dark mode and on phones). */
export function AlphaBar({ label, alpha, units, undefinedText }: { label: string; alpha: number | null; units: number; undefinedText: string }) {
  const width = alpha === null ? 0 : Math.max(0, Math.min(1, alpha)) * 100;
  const tone = alpha === null ? "bg-muted" : alpha >= 0.8 ? "bg-emerald-500" : alpha >= 0.667 ? "bg-amber-500" : "bg-red-500";
  return (
    <div className="grid grid-cols-[minmax(5rem,9rem)_1fr_4rem] items-center gap-2 text-sm">
      <span className="truncate" title={label}>{label}</span>
      <div className="h-2.5 w-full overflow-hidden rounded-full bg-muted" role="presentation">
        <div className={`h-full rounded-full ${tone}`} style={{ width: `${width}%` }} />
      </div>
      <span className="text-end tabular-nums" title={`n = ${units}`}>{alpha === null ? undefinedText : alpha.toFixed(2)}</span>
    </div>
  );
}
