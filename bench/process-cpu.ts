import { readdirSync, readFileSync } from "node:fs";

/**
 * CPU time spent by the processes a load figure runs on, read from Linux's /proc: the app's, the PostgreSQL server's
 * and the load generator's own. A closed loop saturates whichever process is its bottleneck, so a throughput ratio
 * only makes sense next to where each operation's CPU went (issue 15: the app is one Node process, which can use one
 * core however many the machine has).
 */
export type CpuReading = {
  /** CPU ms of the app's processes (their process groups, or every `next-server` process). */
  app: number;
  /** CPU ms of every `postgres` process (the whole server), or null where there is none (the embedded server). */
  database: number | null;
  /** CPU ms of this process. */
  generator: number;
};

/** What one figure cost per operation, and how busy the app's processes were while it ran. */
export type CpuPerOperation = {
  appMs: number;
  databaseMs: number | null;
  generatorMs: number;
  /** The app processes' CPU ÷ (wall time × their number): near 1, the app was the bottleneck. */
  appBusy: number;
};

/** /proc/[pid]/stat reports times in clock ticks of USER_HZ, which is 100 on every Linux this runs on. */
const TICKS_PER_SECOND = 100;

type ProcessCpu = { comm: string; processGroup: number; cpuMs: number };

function readProcesses(): ProcessCpu[] | null {
  let pids: string[];
  try {
    pids = readdirSync("/proc").filter((name) => /^\d+$/.test(name));
  } catch {
    return null; // not Linux
  }
  const processes: ProcessCpu[] = [];
  for (const pid of pids) {
    let stat: string;
    try {
      stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    } catch {
      continue; // ended meanwhile
    }
    // The command name is in parentheses and may itself hold spaces or parentheses: split after the last ")".
    const close = stat.lastIndexOf(")");
    const comm = stat.slice(stat.indexOf("(") + 1, close);
    const fields = stat.slice(close + 2).split(" ");
    // Fields from the state on: state, ppid, pgrp, …, utime (11), stime (12).
    processes.push({ comm, processGroup: Number(fields[2]), cpuMs: ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND });
  }
  return processes;
}

/**
 * Reads the CPU used so far by the app (`appProcessGroups`: the groups of the app processes this run started; null:
 * every `next-server` process), the database server and this process. Null where /proc cannot be read.
 */
export function readCpu(appProcessGroups: readonly number[] | null): CpuReading | null {
  const processes = readProcesses();
  if (!processes) return null;
  const sum = (keep: (p: ProcessCpu) => boolean) => processes.filter(keep).reduce((total, p) => total + p.cpuMs, 0);
  const isApp = appProcessGroups ? (p: ProcessCpu) => appProcessGroups.includes(p.processGroup) : (p: ProcessCpu) => p.comm.startsWith("next-server");
  const own = process.cpuUsage();
  return {
    app: sum(isApp),
    database: processes.some((p) => p.comm === "postgres") ? sum((p) => p.comm === "postgres") : null,
    generator: (own.user + own.system) / 1000,
  };
}

/** The CPU per operation between two readings taken around `operations` operations over `wallMs`. */
export function cpuPerOperation(before: CpuReading, after: CpuReading, operations: number, wallMs: number, appProcesses: number): CpuPerOperation | null {
  if (operations === 0 || wallMs <= 0) return null;
  const app = after.app - before.app;
  return {
    appMs: app / operations,
    databaseMs: before.database === null || after.database === null ? null : (after.database - before.database) / operations,
    generatorMs: (after.generator - before.generator) / operations,
    appBusy: app / (wallMs * appProcesses),
  };
}
