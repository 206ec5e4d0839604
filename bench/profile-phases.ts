/**
 * Splits a V8 CPU profile by the phases of a benchmark run and says where each phase's samples went, grouped by
 * package (or by function):
 *
 *   node --cpu-prof --cpu-prof-dir=/tmp/prof --import tsx bench/procedure-cpu.ts --db=… --windows=/tmp/windows.json
 *   npx tsx bench/profile-phases.ts --profile=/tmp/prof/CPU.….0.001.cpuprofile --windows=/tmp/windows.json
 *     [--by=package|function] [--top=20] [--phase=submit]
 *
 * `--cpu-prof` writes one profile per thread; the main thread's is the one whose name ends in `.0.001.cpuprofile`.
 * The windows file is the list `bench/procedure-cpu.ts --windows=` writes: each phase's name and its start and end on
 * the profile's clock (microseconds of `process.hrtime`, which is what V8 stamps samples with).
 *
 * Read the shares with one caveat: V8 samples on a wall-clock timer, so a thread that is descheduled inside a native
 * call keeps being sampled there. On a 2-core machine shared with PostgreSQL, a socket write that wakes a database
 * backend is often preempted by it, and `writeBuffer` then collects samples that are the backend's CPU, not ours.
 */
import { readFileSync } from "node:fs";
import { pathToFileURL } from "node:url";
import { flag } from "./cli-flags";

/** The parts of a `.cpuprofile` (Chrome DevTools Protocol `Profiler.Profile`) this reads. */
export type CpuProfile = {
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; children?: number[] }[];
  startTime: number;
  samples: number[];
  timeDeltas: number[];
};
export type PhaseWindow = { name: string; startUs: number; endUs: number };
export type Grouping = "package" | "function";
export type PhaseShares = { phase: string; samples: number; self: { key: string; share: number }[] };

type CallFrame = CpuProfile["nodes"][number]["callFrame"];

/**
 * What a sample is charged to: a package by its npm name, the app's own code by its first two folders under `src/`,
 * Node's internals by module, V8's pseudo-frames ("(garbage collector)", "(program)") and natives by name.
 */
export function groupOf(frame: CallFrame, by: Grouping): string {
  const where = frame.url.replace(/^file:\/\//, "");
  // The last node_modules of the path names the package (a nested install sits under its dependent's).
  const packageName = where.match(/.*node_modules\/((?:@[^/]+\/)?[^/]+)/)?.[1];
  if (by === "function") {
    const place = packageName ? `${packageName}/${where.replace(/.*node_modules\/(?:@[^/]+\/)?[^/]+\//, "")}`
      : where.replace(/.*?\/(src|bench)\//, "$1/");
    return `${frame.functionName || "(anonymous)"}${place ? ` ${place}:${frame.lineNumber + 1}` : ""}`;
  }
  if (packageName) return packageName;
  const app = where.match(/\/(src|bench)\/(.*)$/);
  if (app) return `${app[1]}/${app[2]!.split("/").slice(0, -1).slice(0, 2).join("/") || app[2]}`;
  return where || frame.functionName || "(anonymous)";
}

/** Each window's samples (idle ones left out), with the share of each group's own (self) samples, largest first. */
export function phaseShares(profile: CpuProfile, windows: readonly PhaseWindow[], by: Grouping = "package"): PhaseShares[] {
  const frames = new Map(profile.nodes.map((node) => [node.id, node.callFrame]));
  const counts = windows.map(() => new Map<string, number>());
  const totals = windows.map(() => 0);
  let at = profile.startTime;
  for (let i = 0; i < profile.samples.length; i++) {
    at += profile.timeDeltas[i]!;
    const frame = frames.get(profile.samples[i]!);
    if (!frame || frame.functionName === "(idle)") continue;
    const index = windows.findIndex((window) => at >= window.startUs && at <= window.endUs);
    if (index < 0) continue;
    const key = groupOf(frame, by);
    counts[index]!.set(key, (counts[index]!.get(key) ?? 0) + 1);
    totals[index]! += 1;
  }
  return windows.map((window, index) => ({
    phase: window.name,
    samples: totals[index]!,
    self: [...counts[index]!].sort((a, b) => b[1] - a[1]).map(([key, n]) => ({ key, share: n / totals[index]! })),
  }));
}

async function main(): Promise<void> {
  const profileFile = flag("profile");
  const windowsFile = flag("windows");
  if (!profileFile || !windowsFile) {
    console.error("Usage: bench/profile-phases.ts --profile=<file.cpuprofile> --windows=<windows.json> [--by=package|function] [--top=20] [--phase=name]");
    process.exit(2);
  }
  const by = flag("by") === "function" ? "function" : "package";
  const top = Number(flag("top") ?? 20);
  const only = flag("phase");
  const profile = JSON.parse(readFileSync(profileFile, "utf8")) as CpuProfile;
  const windows = (JSON.parse(readFileSync(windowsFile, "utf8")) as PhaseWindow[]).filter((window) => !only || window.name === only);
  for (const { phase, samples, self } of phaseShares(profile, windows, by)) {
    console.log(`\n## ${phase} (${samples} samples)\n\n| ${by} | self share |\n|---|---|`);
    for (const { key, share } of self.slice(0, top)) console.log(`| ${key} | ${(100 * share).toFixed(1)} % |`);
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) await main();
