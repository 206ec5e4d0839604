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

/**
 * The scans in a plan of the given relations whose condition (index or recheck) does not match the relation's pattern:
 * "relation via index: condition (node type)".
 */
function scansNotMatching(node: PlanNode, patterns: Record<string, RegExp>, found: string[] = []): string[] {
  const pattern = node["Relation Name"] ? patterns[node["Relation Name"]] : undefined;
  const condition = node["Index Cond"] ?? node["Recheck Cond"] ?? "";
  if (pattern && !pattern.test(condition)) {
    found.push(`${node["Relation Name"]} via ${node["Index Name"] ?? "no index"}: ${condition || "no condition"} (${node["Node Type"]})`);
  }
  for (const child of node.Plans ?? []) scansNotMatching(child, patterns, found);
  return found;
}

/** The scans of `tasks` in a plan that do not look up a key (any index condition). */
const unkeyedTaskScans = (plan: PlanNode) => scansNotMatching(plan, { tasks: /\S/ });

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

/**
 * The same rules must not read more with a bigger campaign or a more prolific contributor (issue 15): a target's tree
 * state row is looked up by the tree's key, not found among every active tree of the language, and a contributor's
 * own labels, emojis and rankings are looked up per target, not read in full once per target. The situation: the
 * statistics describe the average contributor (a few of each), while the one asking has thousands, and a language has
 * many growing trees.
 */
describe("the hand-out's rules, for a prolific contributor in a campaign with many growing trees", () => {
  const HISTORY = 3000;
  const TREES = 2000;

  beforeAll(async () => {
    await sql`
      insert into users (id, name, email, tos_acceptance_date, enabled)
      select gen_random_uuid(), 'Contributor ' || g, 'many-' || g || '@example.test', now(), true from generate_series(1, 2000) g`;
    // Roots of their own trees, written by other contributors; the first TREES of them are growing in English.
    await sql`
      insert into messages (id, message_tree_id, user_id, role, frontend_message_id, text, lang, review_count, review_result)
      select id, id, (select id from users where email = 'many-' || (1 + g % 2000) || '@example.test'), 'prompter', 'plan-' || g,
        'A prompt', 'en', 3, true
      from (select g, gen_random_uuid() as id from generate_series(1, ${HISTORY}) g) m`;
    await sql`
      insert into message_tree_states (message_tree_id, goal_tree_size, max_depth, max_children_count, state, active, lang)
      select id, 12, 5, 3, 'growing', true, 'en' from messages where frontend_message_id like 'plan-%' order by frontend_message_id limit ${TREES}`;
    // Everyone has a few labels, emojis and rankings (on three random messages); USER has one of each on every message.
    await sql`
      create temp table history as
      select u.id as user_id, m.id as message_id from users u
      -- (u.id is not null ties the subquery to each user, so each draws its own three messages)
      cross join lateral (select id from messages where frontend_message_id like 'plan-%' and u.id is not null order by random() limit 3) m
      where u.email like 'many-%'
      union all
      select ${USER}, id from messages where frontend_message_id like 'plan-%'`;
    await sql`insert into text_labels (user_id, message_id, labels, task_id) select user_id, message_id, '{}'::jsonb, gen_random_uuid() from history`;
    await sql`insert into message_emojis (user_id, message_id, emoji) select user_id, message_id, '+1' from history`;
    await sql`
      with ranked as (
        insert into tasks (user_id, type, payload, expiry_date, parent_message_id, done, created_date)
        select user_id, 'rank_assistant_replies', '{}'::jsonb, now() - interval '1 day', message_id, true, now() - interval '2 days' from history
        returning id, user_id, parent_message_id)
      insert into message_reactions (task_id, user_id, message_id, payload) select id, user_id, parent_message_id, '{}'::jsonb from ranked`;
    await sql`analyze`;
  }, 120_000);

  /** The relations whose rows the rules look up per target, and the column that names the target. */
  const PER_TARGET = {
    message_tree_states: /\bmessage_tree_id\b/,
    text_labels: /\bmessage_id\b/,
    message_emojis: /\bmessage_id\b/,
    message_reactions: /\bmessage_id\b/,
  };

  it.each(RULES)("%s looks up each target's tree and the contributor's own rows on it by key", async (_name, statement) => {
    const plan = await genericPlan(statement, ["uuid[]", "uuid", "text", "jsonb"], [`{${ids.join(",")}}`, USER, "en", settings]);
    expect(scansNotMatching(plan, PER_TARGET)).toEqual([]);
  });
});
