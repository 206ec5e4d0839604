import { eq } from "drizzle-orm";
import { InngestTestEngine } from "@inngest/test";
import { Inngest } from "inngest";
import { beforeAll, describe, expect, it } from "vitest";
import { arenaModels, arenaRuns, chatMessageEvaluations, chatMessages, chats } from "@/server/db/schema";
import { silentLogger, testJobDeps } from "@/server/inngest/test-deps.test-helper";
import { toInngestFunction } from "@/server/inngest/to-inngest";
import { computeArenaJob } from "@/server/inngest/functions/compute-arena";
import { JOBS } from "@/server/inngest/functions";
import { setupTestDatabase } from "@/test/database";
import { callerFor, createTestUser } from "@/test/factories";
import { type ArenaComparison, collectArenaComparisons } from "./arena-comparisons";
import { computeArena } from "./arena-compute";

const t = setupTestDatabase();
const DAY = new Date("2026-11-20T10:00:00Z");
const NOW = new Date("2026-11-30T00:00:00Z");
const at = (minutes: number) => new Date(DAY.getTime() + minutes * 60_000);
let owner: string, other: string, optedOut: string;
const id: Record<string, string> = {};

async function chat(userId: string, allowDataUse = true) {
  const [row] = await t.db.insert(chats).values({ userId, allowDataUse }).returning();
  return row!.id;
}
async function prompt(chatId: string, minutes: number) {
  const [row] = await t.db.insert(chatMessages).values({ chatId, role: "prompter", content: "q", createdAt: at(minutes) }).returning();
  return row!.id;
}
async function reply(name: string, chatId: string, parentId: string, model: string | null, score: -1 | 0 | 1, minutes: number) {
  const workParameters = model
    ? { modelConfigName: model, sampling: { topK: null, topP: null, typicalP: null, temperature: null, repetitionPenalty: null, maxNewTokens: 16 }, doSample: true, seed: 1, systemPrompt: null, userProfile: null, userResponseInstructions: null }
    : null;
  const [row] = await t.db
    .insert(chatMessages)
    .values({ chatId, parentId, role: "assistant", state: "complete", content: name, workParameters, score, createdAt: at(minutes) })
    .returning();
  id[name] = row!.id;
}
async function pick(chatId: string, userId: string, chosen: string, others: string[], minutes: number) {
  await t.db.insert(chatMessageEvaluations).values({ chatId, userId, selectedMessageId: id[chosen]!, inferiorMessageIds: others.map((name) => id[name]!), createdAt: at(minutes) });
}
const names = (list: ArenaComparison[]) =>
  list.map((c) => `${c.source}:${Object.keys(id).find((k) => id[k] === c.winnerMessageId)}>${Object.keys(id).find((k) => id[k] === c.loserMessageId)}:${c.winner}>${c.loser}`).sort();

beforeAll(async () => {
  owner = (await createTestUser(t.db)).id;
  other = (await createTestUser(t.db)).id;
  optedOut = (await createTestUser(t.db)).id;
  const c1 = await chat(owner);
  // Drafts: a (alpha) chosen over b (beta) and c (alpha, same model: skipped).
  const p1 = await prompt(c1, 0);
  await reply("a", c1, p1, "alpha", 0, 1);
  await reply("b", c1, p1, "beta", 0, 1);
  await reply("c", c1, p1, "alpha", 0, 1);
  await pick(c1, owner, "a", ["b", "c"], 2);
  // Votes: e +1 (alpha) beats f −1 (beta); g has no vote, h has no model (typed by hand): neither counts.
  const p2 = await prompt(c1, 10);
  await reply("e", c1, p2, "alpha", 1, 11);
  await reply("f", c1, p2, "beta", -1, 12);
  await reply("g", c1, p2, "gamma", 0, 13);
  await reply("h", c1, p2, null, -1, 13);
  // A vote and a later pick on the same pair: one comparison, the pick's (i gamma over j beta), though the votes disagree.
  const p3 = await prompt(c1, 20);
  await reply("i", c1, p3, "gamma", -1, 21);
  await reply("j", c1, p3, "beta", 1, 22);
  await pick(c1, owner, "j", ["i"], 23);
  await pick(c1, owner, "i", ["j"], 24);
  // Another user's chat: beta beats alpha by vote.
  const c2 = await chat(other);
  const p4 = await prompt(c2, 30);
  await reply("k", c2, p4, "beta", 1, 31);
  await reply("l", c2, p4, "alpha", -1, 32);
  // An opted-out chat: neither its picks nor its votes count.
  const c3 = await chat(optedOut, false);
  const p5 = await prompt(c3, 40);
  await reply("m", c3, p5, "gamma", 1, 41);
  await reply("n", c3, p5, "alpha", -1, 42);
  await pick(c3, optedOut, "m", ["n"], 43);
  // Outside the window: a year before NOW.
  const old = await prompt(c2, -400 * 24 * 60);
  await reply("o", c2, old, "alpha", 1, -400 * 24 * 60 + 1);
  await reply("p", c2, old, "beta", -1, -400 * 24 * 60 + 2);
});

describe("collectArenaComparisons", () => {
  it("turns draft picks and opposite votes on siblings into model comparisons, one per user and pair of messages", async () => {
    const list = await collectArenaComparisons(t.db, { now: NOW });
    expect(names(list)).toEqual(["pick:a>b:alpha>beta", "pick:i>j:gamma>beta", "vote:e>f:alpha>beta", "vote:k>l:beta>alpha"]);
    expect(list.find((c) => c.winnerMessageId === id.a)).toMatchObject({ userId: owner, at: at(2) });
    // A vote is dated by the later of its two replies.
    expect(list.find((c) => c.winnerMessageId === id.e)).toMatchObject({ at: at(12) });
    expect(list.every((c) => c.userId !== optedOut)).toBe(true);
  });

  it("withdraws a chat's comparisons when its owner opts it out later", async () => {
    const [row] = await t.db.insert(chats).values({ userId: other }).returning();
    const p = await prompt(row!.id, 50);
    await reply("q", row!.id, p, "gamma", 1, 51);
    await reply("r", row!.id, p, "delta", -1, 52);
    expect(names(await collectArenaComparisons(t.db, { now: NOW }))).toContain("vote:q>r:gamma>delta");
    await t.db.update(chats).set({ allowDataUse: false }).where(eq(chats.id, row!.id));
    expect(names(await collectArenaComparisons(t.db, { now: NOW }))).not.toContain("vote:q>r:gamma>delta");
  });

  it("is bounded by its window and its limit, newest first", async () => {
    expect(names(await collectArenaComparisons(t.db, { now: NOW, windowDays: 500 }))).toContain("vote:o>p:alpha>beta");
    const newest = await collectArenaComparisons(t.db, { now: NOW, limit: 2 });
    expect(newest.map((c) => c.winnerMessageId)).toEqual([id.k, id.i]);
  });
});

describe("computeArena and its job", () => {
  it("serves an empty board before the first run", async () => {
    expect(await callerFor(t.db, null).arena.leaderboard()).toEqual({ computedAt: null, comparisons: 0, comparisonsUsed: 0, votersKept: 0, votersDropped: 0, entries: [] });
  });

  it("caps each user's comparisons per UTC day", async () => {
    const report = await t.db.transaction((tx) => computeArena(tx, { now: NOW, dailyCap: 1 }));
    // The owner's three comparisons of one day count once; the other user's one counts.
    expect(report).toMatchObject({ comparisons: 4, comparisonsUsed: 2, votersKept: 2, votersDropped: 0 });
  });

  it("is registered, stores the fit and serves it publicly, best first with intervals", async () => {
    // The registered job is the app's (wrapped so its runs are recorded): run that one.
    const registered = JOBS.find((job) => job.id === computeArenaJob.id);
    expect(registered).toBeDefined();
    const engine = new InngestTestEngine({ function: toInngestFunction(new Inngest({ id: "oa-test", logger: silentLogger }), registered!, testJobDeps(t.db)) });
    const { result } = await engine.execute();
    // Real time: every seeded comparison but the year-old one is inside the default window.
    expect(result).toEqual({ computed: { comparisons: 4, comparisonsUsed: 4, models: 3, votersKept: 2, votersDropped: 0 } });
    expect(await t.db.select().from(arenaRuns)).toHaveLength(1);
    const stored = await t.db.select().from(arenaModels);
    expect(stored.map((row) => row.model).sort()).toEqual(["alpha", "beta", "gamma"]);
    const board = await callerFor(t.db, null).arena.leaderboard();
    expect(board).toMatchObject({ comparisons: 4, comparisonsUsed: 4, votersKept: 2, votersDropped: 0 });
    expect(board.computedAt).toBeInstanceOf(Date);
    expect(board.entries.find((e) => e.model === "beta")).toMatchObject({ comparisons: 4 });
    for (const entry of board.entries) expect(entry.lower).toBeLessThanOrEqual(entry.strength + 1e-9);
    for (const entry of board.entries) expect(entry.upper).toBeGreaterThanOrEqual(entry.strength - 1e-9);
    const ranks = board.entries.map((e) => e.rank);
    expect(ranks).toEqual([...ranks].sort((a, b) => a - b));
    // A second run replaces the first.
    await engine.execute();
    expect(await t.db.select().from(arenaModels)).toHaveLength(3);
    expect(await t.db.select().from(arenaRuns)).toHaveLength(1);
  });

  it("never interleaves two concurrent runs: the board is always one run's", async () => {
    const engine = () => new InngestTestEngine({ function: toInngestFunction(new Inngest({ id: "oa-test", logger: silentLogger }), computeArenaJob, testJobDeps(t.db)) });
    const runs = await Promise.all([engine().execute(), engine().execute(), engine().execute()]);
    const outcomes = runs.map((run) => run.result as { computed?: unknown; skipped?: string });
    expect(outcomes.some((outcome) => outcome.computed)).toBe(true);
    expect(outcomes.every((outcome) => outcome.computed || outcome.skipped === "another run of arena is in progress")).toBe(true);
    expect(await t.db.select().from(arenaModels)).toHaveLength(3);
    expect(await t.db.select().from(arenaRuns)).toHaveLength(1);
  });
});
