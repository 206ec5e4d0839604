import type { CpuPerOperation } from "./process-cpu";

/** Latency samples of one figure of the load benchmark and their summary. */
export type LoadSample = { ms: number; error: string | null };

export type Summary = {
  name: string;
  mode: "closed" | "open";
  count: number;
  perSecond: number;
  p50: number;
  p95: number;
  p99: number;
  errors: number;
  /** Calls answered "no task of that type for you now": the workload ran dry, not a failure of the server. */
  noWork: number;
  /** Failed calls by kind (tRPC code or app code, UNANSWERED for open-loop calls still out at the end). */
  errorKinds: Record<string, number>;
  /**
   * Open loop: how late the load generator itself sent its requests (ms after their scheduled time, p95 and max).
   * The latencies are timed from the scheduled time whatever this is; a large lag says the generator, not the
   * server, fell behind.
   */
  sendLag?: { p95: number; max: number };
  /** Closed loops on Linux: the CPU each operation cost the app, the database and the load generator. */
  cpu?: CpuPerOperation;
};

/** App codes that mean "nothing to hand out to this user right now". */
const NO_WORK = new Set(["TASK_REQUESTED_TYPE_NOT_AVAILABLE"]);

/** The q-quantile (0..1) of sorted values, nearest-rank. */
export function quantile(sorted: number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[rank]!;
}

export function summarize(name: string, mode: Summary["mode"], samples: LoadSample[], seconds: number, sendLags?: number[]): Summary {
  const latencies = samples.map((s) => s.ms).sort((a, b) => a - b);
  const errorKinds: Record<string, number> = {};
  let noWork = 0;
  for (const sample of samples) {
    if (sample.error && NO_WORK.has(sample.error)) noWork++;
    else if (sample.error) errorKinds[sample.error] = (errorKinds[sample.error] ?? 0) + 1;
  }
  const errors = samples.filter((s) => s.error && !NO_WORK.has(s.error)).length;
  return {
    name,
    mode,
    count: samples.length,
    perSecond: (samples.length - errors - noWork) / seconds,
    p50: quantile(latencies, 0.5),
    p95: quantile(latencies, 0.95),
    p99: quantile(latencies, 0.99),
    errors,
    noWork,
    errorKinds,
    ...(sendLags && sendLags.length > 0 ? { sendLag: lagSummary(sendLags) } : {}),
  };
}

function lagSummary(lags: number[]): { p95: number; max: number } {
  const sorted = [...lags].sort((a, b) => a - b);
  return { p95: quantile(sorted, 0.95), max: sorted.at(-1)! };
}

/** One line per open-loop row: how late the generator sent (see `Summary.sendLag`). */
export function formatSendLags(rows: Summary[]): string {
  return rows
    .filter((row) => row.sendLag)
    .map((row) => `- ${row.name}: the generator sent its requests p95 ${ms(row.sendLag!.p95)} ms, at most ${ms(row.sendLag!.max)} ms after their scheduled time.`)
    .join("\n");
}

const ms = (value: number) => (Number.isFinite(value) ? value.toFixed(value < 10 ? 1 : 0) : "∞");

/** Whether `row` is an open-loop floor of the authed no-op (an open-loop figure is compared with the latest one before it). */
export const isOpenFloor = (row: Summary) => row.mode === "open" && row.name.startsWith("floor: health.session");

/** "3.47 · 0.25 · 1.10 (97 %)": app, database ("–" where unknown) and generator ms per operation; the app's busy share. */
export function formatCpu(cpu: CpuPerOperation | undefined): string {
  if (!cpu) return "";
  const database = cpu.databaseMs === null ? "–" : cpu.databaseMs.toFixed(2);
  return `${cpu.appMs.toFixed(2)} · ${database} · ${cpu.generatorMs.toFixed(2)} (${(cpu.appBusy * 100).toFixed(0)} %)`;
}

/**
 * A Markdown table; ratios are to `floor` (closed loop, throughput) and, for an open-loop row, to the authed no-op's
 * open loop measured last before it in `rows` (or `openFloor`): on a shared machine the nearest floor in time is the fair one.
 */
export function formatTable(rows: Summary[], floor: Summary, openFloor?: Summary): string {
  const header =
    "| figure | loop | ok/s | p50 ms | p95 ms | p99 ms | errors | no work | ratio to authed no-op | CPU ms per op: app · database · load generator (app busy) |\n" +
    "|---|---|---|---|---|---|---|---|---|---|";
  const lines = rows.map((row, index) => {
    const nearest = rows.slice(0, index + 1).findLast(isOpenFloor) ?? openFloor;
    const ratio =
      row.mode === "closed"
        ? `${((row.perSecond / floor.perSecond) * 100).toFixed(0)} % of its throughput`
        : nearest
          ? `p95 × ${(row.p95 / nearest.p95).toFixed(2)}`
          : "";
    const errors = row.errors === 0 ? "0" : `${row.errors} (${Object.entries(row.errorKinds).map(([k, v]) => `${k} ${v}`).join(", ")})`;
    return `| ${row.name} | ${row.mode} | ${row.perSecond.toFixed(1)} | ${ms(row.p50)} | ${ms(row.p95)} | ${ms(row.p99)} | ${errors} | ${row.noWork} | ${ratio} | ${formatCpu(row.cpu)} |`;
  });
  return [header, ...lines].join("\n");
}
