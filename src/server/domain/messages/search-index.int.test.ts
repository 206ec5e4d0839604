import { eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { messageSearch, messageSearchBacklog, messages } from "@/server/db/schema";
import { runJobInProcess } from "@/server/inngest/in-process";
import { JOBS } from "@/server/inngest/functions";
import { silentLogger, testJobDeps } from "@/server/inngest/test-deps.test-helper";
import { setupTestDatabase } from "@/test/database";
import { callerFor, createTestUser } from "@/test/factories";
import { searchMessages, ZMessageSearch } from "@/server/domain/admin/messages";
import { queryMessages } from "./query-messages";
import { drainSearchBacklog, indexSearchBacklog, tidySearchBacklog, VACUUM_AFTER_ROWS } from "./search-index";
import { insertTestMessage, insertTestTree } from "./test-fixtures";

const t = setupTestDatabase();
/** The embedded server runs one transaction at a time: races need PostgreSQL. */
const onPostgres = Boolean(process.env.DATABASE_URL);

const waiting = async () => (await t.db.select({ id: messageSearchBacklog.messageId }).from(messageSearchBacklog)).map((row) => row.id);
const indexedText = async (id: string) =>
  (await t.db.select({ text: messageSearch.text }).from(messageSearch).where(eq(messageSearch.messageId, id)))[0]?.text ?? null;

async function setup(lang: string) {
  const moderator = await createTestUser(t.db, { role: "moderator" });
  const author = await createTestUser(t.db);
  const root = await insertTestTree(t.db, { userId: author.id, lang });
  const reply = await insertTestMessage(t.db, { userId: author.id, parent: root, text: "Repot the fiddle-leaf fig in spring; see https://plants.example/ficus" });
  const words = (q: string) => callerFor(t.db, moderator.id).admin.messages({ lang, q }).then((page) => page.items.map((m) => m.id));
  const substring = (q: string) => callerFor(t.db, moderator.id).admin.messages({ lang, q, mode: "substring" }).then((page) => page.items.map((m) => m.id));
  // The REST API's `search_query` (OA `GET /messages/`): the same search, another caller.
  const rest = (q: string) =>
    queryMessages(t.db, { userId: moderator.id, isModerator: true }, { lang, searchQuery: q }, { limit: 10, desc: true }).then((rows) => rows.map((m) => m.id));
  return { root, reply, words, substring, rest };
}

describe("message search without search indexes on messages", () => {
  it("writing a message touches no text-search index: messages has none, and the insert queues the message for the indexer", async () => {
    const indexes = await t.db.execute<{ indexdef: string }>(sql`select indexdef from pg_indexes where tablename = 'messages'`);
    expect(indexes.map((row) => row.indexdef).filter((def) => /using gin/i.test(def))).toEqual([]);
    const { root, reply } = await setup("sa");
    expect(await waiting()).toEqual(expect.arrayContaining([root.id, reply.id]));
    expect(await indexedText(reply.id)).toBeNull();
  });

  it("finds a message by words and by substring while it waits for the indexer, and after the indexer has run", async () => {
    const { reply, words, substring, rest } = await setup("sb");
    expect(await words("fiddle fig")).toEqual([reply.id]);
    expect(await substring("PLANTS.EXAMPLE/FIC")).toEqual([reply.id]);
    expect(await rest("repot")).toEqual([reply.id]);

    const run = await indexSearchBacklog(t.db);
    expect(run).toMatchObject({ busy: false, remaining: false });
    expect(run.indexed).toBeGreaterThanOrEqual(2);
    expect(await waiting()).toEqual([]);
    expect(await indexedText(reply.id)).toBe(reply.text);
    expect(await words("fiddle fig")).toEqual([reply.id]);
    expect(await substring("PLANTS.EXAMPLE/FIC")).toEqual([reply.id]);
    expect(await rest("repot")).toEqual([reply.id]);
    expect(await words("cactus")).toEqual([]);
  });

  it("an edited text is found by its new words and never by its old ones, before and after the indexer runs", async () => {
    const { reply, words, substring, rest } = await setup("sc");
    await indexSearchBacklog(t.db);
    await t.db.update(messages).set({ text: "Water the cactus once a month" }).where(eq(messages.id, reply.id));
    // The index still holds the old text; the search reads the waiting message's current text instead.
    expect(await indexedText(reply.id)).toMatch(/fiddle-leaf/);
    expect(await words("fiddle")).toEqual([]);
    expect(await substring("example/ficus")).toEqual([]);
    expect(await rest("repot")).toEqual([]);
    expect(await words("cactus")).toEqual([reply.id]);
    expect(await substring("CACT")).toEqual([reply.id]);

    await indexSearchBacklog(t.db);
    expect(await indexedText(reply.id)).toBe("Water the cactus once a month");
    expect(await words("fiddle")).toEqual([]);
    expect(await words("cactus")).toEqual([reply.id]);
    // Updates that leave the text alone queue nothing.
    await t.db.update(messages).set({ emojis: { "+1": 1 } }).where(eq(messages.id, reply.id));
    expect(await waiting()).toEqual([]);
  });

  it("reads at most the newest waiting messages a search may afford, and says how many it left out", async () => {
    const { reply } = await setup("si");
    await indexSearchBacklog(t.db);
    // A bulk import is waiting (ids the search reads and finds no message for), then a contributor edits a reply.
    await t.db.execute(sql`insert into message_search_backlog (message_id, queued_at) select gen_random_uuid(), now() - interval '1 minute' from generate_series(1, 5)`);
    await t.db.update(messages).set({ text: "Prune the rosemary after flowering" }).where(eq(messages.id, reply.id));
    const viewer = { userId: crypto.randomUUID(), isModerator: true };
    const search = (q: string, limit: number) => searchMessages(t.db, viewer, ZMessageSearch.parse({ q, lang: "si" }), 0.9, limit);
    // The edit is the newest waiting row: read, and found by its new words only.
    expect(await search("rosemary", 3)).toMatchObject({ items: [{ id: reply.id }], unsearched: 3 });
    expect(await search("fiddle", 3)).toMatchObject({ items: [], unsearched: 3 });
    // With room for every waiting row nothing is left out; without a text search nothing is counted.
    expect(await search("rosemary", 10)).toMatchObject({ items: [{ id: reply.id }], unsearched: 0 });
    expect((await search("", 3)).unsearched).toBe(0);
  });

  it("drains in batches, a transaction each, and stops at its time budget with the rest left waiting", async () => {
    const { root } = await setup("sd");
    for (let i = 0; i < 5; i++) await insertTestMessage(t.db, { userId: null, parent: root, text: `reply ${i}` });
    const before = (await waiting()).length;
    expect(await indexSearchBacklog(t.db, { batch: 2, budgetMs: 0 })).toEqual({ indexed: 2, busy: false, remaining: true });
    expect((await waiting()).length).toBe(before - 2);
    expect(await indexSearchBacklog(t.db, { batch: 2 })).toEqual({ indexed: before - 2, busy: false, remaining: false });
    expect(await waiting()).toEqual([]);
  });

  it("a drain after a bulk load indexes everything that waits, whatever the batch and time budget", async () => {
    const { root } = await setup("sj");
    for (let i = 0; i < 3; i++) await insertTestMessage(t.db, { userId: null, parent: root, text: `bulk ${i}` });
    const waitingBefore = (await waiting()).length;
    expect(await drainSearchBacklog(t.db)).toBe(waitingBefore);
    expect(await waiting()).toEqual([]);
    expect(await indexedText(root.id)).toBe(root.text);
  });

  it("vacuums the backlog after draining a bulk import, and only then", async () => {
    const vacuums = async () =>
      Number((await t.db.execute<{ n: number }>(sql`select vacuum_count as n from pg_stat_user_tables where relname = 'message_search_backlog'`))[0]?.n ?? 0);
    const before = await vacuums();
    expect(await tidySearchBacklog(t.db, { indexed: VACUUM_AFTER_ROWS, busy: false, remaining: true })).toBe(false);
    expect(await tidySearchBacklog(t.db, { indexed: VACUUM_AFTER_ROWS - 1, busy: false, remaining: false })).toBe(false);
    expect(await tidySearchBacklog(t.db, { indexed: VACUUM_AFTER_ROWS, busy: false, remaining: false })).toBe(true);
    await expect.poll(vacuums, { timeout: 5_000 }).toBe(before + 1);
  });

  it("the scheduled job indexes what waits", async () => {
    const { reply } = await setup("se");
    const job = JOBS.find((candidate) => candidate.id === "index-message-search")!;
    await runJobInProcess(job, testJobDeps(t.db), undefined, { retryDelayMs: () => 1, logger: silentLogger });
    expect(await waiting()).toEqual([]);
    expect(await indexedText(reply.id)).toBe(reply.text);
  });

  it.runIf(onPostgres)("one indexer at a time: a run that finds another in progress does nothing", async () => {
    await setup("sf");
    await t.db.transaction(async (tx) => {
      await tx.execute(sql`select oa_index_search_backlog(1)`);
      expect(await indexSearchBacklog(t.db)).toEqual({ indexed: 0, busy: true, remaining: true });
    });
    expect((await indexSearchBacklog(t.db)).busy).toBe(false);
  });

  it.runIf(onPostgres)("a run that read an older text can never write it over a newer one (the interleaving that needs one indexer at a time)", async () => {
    const { reply } = await setup("sh");
    await indexSearchBacklog(t.db);
    await t.db.update(messages).set({ text: "first edit" }).where(eq(messages.id, reply.id));
    let slowRun: Promise<unknown> | null = null;
    await t.db.transaction(async (tx) => {
      // Another session holds the index row, so run A reads "first edit" and then waits to write it.
      await tx.execute(sql`select 1 from message_search where message_id = ${reply.id} for update`);
      slowRun = indexSearchBacklog(t.db);
      await expect.poll(async () => (await t.db.execute(sql`select 1 from pg_stat_activity where query like '%oa_index_search_backlog%' and wait_event_type = 'Lock'`)).length).toBe(1);
      // Meanwhile the text changes again and a second run, in the session holding the row, comes in.
      await t.db.update(messages).set({ text: "second edit" }).where(eq(messages.id, reply.id));
      await indexSearchBacklog(tx);
    });
    await slowRun;
    while ((await indexSearchBacklog(t.db)).remaining);
    // Two overlapping runs would have ended with "first edit" indexed and nothing left waiting.
    expect(await indexedText(reply.id)).toBe("second edit");
  });

  it.runIf(onPostgres)("edits racing indexer runs: the index ends with every message's last text", async () => {
    const { root } = await setup("sg");
    const replies = await Promise.all(Array.from({ length: 8 }, (_, i) => insertTestMessage(t.db, { userId: null, parent: root, text: `draft ${i}` })));
    const edits = replies.map(async (reply) => {
      for (let version = 1; version <= 15; version++) {
        await t.db.update(messages).set({ text: `${reply.id} version ${version}` }).where(eq(messages.id, reply.id));
      }
    });
    const indexers = Array.from({ length: 3 }, async () => {
      for (let run = 0; run < 15; run++) await indexSearchBacklog(t.db, { batch: 3 });
    });
    await Promise.all([...edits, ...indexers]);
    // Whatever interleaving happened, one more run leaves nothing waiting and the index as current as the messages.
    while ((await indexSearchBacklog(t.db)).remaining);
    expect(await waiting()).toEqual([]);
    for (const reply of replies) expect(await indexedText(reply.id)).toBe(`${reply.id} version 15`);
  });
});
