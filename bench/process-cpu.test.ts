import { spawn } from "node:child_process";
import { describe, expect, it } from "vitest";
import { formatCpu } from "./load-stats";
import { cpuPerOperation, readCpu } from "./process-cpu";

/** Burns `ms` of this process's CPU (timed by CPU, not the clock, so a busy machine does not shorten it). */
function spin(ms: number) {
  const start = process.cpuUsage();
  let x = 0;
  for (let used = process.cpuUsage(start); used.user + used.system < ms * 1000; used = process.cpuUsage(start)) x += Math.sqrt(x + 1);
  return x;
}

describe.runIf(process.platform === "linux")("process CPU for the load benchmark", () => {
  it("counts the CPU of a process group apart from this process's own", async () => {
    // A child in its own process group, like an app process started with --start: it burns 300 ms of CPU when told,
    // says so, and stays alive (an exited process's time leaves /proc with it).
    const child = spawn(
      process.execPath,
      ["-e", "process.stdin.once('data', () => { const s = process.cpuUsage(); for (let u = process.cpuUsage(s); u.user + u.system < 300000; u = process.cpuUsage(s)) {} console.log('done'); }); console.log('ready'); setTimeout(() => {}, 30000)"],
      { detached: true, stdio: ["pipe", "pipe", "ignore"] },
    );
    try {
      const group = [child.pid!];
      await new Promise((resolve) => child.stdout!.once("data", resolve)); // started
      await new Promise((resolve) => setTimeout(resolve, 100)); // and idle
      const before = readCpu(group)!;
      const started = performance.now();
      const done = new Promise((resolve) => child.stdout!.once("data", resolve));
      child.stdin!.write("go\n");
      spin(100);
      await done;
      const wallMs = performance.now() - started;
      const after = readCpu(group)!;
      // Clock ticks are 10 ms: allow for the granularity and a slow start.
      expect(after.app - before.app).toBeGreaterThanOrEqual(250);
      expect(after.app - before.app).toBeLessThanOrEqual(400);
      expect(after.generator - before.generator).toBeGreaterThanOrEqual(90);
      const perOp = cpuPerOperation(before, after, 10, wallMs, 1)!;
      expect(perOp.appMs).toBeCloseTo((after.app - before.app) / 10);
      expect(perOp.appBusy).toBeCloseTo((after.app - before.app) / wallMs);
    } finally {
      process.kill(-child.pid!, "SIGKILL");
    }
  });

  it("says nothing for a figure without operations, and marks an unknown database", () => {
    const reading = { app: 100, database: null, generator: 50 };
    expect(cpuPerOperation(reading, { app: 200, database: null, generator: 60 }, 0, 1000, 1)).toBeNull();
    const perOp = cpuPerOperation(reading, { app: 200, database: null, generator: 60 }, 20, 1000, 2)!;
    expect(perOp).toEqual({ appMs: 5, databaseMs: null, generatorMs: 0.5, appBusy: 0.05 });
    expect(formatCpu(perOp)).toBe("5.00 · – · 0.50 (5 %)");
    expect(formatCpu({ ...perOp, databaseMs: 1.234 })).toBe("5.00 · 1.23 · 0.50 (5 %)");
  });
});
