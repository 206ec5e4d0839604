import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { moderationQueueItems, users } from "@/server/db/schema";
import { seedMessage, seedRanking, seedTree } from "@/server/domain/leaderboard/scenario.test-helper";
import { setupTestDatabase } from "@/test/database";
import { callerFor, createTestUser } from "@/test/factories";
import { computeQuality } from "./compute-quality";

const t = setupTestDatabase();
let u: string[] = [];
let split = "";
let agreed = "";

/** A prompt with three replies ranked by the given orders (reply indexes, best first). */
async function group(orders: number[][]) {
  const prompt = await seedMessage(t.db, { userId: null });
  const replies = [await seedMessage(t.db, { userId: null, parentId: prompt, treeId: prompt }), await seedMessage(t.db, { userId: null, parentId: prompt, treeId: prompt }), await seedMessage(t.db, { userId: null, parentId: prompt, treeId: prompt })];
  for (const [i, order] of orders.entries()) await seedRanking(t.db, u[i]!, prompt, order.map((k) => replies[k]!), new Date("2024-03-01T00:00:00Z"));
  await seedTree(t.db, prompt, "ready_for_export");
  return prompt;
}

const run = () => t.db.transaction((tx) => computeQuality(tx));
const itemsOf = (messageId: string) => t.db.select().from(moderationQueueItems).where(eq(moderationQueueItems.messageId, messageId));

beforeAll(async () => {
  u = (await t.db.insert(users).values(["a", "b", "c", "d"].map((name) => ({ name }))).returning()).map((row) => row.id);
  split = await group([[0, 1, 2], [2, 1, 0], [1, 0, 2]]);
  agreed = await group([[0, 1, 2], [0, 1, 2], [0, 1, 2]]);
});

describe("split reviews in the moderation queue", () => {
  it("queues the groups whose rankers split, not those that agree, and links them from the quality summary", async () => {
    const report = await run();
    expect(report.queued).toBe(1);
    const [item] = await itemsOf(split);
    expect(item).toMatchObject({ kind: "split_reviews", messageTreeId: split, lang: "en", resolvedAt: null });
    expect(await itemsOf(agreed)).toEqual([]);
    const moderator = await createTestUser(t.db, { role: "moderator" });
    const summary = await callerFor(t.db, moderator.id).quality.summary({ lowest: 20 });
    const rows = new Map(summary.lowestGroups.map((row) => [row.parentId, row]));
    expect(rows.get(split)!.queueItem).toEqual({ id: item!.id, open: true });
    expect(rows.get(agreed)!.queueItem).toBeNull();
    // The queue lists it under its kind.
    const queue = await callerFor(t.db, moderator.id).admin.queue({ kind: "split_reviews" });
    expect(queue.items.map((row) => row.message?.id)).toEqual([split]);
  });

  it("is idempotent: a rerun leaves the open item as it is", async () => {
    const [before] = await itemsOf(split);
    expect((await run()).queued).toBe(0);
    const after = await itemsOf(split);
    expect(after).toHaveLength(1);
    expect(after[0]!.version).toBe(before!.version);
  });

  it("does not reopen a resolved item unless new rankings arrived", async () => {
    const resolvedAt = new Date(Date.now() - 60_000);
    await t.db.update(moderationQueueItems).set({ resolvedAt, resolution: "dismissed" }).where(eq(moderationQueueItems.messageId, split));
    await run();
    expect((await itemsOf(split))[0]!.resolvedAt).toEqual(resolvedAt);
    // A fourth ranking after the resolution brings it back (still split).
    const replies = (await t.db.query.messages.findMany({ where: (m, { eq: is }) => is(m.parentId, split) })).map((m) => m.id).sort();
    await seedRanking(t.db, u[3]!, split, [replies[2]!, replies[0]!, replies[1]!], new Date());
    expect((await run()).queued).toBe(1);
    expect((await itemsOf(split))[0]).toMatchObject({ resolvedAt: null, resolution: null });
  });
});
