import { eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { messages } from "@/server/db/schema";
import { setupTestDatabase } from "@/test/database";
import { callerFor, createTestUser, testTreeDeps } from "@/test/factories";
import { type Contributor, createContributors } from "@/test/task-driver";
import type { Transaction } from "@/server/db/client";
import { importOasstTrees } from "@/server/domain/dataset/import-trees";
import { idOf, linesOf, msg, tree } from "@/server/domain/dataset/test-trees";
import { rebuildTaskWork } from "./work";

/** The work rows follow every change of messages and tree states, whoever makes it, and a rebuild agrees. */
const t = setupTestDatabase();

async function work(lang: string) {
  const rows = await t.db.execute<{ kind: string; target_id: string }>(
    sql`select kind, target_id from task_work where lang = ${lang}`);
  return rows.map((row) => `${row.kind}:${row.target_id}`).sort();
}

async function rebuiltWork(lang: string) {
  await rebuildTaskWork(t.db);
  return work(lang);
}

const SMALL = { goalTreeSize: 3, numReviewsInitialPrompt: 1, numReviewsReply: 1, numRequiredRankings: 1, maxChildrenCount: 2, maxTreeDepth: 2, pLonelyChildExtension: 0 };

describe("task_work", () => {
  it("follows a tree from prompt review through growing to ranking and out", async () => {
    const deps = testTreeDeps(SMALL);
    const [a, b, c, d] = (await createContributors(t.db, deps, ["A", "B", "C", "D"])) as Contributor[];
    const root = (await a!.requestAndComplete("initial_prompt", "wa")).result!;
    expect(await work("wa")).toEqual([`label_initial_prompt:${root}`]);
    await b!.requestAndComplete("label_initial_prompt", "wa");
    expect(await work("wa")).toEqual([`assistant_reply:${root}`]);
    const r1 = (await b!.requestAndComplete("assistant_reply", "wa")).result!;
    expect(await work("wa")).toEqual([`assistant_reply:${root}`, `label_assistant_reply:${r1}`]);
    await c!.requestAndComplete("label_assistant_reply", "wa");
    // Accepted at depth 1 of max 2: r1 takes a prompter reply.
    expect(await work("wa")).toEqual([`assistant_reply:${root}`, `prompter_reply:${r1}`].sort());
    const r2 = (await c!.requestAndComplete("assistant_reply", "wa")).result!;
    await d!.requestAndComplete("label_assistant_reply", "wa");
    // Goal 3 reached: the tree ranks its two replies.
    expect(await work("wa")).toEqual([`rank_assistant_replies:${root}`]);
    expect(await rebuiltWork("wa")).toEqual([`rank_assistant_replies:${root}`]);
    await d!.requestAndComplete("rank_assistant_replies", "wa");
    expect(await work("wa")).toEqual([]);
    expect(r2).not.toBe(r1);
  });

  it("drops rows of deleted and purged messages and of halted trees", async () => {
    const deps = testTreeDeps(SMALL);
    const [a, b] = (await createContributors(t.db, deps, ["A", "B"])) as Contributor[];
    const moderator = await createTestUser(t.db, { role: "moderator" });
    const mod = callerFor(t.db, moderator.id, {}, deps).moderation;
    const root = (await a!.requestAndComplete("initial_prompt", "wb")).result!;
    await b!.requestAndComplete("label_initial_prompt", "wb");
    const reply = (await b!.requestAndComplete("assistant_reply", "wb")).result!;
    expect(await work("wb")).toEqual([`assistant_reply:${root}`, `label_assistant_reply:${reply}`]);
    await mod.deleteMessage({ messageId: reply });
    expect(await work("wb")).toEqual([`assistant_reply:${root}`]);
    await mod.undeleteMessage({ messageId: reply });
    expect(await work("wb")).toEqual([`assistant_reply:${root}`, `label_assistant_reply:${reply}`]);
    await mod.haltTree({ messageId: root });
    expect(await work("wb")).toEqual([]);
    await mod.unhaltTree({ messageId: root });
    expect(await work("wb")).toEqual([`assistant_reply:${root}`, `label_assistant_reply:${reply}`]);
    await mod.purgeTree({ messageId: root, preview: false });
    expect(await work("wb")).toEqual([]);
  });

  it("is repaired by a rebuild when rows went missing or stale", async () => {
    const deps = testTreeDeps(SMALL);
    const [a, b] = (await createContributors(t.db, deps, ["A", "B"])) as Contributor[];
    const root = (await a!.requestAndComplete("initial_prompt", "wc")).result!;
    await b!.requestAndComplete("label_initial_prompt", "wc");
    const expected = await work("wc");
    expect(expected).toEqual([`assistant_reply:${root}`]);
    // A restore that bypassed the triggers: rows lost, and a stale one for a message that is not open.
    await t.db.execute(sql`alter table messages disable trigger user`);
    await t.db.update(messages).set({ reviewResult: true }).where(eq(messages.id, root));
    await t.db.execute(sql`alter table messages enable trigger user`);
    await t.db.execute(sql`delete from task_work where lang = 'wc'`);
    await t.db.execute(sql`insert into task_work (kind, target_id, tree_id, lang) values ('label_initial_prompt', ${root}, ${root}, 'wc')`);
    expect(await b!.caller.tasks.availability({ lang: "wc" })).toMatchObject({ assistant_reply: 0, label_initial_prompt: 0 });
    expect(await rebuiltWork("wc")).toEqual(expected);
    expect(await b!.caller.tasks.availability({ lang: "wc" })).toMatchObject({ assistant_reply: 1 });
  });

  it("imported trees: ready ones refresh no work at all, a growing one gets the same work a rebuild gives", async () => {
    const ready = tree(msg("wi-ready", "prompter", { lang: "wi" }, [msg("wi-ready-a", "assistant", { lang: "wi" })]));
    const growing = tree(msg("wi-growing", "prompter", { lang: "wi" }, [msg("wi-growing-a", "assistant", { lang: "wi", review_result: null })]), { tree_state: "growing" });
    // Calls of the refresh within this transaction (no statistics lag): none for trees that can have no work.
    const refreshCalls = async (tx: Transaction) =>
      Number((await tx.execute<{ n: number }>(sql`select coalesce(pg_stat_get_xact_function_calls('oa_task_work_refresh'::regproc), 0) as n`))[0]!.n);
    await t.db.transaction(async (tx) => {
      await tx.execute(sql`set local track_functions = 'all'`);
      await importOasstTrees(tx, linesOf(ready), { origin: "test" });
      expect(await refreshCalls(tx)).toBe(0);
      await importOasstTrees(tx, linesOf(growing), { origin: "test" });
      expect(await refreshCalls(tx)).toBeGreaterThan(0);
    });
    const imported = await work("wi");
    // Imported trees do not grow (max depth 0), so the unreviewed reply's review is all there is to do.
    expect(imported).toEqual([`label_assistant_reply:${idOf("wi-growing-a")}`]);
    expect(await rebuiltWork("wi")).toEqual(imported);
  });
});
