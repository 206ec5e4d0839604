import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { setupTestDatabase } from "@/test/database";
import { DEFAULT_TREE_MANAGER_CONFIG } from "@/server/domain/trees/config";
import { ruleSettingsJson } from "./candidates";

/**
 * The hand-out's lookups of open tasks must read only the tasks they look up, whatever the statistics say (issue 15,
 * bench/results/load-pg-1m-openloop.md). The situation of a freshly seeded or quiet database: the tasks table was
 * analyzed while no task was open, so the partial indexes over open tasks look empty to the planner, and then tasks
 * were handed out. The hand-out runs with generic plans (kept per connection), so the plans are checked generic.
 * Every scan of `tasks` must look up its key (an index condition); a scan of a whole index with a filter reads every
 * open task once per checked target, and made the hand-out slower with every task left open.
 */
const t = setupTestDatabase();
let sql: postgres.Sql;

const OPEN_TASKS = 400;
const USER = "00000000-0000-4000-8000-000000000001";
const settings = ruleSettingsJson(DEFAULT_TREE_MANAGER_CONFIG);
const ids = Array.from({ length: 8 }, (_, i) => `00000000-0000-4000-8000-${String(100 + i).padStart(12, "0")}`);

beforeAll(async () => {
  sql = postgres(t.url, { max: 1, onnotice: () => {} });
  await sql`insert into users (id, name, email, tos_acceptance_date, enabled) values (${USER}, 'Plans', 'plans@example.test', now(), true)`;
  // A campaign's history: many done tasks, none open, analyzed in that state (the open-task indexes look empty) …
  await sql`
    insert into tasks (user_id, type, payload, expiry_date, parent_message_id, message_tree_id, done, created_date)
    select ${USER}, 'label_assistant_reply', '{}'::jsonb, now() - interval '1 day', gen_random_uuid(), gen_random_uuid(), true,
      now() - interval '2 days'
    from generate_series(1, 20000)`;
  await sql`analyze tasks`;
  // … then tasks are handed out and stay open (the statistics are not refreshed that soon).
  await sql`
    insert into tasks (user_id, type, payload, expiry_date, parent_message_id, message_tree_id)
    select ${USER}, (array['label_assistant_reply', 'rank_assistant_replies', 'assistant_reply'])[1 + g % 3]::task_type, '{}'::jsonb,
      now() + interval '1 day', gen_random_uuid(), gen_random_uuid()
    from generate_series(1, ${OPEN_TASKS}) g`;
}, 120_000);
afterAll(async () => sql?.end());

type PlanNode = { "Node Type": string; "Relation Name"?: string; "Index Name"?: string; "Index Cond"?: string; "Recheck Cond"?: string; Plans?: PlanNode[] };

/** The scans of `tasks` in a plan that do not look up a key: "index name (node type)". */
function unkeyedTaskScans(node: PlanNode, found: string[] = []): string[] {
  if (node["Relation Name"] === "tasks" && !node["Index Cond"] && !node["Recheck Cond"]) {
    found.push(`${node["Index Name"] ?? "no index"} (${node["Node Type"]})`);
  }
  for (const child of node.Plans ?? []) unkeyedTaskScans(child, found);
  return found;
}

const literal = (value: string) => `'${value.replaceAll("'", "''")}'`;
let prepared = 0;

/** The generic plan of `statement` (parameters $1… of `types`), as the hand-out's functions run it. */
async function genericPlan(statement: string, types: string[], values: string[]): Promise<PlanNode> {
  const name = `handout_plan_check_${++prepared}`;
  return sql.begin(async (tx) => {
    await tx`set local plan_cache_mode = force_generic_plan`;
    await tx.unsafe(`prepare ${name}(${types.join(", ")}) as ${statement}`);
    // The values only fill the parameters: a generic plan does not depend on them.
    const args = values.map((value, i) => `${literal(value)}::${types[i]}`).join(", ");
    const [row] = await tx.unsafe(`explain (format json) execute ${name}(${args})`);
    await tx.unsafe(`deallocate ${name}`);
    const plan = (row as Record<string, unknown>)["QUERY PLAN"];
    return (typeof plan === "string" ? JSON.parse(plan) : plan)[0].Plan as PlanNode;
  });
}

const RULES: [string, string][] = [
  ["oa_review_targets (initial prompts)", "select * from oa_review_targets($1, $2, $3, true, $4)"],
  ["oa_review_targets (replies)", "select * from oa_review_targets($1, $2, $3, false, $4)"],
  ["oa_reply_targets", "select * from oa_reply_targets($1, $2, $3, $4)"],
  ["oa_rank_targets", "select * from oa_rank_targets($1, $2, $3, $4)"],
];

describe("the hand-out's lookups of open tasks, with statistics that say none is open", () => {
  it.each(RULES)("%s looks up each target's and tree's open tasks by key", async (_name, statement) => {
    const plan = await genericPlan(statement, ["uuid[]", "uuid", "text", "jsonb"], [`{${ids.join(",")}}`, USER, "en", settings]);
    expect(unkeyedTaskScans(plan)).toEqual([]);
  });

  it("the pending-limit count of oa_request_task looks up the user's recent tasks by key", async () => {
    // The statement of oa_request_task (and of the gold hand-out in request-task.ts), parameters as there.
    const plan = await genericPlan(
      `select count(*)::int from tasks t where t.user_id = $1 and not t.done and not t.skipped
        and t.created_date > now() - make_interval(secs => ($2::jsonb->>'recentTasksSpanSec')::int)`,
      ["uuid", "jsonb"], [USER, settings],
    );
    expect(unkeyedTaskScans(plan)).toEqual([]);
  });
});
