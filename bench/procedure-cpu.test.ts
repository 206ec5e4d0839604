import { sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { setupTestDatabase } from "@/test/database";
import { withoutRateLimits } from "@/test/rate-limits";
import { rebuildDerivedState } from "./derived-state";
import { figureTable, measureProcedureCpu } from "./procedure-cpu";
import { generateScaleData } from "./seed-scale-data";

/** The in-process procedure CPU tool (`bench/procedure-cpu.ts`) at a tiny size, so it keeps working. */
const t = setupTestDatabase();
withoutRateLimits();

beforeAll(async () => {
  await generateScaleData(t.db, { users: 300, messages: 3_000, activePerLang: 3 });
  await rebuildDerivedState(t.db);
}, 120_000);

describe("bench/procedure-cpu.ts", () => {
  it("runs every call of the round trip through the tRPC handler and answers each task it was handed", async () => {
    const users = await t.db.execute<{ id: string }>(sql`
      select id from users where tos_acceptance_date is not null and enabled and not deleted and role = 'general' order by id limit 12`);
    const figures = await measureProcedureCpu(t.db, users.map((user) => user.id), { concurrency: 3 });
    expect(figures.map((figure) => figure.name)).toEqual(["health.ping", "health.session", "tasks.request (random)", "tasks.ack", "submit"]);
    const [ping, session, request, ack, submit] = figures;
    expect([ping!.ok, session!.ok]).toEqual([24, 24]);
    expect(request!.ok).toBeGreaterThan(0);
    // Every task handed out is acknowledged and answered: a failed call would count as not ok.
    expect([ack!.calls, ack!.ok, submit!.calls, submit!.ok]).toEqual([request!.ok, request!.ok, request!.ok, request!.ok]);
    for (const figure of figures) {
      expect(figure.cpuMsPerCall, figure.name).toBeGreaterThan(0);
      expect(figure.endUs, figure.name).toBeGreaterThan(figure.startUs);
    }
    expect(figureTable(figures)).toContain("| health.session | 24 | 24 |");
  }, 120_000);
});
