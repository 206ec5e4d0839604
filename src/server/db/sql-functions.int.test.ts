import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { setupTestDatabase } from "@/test/database";

/**
 * PostgreSQL plans the statements of a `LANGUAGE sql` function again at every call unless it inlines the function
 * into the caller's statement, and it never inlines one that writes (issue 15: the work-row upkeep the triggers run on
 * every answer was planned again each time; migration `handout_cached_plans`). PL/pgSQL keeps a plan per connection.
 */
const t = setupTestDatabase();
let sql: postgres.Sql;

beforeAll(() => {
  sql = postgres(t.url, { max: 1, onnotice: () => {} });
});
afterAll(async () => sql?.end());

describe("the app's database functions", () => {
  it("are PL/pgSQL wherever they write (no volatile LANGUAGE sql function)", async () => {
    const rows = await sql<{ name: string }[]>`
      select p.proname as name from pg_proc p
      join pg_namespace n on n.oid = p.pronamespace
      join pg_language l on l.oid = p.prolang
      where n.nspname = 'public' and l.lanname = 'sql' and p.provolatile = 'v'
      order by 1`;
    expect(rows.map((row) => row.name)).toEqual([]);
  });

  it("build a task's payload in one plan: the message views are inlined, not called", async () => {
    // With function tracking on, a function PostgreSQL inlines is not counted as called.
    await sql`set track_functions = 'all'`;
    const [user] = await sql<{ id: string }[]>`
      insert into users (name, email, tos_acceptance_date, enabled) values ('Views', 'views@example.test', now(), true) returning id`;
    const [root] = await sql<{ id: string }[]>`
      insert into messages (message_tree_id, user_id, role, frontend_message_id, text, lang, review_count, review_result)
      values (gen_random_uuid(), ${user!.id}, 'prompter', 'views-root', 'A prompt', 'en', 3, true) returning id`;
    // Counted for this transaction only (pg_stat_xact_user_functions).
    const payload = await sql.begin(async (tx) => {
      const [row] = await tx<{ payload: { conversation: { id: string }[] } }[]>`
        select oa_task_payload('assistant_reply', ${root!.id}::uuid, null, ${user!.id}::uuid, 'en', '{}'::jsonb) as payload`;
      const [calls] = await tx<{ payload: number | null; views: number | null }[]>`
        select (select sum(calls)::int from pg_stat_xact_user_functions where funcname = 'oa_task_payload') as payload,
          (select sum(calls)::int from pg_stat_xact_user_functions where funcname = 'oa_message_views') as views`;
      return { conversation: row!.payload.conversation, calls };
    });
    expect(payload.conversation.map((message) => message.id)).toEqual([root!.id]);
    expect(payload.calls).toEqual({ payload: 1, views: null });
  });
});
