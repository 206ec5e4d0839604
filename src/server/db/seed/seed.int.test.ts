import { count, eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { messages, messageTreeStates, type TaskType, users } from "@/server/db/schema";
import { DEFAULT_TREE_MANAGER_CONFIG } from "@/server/domain/trees/config";
import { setupTestDatabase } from "@/test/database";
import { callerFor, createTestUser, testTreeDeps } from "@/test/factories";
import { Contributor } from "@/test/task-driver";
import { DEMO_CAMPAIGN_COUNTS } from "./demo-campaign";
import { DEMO_USERS, seedDemoData } from "./seed";

const t = setupTestDatabase();
/** The defaults `npm run dev` runs with: the seed must give work under them, not under test-sized trees. */
const deps = testTreeDeps();

describe("seedDemoData", () => {
  // Generous: the seed imports 100 trees and writes ~90 reviews, and CI machines are shared.
  it("fills an empty database with the demo users and a campaign in progress from the 100 oasst trees, once", { timeout: 180_000 }, async () => {
    const first = await seedDemoData(t.db, undefined, DEFAULT_TREE_MANAGER_CONFIG);
    expect(first).toMatchObject({ seeded: true, users: DEMO_USERS.length });
    if (!first.seeded) throw new Error("unreachable");
    expect(first.trees).toMatchObject({ treesImported: 100, errors: [] });

    const states = await t.db.select({ state: messageTreeStates.state, n: count() }).from(messageTreeStates).groupBy(messageTreeStates.state);
    const finished = 100 - Object.values(DEMO_CAMPAIGN_COUNTS).reduce((sum, n) => sum + n, 0);
    expect(Object.fromEntries(states.map((row) => [row.state, row.n]))).toEqual({
      initial_prompt_review: DEMO_CAMPAIGN_COUNTS.initialPromptReview,
      growing: DEMO_CAMPAIGN_COUNTS.growing,
      ranking: DEMO_CAMPAIGN_COUNTS.ranking,
      halted_by_moderator: DEMO_CAMPAIGN_COUNTS.halted,
      aborted_low_grade: DEMO_CAMPAIGN_COUNTS.aborted,
      ready_for_export: finished,
    });

    // A database with users in it is left alone.
    expect(await seedDemoData(t.db)).toEqual({ seeded: false });
    const [userCount] = await t.db.select({ n: count() }).from(users);
    expect(userCount!.n).toBe(DEMO_USERS.length);
  });

  it("gives the demo users accepted terms, their roles and their streaks", async () => {
    const admin = await t.db.query.users.findFirst({ where: eq(users.name, "Ada Admin") });
    expect(admin).toMatchObject({ role: "admin", authMethod: "dev", username: "Ada Admin", streakDays: 3 });
    expect(admin?.tosAcceptanceDate).toBeInstanceOf(Date);
  });

  it("keeps depth, live children and review counts consistent with the trees and their reviews", async () => {
    const rows = await t.db.select().from(messages);
    const byId = new Map(rows.map((row) => [row.id, row]));
    for (const row of rows) {
      const parent = row.parentId ? byId.get(row.parentId) : undefined;
      expect(row.depth).toBe(parent ? parent.depth + 1 : 0);
      const liveChildren = rows.filter((child) => child.parentId === row.id && !child.deleted).length;
      expect(row.childrenCount).toBe(liveChildren);
    }
    // Every review the count stands for is a done review task with its labels, in the trees the manager runs.
    const mismatched = await t.db.execute(sql`
      select m.id, m.review_count, count(l.id)::int as reviews from messages m
      join message_tree_states s on s.message_tree_id = m.message_tree_id
      left join text_labels l on l.message_id = m.id and exists (select 1 from tasks t where t.id = l.id and t.done)
      where s.state in ('initial_prompt_review', 'growing', 'aborted_low_grade')
      group by m.id, m.review_count having m.review_count <> count(l.id)`);
    expect(mismatched).toEqual([]);
    const unsized = await t.db.execute(sql`select 1 from message_tree_states where active and state <> 'ranking' and goal_tree_size = 0`);
    expect(unsized).toEqual([]);
  });

  it("has work of every kind for a new contributor, who can do each of them", async () => {
    const newcomer = await createTestUser(t.db, { name: "Newcomer" });
    const caller = callerFor(t.db, newcomer.id, {}, deps);
    const available = await caller.tasks.availability({ lang: "en" });
    // rank_prompter_replies is off in the default configuration (rankPrompterReplies: false), as in the original.
    // (rank_initial_prompts, summarize_story and rate_summary are never handed out, as in the original.)
    const offered = ["initial_prompt", "prompter_reply", "assistant_reply", "label_initial_prompt", "label_prompter_reply",
      "label_assistant_reply", "rank_assistant_replies", "rank_prompter_replies"] as const satisfies readonly TaskType[];
    const enabled = offered.filter((type) => type !== "rank_prompter_replies" || DEFAULT_TREE_MANAGER_CONFIG.rankPrompterReplies);
    for (const type of enabled) expect([type, available[type]]).toEqual([type, expect.any(Number)]);
    expect(enabled.filter((type) => available[type] === 0)).toEqual([]);
    expect(available.random).toBeGreaterThan(0);

    const contributor = new Contributor(newcomer.id, "Newcomer", t.db, deps);
    for (const type of enabled) {
      const { task } = await contributor.requestAndComplete(type, "en");
      expect(task.type).toBe(type);
    }
  });

  it("shows the demo users' history on every leaderboard on the first visit", async () => {
    const alice = await t.db.query.users.findFirst({ where: eq(users.name, "Alice") });
    const caller = callerFor(t.db, alice!.id, {}, deps);
    for (const timeFrame of ["day", "week", "month", "total"] as const) {
      const board = await caller.leaderboard.list({ timeFrame });
      const names = board.entries.filter((entry) => entry.leaderScore > 0).map((entry) => entry.displayName);
      expect(names, timeFrame).toEqual(expect.arrayContaining(timeFrame === "day" ? ["Alice"] : DEMO_USERS.map((user) => user.name)));
    }
    const mine = await caller.leaderboard.myStats();
    expect(mine.totalScore).toBeGreaterThan(0);
    expect(mine.streakDays).toBe(6);
    const total = await caller.leaderboard.list({ timeFrame: "total" });
    const day = await caller.leaderboard.list({ timeFrame: "day" });
    expect(total.entries.find((entry) => entry.displayName === "Alice")!.leaderScore).toBeGreaterThan(
      day.entries.find((entry) => entry.displayName === "Alice")!.leaderScore,
    );
  });
});
