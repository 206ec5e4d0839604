import { sql, type SQL } from "drizzle-orm";
import type { DbOrTx } from "@/server/db/client";
import type { TaskType } from "@/server/db/schema";
import { uuidArray } from "@/server/domain/messages/queries";
import { rankingsNeededSql, reviewsNeededSql } from "@/server/domain/quality/adaptive-reviews";
import type { TreeManagerSettings } from "@/server/domain/trees/config";

/**
 * Work a contributor could be given right now, per kind (spec §3.4), in two steps that both cost the same however
 * large the campaign:
 * 1. `sampleWork` takes a bounded, random sample of open targets from the work rows (`task_work`, kept by triggers:
 *    a target is there while the message and its tree say it is open for that task type);
 * 2. the rule queries below check the sampled targets against every rule, each target by its indexes.
 * Fixes over the original kept in the rules:
 * - reservations are counted per target against its remaining capacity (open tasks of others within
 *   `recentTasksSpanSec`), instead of hiding a target from everyone while one task is open (§8.3);
 * - a target is offered only if this user could actually submit for it: no live reply of theirs under a parent
 *   (whatever its review state), no earlier review or ranking of theirs, no open task of theirs on it (§8.4);
 * - in a tree, the requester's own open reply tasks hold slots of the tree's goal too (issue 12 #22).
 * Hand-out re-checks the one target it takes under its row lock with the same rules.
 */
export type CandidateQuery = { userId: string; lang: string; settings: TreeManagerSettings; ids: readonly string[] };

/** How many open targets one probe samples. */
export const SAMPLE_WINDOW = 32;

export type WorkSample = { ids: string[]; /** More open targets exist beyond the sample. */ more: boolean };

/**
 * Up to `SAMPLE_WINDOW` open targets of `kind` in `lang`: the rows at or after a random key, wrapping around to the
 * start, along the (kind, lang, sort_key) index. Every target is in the sample when there are at most that many.
 */
export async function sampleWork(tx: DbOrTx, kind: TaskType, lang: string, random: () => number): Promise<WorkSample> {
  const key = random();
  const rows = await tx.execute<{ target_id: string }>(sql`
    select target_id from (
      (select target_id, 0 as part, sort_key from task_work
        where kind = ${kind} and lang = ${lang} and sort_key >= ${key} order by sort_key limit ${SAMPLE_WINDOW + 1})
      union all
      (select target_id, 1 as part, sort_key from task_work
        where kind = ${kind} and lang = ${lang} and sort_key < ${key} order by sort_key limit ${SAMPLE_WINDOW + 1})
    ) w order by part, sort_key limit ${SAMPLE_WINDOW + 1}`);
  const ids = rows.map((row) => row.target_id);
  return { ids: ids.slice(0, SAMPLE_WINDOW), more: ids.length > SAMPLE_WINDOW };
}

/**
 * `sampleWork` for several kinds in one statement (one round trip instead of one per kind); the random keys are
 * drawn in the order of `kinds`, as that many `sampleWork` calls would draw them.
 */
export async function sampleWorkOf(tx: DbOrTx, kinds: readonly TaskType[], lang: string, random: () => number): Promise<WorkSample[]> {
  if (kinds.length === 1) return [await sampleWork(tx, kinds[0]!, lang, random)];
  if (kinds.length === 0) return [];
  const keys = kinds.map(() => random());
  const rows = await tx.execute<{ ord: number; target_id: string }>(sql`
    select k.ord::int as ord, w.target_id from unnest(${`{${kinds.join(",")}}`}::task_type[], ${`{${keys.join(",")}}`}::float8[])
      with ordinality as k(kind, key, ord)
    cross join lateral (
      select target_id, part, sort_key from (
        (select target_id, 0 as part, sort_key from task_work
          where kind = k.kind and lang = ${lang} and sort_key >= k.key order by sort_key limit ${SAMPLE_WINDOW + 1})
        union all
        (select target_id, 1 as part, sort_key from task_work
          where kind = k.kind and lang = ${lang} and sort_key < k.key order by sort_key limit ${SAMPLE_WINDOW + 1})
      ) u order by part, sort_key limit ${SAMPLE_WINDOW + 1}
    ) w
    order by k.ord, w.part, w.sort_key`);
  return kinds.map((_, i) => {
    const ids = rows.filter((row) => Number(row.ord) === i + 1).map((row) => row.target_id);
    return { ids: ids.slice(0, SAMPLE_WINDOW), more: ids.length > SAMPLE_WINDOW };
  });
}

/** Open targets of `kind` in `lang`, counted up to `cap` along the index (never a scan of the whole set). */
export async function countWork(tx: DbOrTx, kind: TaskType, lang: string, cap: number): Promise<number> {
  const [row] = await tx.execute<{ n: number }>(sql`
    select count(*)::int as n from (select 1 from task_work where kind = ${kind} and lang = ${lang} limit ${cap}) w`);
  return Number(row?.n ?? 0);
}

/** `kindsWithWork` as an expression (a `text[]`), to read in the same statement as other figures. */
export function kindsWithWorkColumn(kinds: readonly TaskType[], lang: string): SQL {
  return sql`array(select k.kind::text from unnest(${`{${kinds.join(",")}}`}::task_type[]) as k(kind)
    where exists (select 1 from task_work w where w.kind = k.kind and w.lang = ${lang}))`;
}

/** The kinds among `kinds` that have any open target in `lang` (one index probe each). */
export async function kindsWithWork(tx: DbOrTx, kinds: readonly TaskType[], lang: string): Promise<Set<TaskType>> {
  if (kinds.length === 0) return new Set();
  const rows = await tx.execute<{ kind: TaskType }>(sql`
    select k.kind from unnest(${`{${kinds.join(",")}}`}::task_type[]) as k(kind)
    where exists (select 1 from task_work w where w.kind = k.kind and w.lang = ${lang})`);
  return new Set(rows.map((row) => row.kind));
}

const span = (settings: TreeManagerSettings) => sql`now() - make_interval(secs => ${settings.recentTasksSpanSec})`;

/** A task holds a slot until it is done, skipped, expired or older than the span. */
const openWithinSpan = (q: CandidateQuery) => sql`not t.done and not t.skipped and t.created_date > ${span(q.settings)}
  and (t.expiry_date is null or t.expiry_date > now())`;

/**
 * On a target, only other users' tasks reserve a slot: the requester's own open task there already excludes the
 * target for them (`hasOwnOpenTask`).
 */
const holdsSlot = (q: CandidateQuery) => sql`${openWithinSpan(q)} and t.user_id is distinct from ${q.userId}`;

/** Open tasks of other users on a target. */
const reservedBy = (target: SQL, types: SQL, q: CandidateQuery) => sql`(
  select count(*) from tasks t where t.parent_message_id = ${target} and t.type in ${types} and ${holdsSlot(q)})`;

const hasOwnOpenTask = (target: SQL, types: SQL, q: CandidateQuery) => sql`exists (
  select 1 from tasks t where t.parent_message_id = ${target} and t.type in ${types} and t.user_id = ${q.userId}
    and not t.done and not t.skipped and (t.expiry_date is null or t.expiry_date > now()))`;

const skipped = (target: SQL, emoji: string, q: CandidateQuery) =>
  sql`exists (select 1 from message_emojis e where e.message_id = ${target} and e.user_id = ${q.userId} and e.emoji = ${emoji})`;

const among = (column: SQL, q: CandidateQuery) => sql`${column} = any(${uuidArray(q.ids)})`;

const LABEL_TYPES = sql`('label_initial_prompt', 'label_prompter_reply', 'label_assistant_reply')`;
const REPLY_TYPES = sql`('prompter_reply', 'assistant_reply')`;
const RANK_TYPES = sql`('rank_assistant_replies', 'rank_prompter_replies')`;

/** A message counts toward its parent's and its tree's size while live and accepted or still under review. */
const counted = (alias: SQL, settings: TreeManagerSettings) =>
  sql`not ${alias}.deleted and (${alias}.review_result is true or ${alias}.review_count < ${reviewsNeededSql(alias, settings)})`;

export type ReviewCandidate = { id: string; role: "prompter" | "assistant"; message_tree_id: string };

async function reviewCandidates(tx: DbOrTx, q: CandidateQuery, roots: boolean, treeState: string) {
  if (q.ids.length === 0) return [];
  return tx.execute<ReviewCandidate>(sql`
    select m.id, m.role, m.message_tree_id from messages m
    join message_tree_states s on s.message_tree_id = m.message_tree_id
    where ${among(sql`m.id`, q)} and s.active and s.state = ${treeState} and m.lang = ${q.lang}
      and m.parent_id is ${roots ? sql`null` : sql`not null`}
      and not m.deleted and m.review_result is not true
      and m.review_count + ${reservedBy(sql`m.id`, LABEL_TYPES, q)} < ${reviewsNeededSql(sql`m`, q.settings)}
      and m.user_id is distinct from ${q.userId}
      and not ${skipped(sql`m.id`, "_skip_labeling", q)}
      and not exists (select 1 from text_labels l where l.message_id = m.id and l.user_id = ${q.userId} and l.task_id is not null)
      and not ${hasOwnOpenTask(sql`m.id`, LABEL_TYPES, q)}`);
}

/** Initial prompts of active trees in review that still need reviews. */
export const findPromptsNeedingReview = (tx: DbOrTx, q: CandidateQuery) =>
  reviewCandidates(tx, q, true, "initial_prompt_review");

/** Replies in active growing trees that still need reviews. */
export const findRepliesNeedingReview = (tx: DbOrTx, q: CandidateQuery) =>
  reviewCandidates(tx, q, false, "growing");

export type ParentCandidate = { id: string; role: "prompter" | "assistant"; message_tree_id: string; children: number };

/**
 * Accepted messages in active growing trees that can take one more reply: below the tree's depth limit, with room
 * among their children (prompter messages take up to maxChildrenCount assistant replies, assistant messages up to
 * numPrompterReplies prompter replies) and room left in the tree's goal, reservations included.
 */
export async function findExtendibleParents(tx: DbOrTx, q: CandidateQuery): Promise<ParentCandidate[]> {
  if (q.ids.length === 0) return [];
  const s = q.settings;
  return tx.execute<ParentCandidate>(sql`
    select * from (
      select m.id, m.role, m.message_tree_id, s.goal_tree_size, s.max_children_count,
        (select count(*) from messages c where c.parent_id = m.id and ${counted(sql`c`, s)})::int as children,
        ${reservedBy(sql`m.id`, REPLY_TYPES, q)}::int as reserved,
        (select count(*) from messages c where c.message_tree_id = m.message_tree_id and ${counted(sql`c`, s)})::int as tree_size,
        (select count(*) from tasks t where t.message_tree_id = m.message_tree_id and t.type in ${REPLY_TYPES}
          and ${openWithinSpan(q)})::int as tree_reserved
      from messages m
      join message_tree_states s on s.message_tree_id = m.message_tree_id
      where ${among(sql`m.id`, q)} and s.active and s.state = 'growing' and s.lang = ${q.lang}
        and not m.deleted and m.review_result is true and m.depth < s.max_depth
        and not ${skipped(sql`m.id`, "_skip_reply", q)}
        and not exists (select 1 from messages c where c.parent_id = m.id and c.user_id = ${q.userId} and not c.deleted)
        and not ${hasOwnOpenTask(sql`m.id`, REPLY_TYPES, q)}
    ) p
    where p.children + p.reserved < case when p.role = 'prompter' then p.max_children_count
                                         else least(p.max_children_count, ${s.numPrompterReplies}) end
      and p.tree_size + p.tree_reserved < p.goal_tree_size`);
}

export type RankingCandidate = { parent_id: string; parent_role: "prompter" | "assistant"; message_tree_id: string };

/** Parents in active ranking trees whose accepted replies still need rankings, that this user may rank. */
export async function findIncompleteRankings(tx: DbOrTx, q: CandidateQuery): Promise<RankingCandidate[]> {
  if (q.ids.length === 0) return [];
  const s = q.settings;
  return tx.execute<RankingCandidate>(sql`
    select c.parent_id, p.role as parent_role, p.message_tree_id from messages c
    join messages p on p.id = c.parent_id
    join message_tree_states s on s.message_tree_id = c.message_tree_id
    where ${among(sql`p.id`, q)} and s.active and s.state = 'ranking' and p.lang = ${q.lang}
      and not c.deleted and c.review_result is true
      ${s.rankPrompterReplies ? sql`` : sql`and p.role = 'prompter'`}
      and not ${skipped(sql`p.id`, "_skip_ranking", q)}
      and not exists (select 1 from message_reactions r where r.message_id = p.id and r.user_id = ${q.userId})
      and not ${hasOwnOpenTask(sql`p.id`, RANK_TYPES, q)}
    group by c.parent_id, p.role, p.message_tree_id, p.id
    having count(*) > 1
      and bool_and(c.user_id is distinct from ${q.userId})
      and (select count(*) from message_reactions r join tasks t on t.id = r.task_id where t.done and r.message_id = p.id)
        + ${reservedBy(sql`p.id`, RANK_TYPES, q)} < ${rankingsNeededSql(sql`p`, s)}`);
}
