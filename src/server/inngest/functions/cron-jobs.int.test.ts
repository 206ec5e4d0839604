import { InngestTestEngine } from "@inngest/test";
import { eq, sql } from "drizzle-orm";
import { Inngest } from "inngest";
import { beforeAll, describe, expect, it } from "vitest";
import { cachedStats, messageTreeStates, tasks, trollStats, users, userStats } from "@/server/db/schema";
import { hoursAgo, seedMessage, seedTree } from "@/server/domain/leaderboard/scenario.test-helper";
import { setupTestDatabase } from "@/test/database";
import { createTestUser } from "@/test/factories";
import type { CronJob } from "../job";
import { silentLogger, testJobDeps } from "../test-deps.test-helper";
import { toInngestFunction } from "../to-inngest";
import { cleanupExpiredTasksJob } from "./cleanup-expired-tasks";
import { refreshCachedStatsJob } from "./refresh-cached-stats";
import { LEADERBOARD_SCHEDULES, refreshLeaderboardJobs } from "./refresh-leaderboard";
import { refreshTrollStatsJob } from "./refresh-troll-stats";
import { resetStreaksJob } from "./reset-streaks";
import { runPromptLotteryJob } from "./run-prompt-lottery";

const t = setupTestDatabase();
const client = new Inngest({ id: "oa-test", logger: silentLogger });
const engineFor = (job: CronJob) => new InngestTestEngine({ function: toInngestFunction(client, job, testJobDeps(t.db)) });
const dayJob = refreshLeaderboardJobs.find((job) => job.id === "refresh-leaderboard-day")!;
let author: string;
/** When the prompt was written (the helper's default, an hour ago, is yesterday in the first hour of a UTC day). */
const writtenAt = new Date();

beforeAll(async () => {
  author = (await createTestUser(t.db, { name: "Writer" })).id;
  const root = await seedMessage(t.db, { userId: author, reviewResult: true, emojis: { red_flag: 2 }, createdDate: writtenAt });
  await seedTree(t.db, root, "growing");
});

describe("leaderboard crons", () => {
  it("are one function per time frame on OA's schedule, sharing the stats concurrency key", () => {
    expect(refreshLeaderboardJobs.map((job) => [job.id, job.trigger.cron])).toEqual([
      ["refresh-leaderboard-day", LEADERBOARD_SCHEDULES.day], ["refresh-leaderboard-week", LEADERBOARD_SCHEDULES.week],
      ["refresh-leaderboard-month", LEADERBOARD_SCHEDULES.month], ["refresh-leaderboard-total", LEADERBOARD_SCHEDULES.total],
    ]);
    const fn = toInngestFunction(client, dayJob, testJobDeps(t.db));
    expect(fn.opts).toMatchObject({ retries: 2, concurrency: [{ limit: 1, key: '"oa-stats-refresh"', scope: "env" }] });
    expect(JSON.stringify(fn.opts.triggers)).toContain("*/5 * * * *");
  });

  it("build the frame in one step on the first run, then only move its window", async () => {
    const { result, ctx } = await engineFor(dayJob).execute();
    expect(result).toEqual({ timeFrame: "day", recomputed: "all", rows: 1 });
    expect(ctx.step.run).toHaveBeenCalledWith("refresh-user-stats", expect.any(Function));
    expect(await t.db.select().from(userStats).where(eq(userStats.userId, author))).toMatchObject([{ timeFrame: "day", prompts: 1 }]);
    // Seconds later nobody's contributions have left the last 24 hours: nobody is recomputed, the row stays.
    expect((await engineFor(dayJob).execute()).result).toEqual({ timeFrame: "day", recomputed: 0, rows: 0 });
    expect(await t.db.select().from(userStats).where(eq(userStats.userId, author))).toMatchObject([{ timeFrame: "day", prompts: 1 }]);
  });

  it("skip a run while another holds the job's advisory lock", { skip: !process.env.DATABASE_URL }, async () => {
    // (On the embedded server transactions run one at a time, so a held lock blocks instead: PostgreSQL only.)
    await t.db.transaction(async (tx) => {
      await tx.execute(sql`select pg_advisory_xact_lock(hashtext('oa-job:leaderboard:day'))`);
      const { result } = await engineFor(dayJob).execute();
      expect(result).toEqual({ timeFrame: "day", skipped: "another run of leaderboard:day is in progress" });
    });
    expect((await engineFor(dayJob).execute()).result).toEqual({ timeFrame: "day", recomputed: 0, rows: 0 });
  });

  it("never interleave two concurrent runs", async () => {
    const runs = await Promise.all([engineFor(dayJob).execute(), engineFor(dayJob).execute()]);
    const outcomes = runs.map((run) => run.result as { recomputed?: number; skipped?: string });
    expect(outcomes.filter((outcome) => outcome.recomputed === 0).length).toBeGreaterThanOrEqual(1);
    expect(outcomes.every((outcome) => outcome.recomputed === 0 || outcome.skipped)).toBe(true);
    expect(await t.db.select().from(userStats).where(eq(userStats.timeFrame, "day"))).toHaveLength(1);
  });

  it("fail the step when the database is unreachable, and succeed on the retry", async () => {
    let outages = 1;
    const deps = testJobDeps(t.db);
    const flaky = {
      ...deps,
      db: () => {
        if (outages-- > 0) throw new Error("connection reset");
        return t.db;
      },
    };
    const engine = new InngestTestEngine({ function: toInngestFunction(client, dayJob, flaky) });
    expect((await engine.execute()).error).toMatchObject({ message: "connection reset" });
    expect((await engine.execute()).result).toMatchObject({ timeFrame: "day", recomputed: 0 });
  });
});

describe("troll stats cron", () => {
  it("refreshes each time frame in its own step", async () => {
    const { result, ctx } = await engineFor(refreshTrollStatsJob).execute();
    expect(ctx.step.run.mock.calls.map((call) => call[0])).toEqual(["refresh-day", "refresh-week", "refresh-month", "refresh-total"]);
    expect(result).toEqual(["day", "week", "month", "total"].map((timeFrame) => ({ timeFrame, recomputed: "all", rows: 1 })));
    expect(await t.db.select().from(trollStats).where(eq(trollStats.userId, author))).toHaveLength(4);
    const [day] = await t.db.select().from(trollStats).where(eq(trollStats.timeFrame, "day"));
    expect(day).toMatchObject({ redFlags: 2, trollScore: 6 });
  });
});

describe("cached stats cron", () => {
  it("stores every statistic", async () => {
    const { result } = await engineFor(refreshCachedStatsJob).execute();
    expect((result as { refreshed: string[] }).refreshed).toContain("message_trees_by_state");
    const rows = Object.fromEntries((await t.db.select().from(cachedStats)).map((row) => [row.name, row.stats]));
    expect(rows.message_trees_by_state).toEqual({ growing: 1 });
    expect(rows.human_messages_by_role).toEqual({ prompter: 1 });
    const days = rows.contributions_by_day as { day: string; prompts: number }[];
    expect(days.find((day) => day.day === writtenAt.toISOString().slice(0, 10))).toMatchObject({ prompts: 1 });
  });
});

describe("streak reset cron", () => {
  it("ends streaks idle for more than 36 hours only", async () => {
    const idle = await createTestUser(t.db, { streakDays: 5, streakLastDayDate: hoursAgo(24 * 6), lastActivityDate: hoursAgo(40) });
    const active = await createTestUser(t.db, { streakDays: 5, streakLastDayDate: hoursAgo(24 * 6), lastActivityDate: hoursAgo(30) });
    const { result } = await engineFor(resetStreaksJob).execute();
    expect((result as { reset: number }).reset).toBeGreaterThanOrEqual(1);
    const [idleRow] = await t.db.select().from(users).where(eq(users.id, idle.id));
    const [activeRow] = await t.db.select().from(users).where(eq(users.id, active.id));
    expect(idleRow).toMatchObject({ streakDays: 0, streakLastDayDate: null });
    expect(activeRow).toMatchObject({ streakDays: 5 });
  });
});

describe("expired-task cleanup cron", () => {
  it("deletes expired unanswered tasks", async () => {
    const [expired] = await t.db.insert(tasks).values({ userId: author, type: "initial_prompt", payload: {}, expiryDate: hoursAgo(1) }).returning();
    const { result } = await engineFor(cleanupExpiredTasksJob).execute();
    expect(result).toEqual({ deleted: 1 });
    expect(await t.db.select().from(tasks).where(eq(tasks.id, expired!.id))).toEqual([]);
  });
});

describe("prompt lottery cron", () => {
  it("draws a waiting prompt of each language with one step per language", async () => {
    const prompt = await seedMessage(t.db, { userId: author, reviewResult: true, lang: "xx" });
    await seedTree(t.db, prompt, "prompt_lottery_waiting", "xx");
    const { result, ctx } = await engineFor(runPromptLotteryJob).execute();
    expect(ctx.step.run.mock.calls.map((call) => call[0])).toEqual(["find-languages", "draw-xx"]);
    expect(result).toEqual({ activated: { xx: [prompt] } });
    const [tree] = await t.db.select().from(messageTreeStates).where(eq(messageTreeStates.messageTreeId, prompt));
    expect(tree).toMatchObject({ state: "growing", active: true });
  });
});
