import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { TASK_TYPES } from "@/server/db/schema";
import { callerFor, createTestUser, testTreeDeps } from "@/test/factories";
import { setupTestDatabase } from "@/test/database";
import { rebuildDerivedState } from "./derived-state";
import { generateScaleData, SCALE_LANGS } from "./seed-scale-data";

const t = setupTestDatabase();
/** Every type the tree manager hands out (the schema also has rank_initial_prompts, summarize_story and rate_summary, never generated). */
const HANDED_OUT_TYPES = TASK_TYPES.filter((type) => !["rank_initial_prompts", "summarize_story", "rate_summary"].includes(type));

/** The load benchmark's generator at a tiny size: what it promises, so the benchmark never measures a broken database. */
describe("campaign-scale benchmark data", () => {
  it("makes valid ids, consistent counters and work of every task type in every language", { timeout: 120_000 }, async () => {
    const counts = await generateScaleData(t.db, { users: 300, messages: 3_000, activePerLang: 3 });
    await rebuildDerivedState(t.db);
    expect(counts.users).toBe(300);
    expect(counts.growing).toBe(3 * SCALE_LANGS.length);
    expect(counts.review).toBe(20 * SCALE_LANGS.length);
    expect(counts.messages).toBeGreaterThan(2_900);
    expect(counts.messages).toBeLessThanOrEqual(3_000);

    // The app's own validation accepts every id the generator made (a client sends them back).
    const ids = await t.db.execute<{ id: string }>(sql`select id::text from messages union all select id::text from users`);
    for (const { id } of ids) expect(z.uuid().safeParse(id).success, id).toBe(true);

    // Message bodies as long as real ones (the oasst fixture: prompter median 76 characters, assistant median 558).
    const lengths = await t.db.execute<{ role: string; median: number; mean: number }>(sql`
      select role::text, percentile_disc(0.5) within group (order by length(text)) as median, avg(length(text))::int as mean
      from messages group by role order by role`);
    const byRole = Object.fromEntries(lengths.map((row) => [row.role, row]));
    expect(byRole.prompter!.median).toBeGreaterThan(60);
    expect(byRole.prompter!.median).toBeLessThan(250);
    expect(byRole.assistant!.median).toBeGreaterThan(350);
    expect(byRole.assistant!.mean).toBeGreaterThan(500);
    expect(byRole.assistant!.mean).toBeLessThan(1_200);

    // Counters match the rows that justify them.
    const [drift] = await t.db.execute<{ children: number; reviews: number }>(sql`
      select
        (select count(*) from messages p where p.children_count <> (select count(*) from messages c where c.parent_id = p.id and not c.deleted))::int as children,
        (select count(*) from messages m where m.review_count <> (select count(*) from text_labels l where l.message_id = m.id))::int as reviews`);
    expect(drift).toEqual({ children: 0, reviews: 0 });

    // Indexed for search, as a running campaign is: nothing waits for the indexer.
    const [search] = await t.db.execute<{ waiting: number; indexed: number }>(sql`
      select (select count(*) from message_search_backlog)::int as waiting, (select count(*) from message_search)::int as indexed`);
    expect(search).toEqual({ waiting: 0, indexed: counts.messages });

    // Every tree state the benchmark relies on is present.
    const states = await t.db.execute<{ state: string }>(sql`select distinct state::text as state from message_tree_states order by 1`);
    expect(states.map((s) => s.state)).toEqual(
      ["aborted_low_grade", "backlog_ranking", "growing", "halted_by_moderator", "initial_prompt_review", "prompt_lottery_waiting", "ranking", "ready_for_export"],
    );

    // A newcomer in any language has work of every type.
    const newcomer = await createTestUser(t.db, { name: "Newcomer" });
    const deps = testTreeDeps({ maxActiveTrees: 100, rankPrompterReplies: true });
    const caller = callerFor(t.db, newcomer.id, {}, deps);
    for (const lang of ["en", "ko"]) {
      const availability = await caller.tasks.availability({ lang });
      for (const type of HANDED_OUT_TYPES) expect(availability[type], `${type} in ${lang}`).toBeGreaterThan(0);
    }
  });
});
