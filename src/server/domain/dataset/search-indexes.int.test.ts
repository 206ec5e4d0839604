import postgres from "postgres";
import { afterAll, describe, expect, it } from "vitest";
import { migrateDatabase } from "@/server/db/migrate";
import { setupTestDatabase } from "@/test/database";
import { importOasstTrees } from "./import-trees";
import { BULK_IMPORT_LOCK_KEY, beginBulkPhase, MESSAGE_SEARCH_INDEXES, restoreMessageSearchIndexes } from "./search-indexes";
import { linesOf, msg, tree } from "./test-trees";

const t = setupTestDatabase();
const sessions: postgres.Sql[] = [];
/** A connection of its own (max 1: every statement on one server session). */
function session(): postgres.Sql {
  const client = postgres(t.url, { max: 1, onnotice: () => {} });
  sessions.push(client);
  return client;
}
afterAll(async () => {
  await Promise.all(sessions.map((client) => client.end({ timeout: 5 })));
});

const EXPECTED = Object.fromEntries(
  MESSAGE_SEARCH_INDEXES.map((index) => [index.name, `CREATE INDEX ${index.name} ON public.messages USING ${index.using}`]),
);

/** The search indexes as they stand: name → definition, valid ones only. */
async function searchIndexes(): Promise<Record<string, string>> {
  const rows = await session()<{ name: string; definition: string; valid: boolean }[]>`
    select c.relname as name, pg_get_indexdef(i.indexrelid) as definition, i.indisvalid as valid
    from pg_index i join pg_class c on c.oid = i.indexrelid
    where i.indrelid = 'messages'::regclass and c.relname like 'messages_text_%'`;
  return Object.fromEntries(rows.filter((row) => row.valid).map((row) => [row.name, row.definition.replace("'simple'::regconfig", "'simple'")]));
}

let serial = 0;
/** `count` fresh one-prompt-one-reply trees. */
function trees(count: number) {
  const prefix = `si-${serial++}`;
  return Array.from({ length: count }, (_, i) => tree(msg(`${prefix}-${i}`, "prompter", {}, [msg(`${prefix}-${i}-a`, "assistant")])));
}

const embedded = !process.env.DATABASE_URL;

describe.runIf(embedded)("imports into the embedded server", () => {
  it("never go bulk (one backend: advisory locks cannot tell imports apart)", async () => {
    const report = await importOasstTrees(t.db, linesOf(...trees(3)), { origin: "bulk", bulkAfterMessages: 0 });
    expect(report).toMatchObject({ bulk: false, searchIndexSeconds: null, treesImported: 3 });
    expect(await searchIndexes()).toEqual(EXPECTED);
  });
});

describe.skipIf(embedded)("message search indexes around bulk imports", () => {
  it("a bulk import takes them out while it writes and builds them again, as the migration defines them", async () => {
    expect(await searchIndexes()).toEqual(EXPECTED);
    const report = await importOasstTrees(t.db, linesOf(...trees(3)), { origin: "bulk", bulkAfterMessages: 0 });
    expect(report).toMatchObject({ bulk: true, treesImported: 3, messagesImported: 6, errorCount: 0 });
    expect(report.searchIndexSeconds).toEqual(expect.any(Number));
    expect(await searchIndexes()).toEqual(EXPECTED);
    // The search finds the imported text through them.
    const [found] = await session()<{ n: number }[]>`
      select count(*)::int as n from messages where to_tsvector('simple', text) @@ plainto_tsquery('simple', ${"si-0-1-a"})`;
    expect(found?.n).toBeGreaterThan(0);
  });

  it("a small import leaves them alone", async () => {
    const report = await importOasstTrees(t.db, linesOf(...trees(2)), { origin: "small" });
    expect(report).toMatchObject({ bulk: false, searchIndexSeconds: null, treesImported: 2 });
    expect(await searchIndexes()).toEqual(EXPECTED);
  });

  it("come back after a bulk import that died: at the next import, and at migrate", async () => {
    const dying = session();
    expect(await beginBulkPhase(dying)).toBe(true);
    expect(await searchIndexes()).toEqual({});
    // While it runs, nobody rebuilds them under it.
    expect(await restoreMessageSearchIndexes(session())).toBe("busy");
    await importOasstTrees(t.db, linesOf(...trees(1)), { origin: "during" });
    expect(await searchIndexes()).toEqual({});
    // The process dies: its session and the shared lock go with it.
    await dying.end();
    const report = await importOasstTrees(t.db, linesOf(...trees(1)), { origin: "after" });
    expect(report.bulk).toBe(false);
    expect(await searchIndexes()).toEqual(EXPECTED);

    const again = session();
    expect(await beginBulkPhase(again)).toBe(true);
    await again.end();
    await migrateDatabase(t.url);
    expect(await searchIndexes()).toEqual(EXPECTED);
  });

  it("come back from an interrupted concurrent build (an invalid index of the same name)", async () => {
    const admin = session();
    await admin.unsafe("drop index messages_text_trgm_idx");
    // A failed CREATE INDEX CONCURRENTLY leaves its index behind, invalid; IF NOT EXISTS alone would keep it.
    await expect(admin.unsafe("create unique index concurrently messages_text_trgm_idx on messages (api_client_id)")).rejects.toThrow();
    expect(Object.keys(await searchIndexes())).toEqual(["messages_text_fts_idx"]);
    expect(await restoreMessageSearchIndexes(admin)).toEqual(["messages_text_trgm_idx"]);
    expect(await searchIndexes()).toEqual(EXPECTED);
  });

  it("a failed bulk import still puts them back", async () => {
    async function* failing() {
      for (const line of trees(2)) yield JSON.stringify(line);
      throw new Error("disk gone");
    }
    await expect(importOasstTrees(t.db, failing(), { origin: "failing", bulkAfterMessages: 0 })).rejects.toThrow("disk gone");
    expect(await searchIndexes()).toEqual(EXPECTED);
  });

  it("concurrent bulk imports: the indexes stay out until the last one ends, which rebuilds them", async () => {
    // A third session holds the shared lock like a long bulk import, so the racing pair both finish under it.
    const long = session();
    expect(await beginBulkPhase(long)).toBe(true);
    const [a, b] = await Promise.all([
      importOasstTrees(t.db, linesOf(...trees(20)), { origin: "a", bulkAfterMessages: 0 }),
      importOasstTrees(t.db, linesOf(...trees(20)), { origin: "b", bulkAfterMessages: 0 }),
    ]);
    expect([a.bulk, b.bulk, a.treesImported, b.treesImported]).toEqual([true, true, 20, 20]);
    expect([a.searchIndexSeconds, b.searchIndexSeconds]).toEqual([null, null]);
    expect(await searchIndexes()).toEqual({});
    // The long one ends: it is the last, so it rebuilds.
    await long`select pg_advisory_unlock_shared(${BULK_IMPORT_LOCK_KEY})`;
    expect(await restoreMessageSearchIndexes(long)).toEqual(MESSAGE_SEARCH_INDEXES.map((index) => index.name));
    expect(await searchIndexes()).toEqual(EXPECTED);

    // And with nothing else running, two racing bulk imports leave them built.
    await Promise.all([
      importOasstTrees(t.db, linesOf(...trees(20)), { origin: "c", bulkAfterMessages: 0 }),
      importOasstTrees(t.db, linesOf(...trees(20)), { origin: "d", bulkAfterMessages: 0 }),
    ]);
    expect(await searchIndexes()).toEqual(EXPECTED);
  });
});
