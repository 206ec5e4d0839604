import { sql, type SQL } from "drizzle-orm";
import { TERMINAL_TREE_STATES } from "@/server/domain/trees/states";

/**
 * Every invariant of the stored trees and queues, as SQL that returns the rows violating it (none when it
 * holds). Counts that the app maintains on write (children, reviews, emojis) are recomputed from the rows they
 * count. Some checks only cover trees grown here (`origin is null`): imported trees bring their counts and limits
 * from the dataset, without the individual reviews and emoji toggles behind them.
 */
export type InvariantCheck = {
  name: string;
  /** What must hold, in words. */
  rule: string;
  query: SQL;
};

const terminalStates = sql.join(
  [...TERMINAL_TREE_STATES].map((state) => sql`${state}`),
  sql`, `,
);

export const INVARIANT_CHECKS: readonly InvariantCheck[] = [
  {
    name: "children_count",
    rule: "a message's children_count is its number of live (not deleted) children",
    query: sql`
      select m.id as message_id, m.children_count as stored, coalesce(c.n, 0) as actual
      from messages m
      left join (select parent_id, count(*)::int as n from messages where parent_id is not null and not deleted group by parent_id) c
        on c.parent_id = m.id
      where m.children_count <> coalesce(c.n, 0)`,
  },
  {
    name: "children_limit",
    // A rejected reply stays live (visible) but frees its slot: the hand-out, reply submission and undelete count
    // only replies that are accepted or still under review (`replyCapacity`, OA's extendible-parents query).
    rule: "in a tree grown here, no live message has more live, not rejected children than the tree's max_children_count or sits deeper than its max_depth",
    query: sql`
      select m.id as message_id, m.children_count, coalesce(c.n, 0) as counted_children, m.depth, s.max_children_count, s.max_depth
      from messages m join message_tree_states s on s.message_tree_id = m.message_tree_id
      left join (
        select parent_id, count(*)::int as n from messages
        where parent_id is not null and not deleted and review_result is distinct from false group by parent_id
      ) c on c.parent_id = m.id
      where s.origin is null and not m.deleted and (coalesce(c.n, 0) > s.max_children_count or m.depth > s.max_depth)`,
  },
  {
    name: "review_count",
    rule: "in a tree grown here, a message's review_count is its number of task-based review labels",
    query: sql`
      select m.id as message_id, m.review_count as stored, coalesce(l.n, 0) as actual
      from messages m
      join message_tree_states s on s.message_tree_id = m.message_tree_id
      left join (select message_id, count(*)::int as n from text_labels where task_id is not null group by message_id) l
        on l.message_id = m.id
      where s.origin is null and m.review_count <> coalesce(l.n, 0)`,
  },
  {
    name: "sibling_ranks",
    rule: "the ranks given to the children of one parent are a permutation of 0…n-1",
    query: sql`
      select parent_id, array_agg(rank order by rank) as ranks
      from messages where parent_id is not null and rank is not null
      group by parent_id
      having count(*) <> count(distinct rank) or min(rank) <> 0 or max(rank) <> count(*) - 1`,
  },
  {
    name: "tree_active_flag",
    rule: "a tree is active exactly when its state is not terminal",
    query: sql`
      select message_tree_id, state, active from message_tree_states
      where active <> (state not in (${terminalStates}))`,
  },
  {
    name: "tree_root",
    rule: "every tree state row belongs to a root message (no parent, its own tree), and every root message has one",
    query: sql`
      select s.message_tree_id as tree_id, 'tree row on a non-root message' as problem
      from message_tree_states s join messages m on m.id = s.message_tree_id
      where m.parent_id is not null or m.message_tree_id <> m.id
      union all
      select m.id, 'root message without a tree row'
      from messages m left join message_tree_states s on s.message_tree_id = m.id
      where m.parent_id is null and s.message_tree_id is null`,
  },
  {
    name: "tree_state_content",
    rule: "a tree in initial_prompt_review has no live replies yet, and a tree past review has a root that was not rejected",
    query: sql`
      select s.message_tree_id as tree_id, s.state, 'replies before the prompt was accepted' as problem
      from message_tree_states s
      where s.state = 'initial_prompt_review'
        and exists (select 1 from messages c where c.message_tree_id = s.message_tree_id and c.parent_id is not null and not c.deleted)
      union all
      select s.message_tree_id, s.state, 'rejected prompt in a tree past review'
      from message_tree_states s join messages r on r.id = s.message_tree_id
      where s.origin is null and s.state in ('growing', 'ranking', 'ready_for_scoring', 'ready_for_export') and r.review_result is false`,
  },
  {
    name: "orphans",
    rule: "every message belongs to an existing tree, its parent is in the same tree, and its depth is its parent's + 1 (roots: 0)",
    query: sql`
      select m.id as message_id, 'tree root missing' as problem
      from messages m left join messages r on r.id = m.message_tree_id
      where r.id is null or r.parent_id is not null
      union all
      select c.id, 'parent in another tree or wrong depth'
      from messages c join messages p on p.id = c.parent_id
      where p.message_tree_id <> c.message_tree_id or c.depth <> p.depth + 1
      union all
      select id, 'root with a depth' from messages where parent_id is null and depth <> 0`,
  },
  {
    name: "task_states",
    rule: "a task is never both done and skipped, and a done task was acknowledged",
    query: sql`
      select id as task_id, type, done, skipped, ack from tasks
      where (done and skipped) or (done and ack is not true)`,
  },
  {
    name: "queue_jobs",
    rule: "inference jobs are in a legal state: queued jobs hold no lease, running jobs hold one, finished jobs have a finish time, attempts within the maximum, no chunk beyond last_seq",
    query: sql`
      select j.id as job_id, j.status, j.attempts, j.max_attempts, j.lease_owner, j.finished_at, j.last_seq
      from inference_jobs j
      where (j.status = 'queued' and (j.lease_owner is not null or j.lease_expires_at is not null or j.finished_at is not null))
         or (j.status = 'running' and (j.lease_owner is null or j.lease_expires_at is null or j.finished_at is not null or j.attempts < 1))
         or (j.status in ('done', 'failed', 'cancelled', 'timed_out') and j.finished_at is null)
         or j.attempts < 0 or j.attempts > j.max_attempts
         or exists (select 1 from inference_job_chunks k where k.job_id = j.id and k.seq > j.last_seq)`,
  },
  {
    name: "emoji_counts",
    rule: "in a tree grown here, a message's emoji counts are the numbers of users who gave each emoji",
    query: sql`
      select m.id as message_id, m.emojis as stored, coalesce(e.counts, '{}'::jsonb) as actual
      from messages m
      join message_tree_states s on s.message_tree_id = m.message_tree_id
      left join (
        select message_id, jsonb_object_agg(emoji, n) as counts
        from (select message_id, emoji, count(*)::int as n from message_emojis group by message_id, emoji) x
        group by message_id
      ) e on e.message_id = m.id
      where s.origin is null and m.emojis <> coalesce(e.counts, '{}'::jsonb)`,
  },
];
