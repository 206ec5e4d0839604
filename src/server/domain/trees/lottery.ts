import { and, eq, sql } from "drizzle-orm";
import type { DbOrTx } from "@/server/db/client";
import { messageTreeStates } from "@/server/db/schema";
import { treeConfigForLanguage } from "./config";
import { pickWeighted, type TreeDeps } from "./deps";

type StateCounts = { waiting: number; review: number; growing: number };

async function countTreesByState(tx: DbOrTx, lang: string): Promise<StateCounts> {
  const [row] = await tx
    .select({
      waiting: sql<number>`count(*) filter (where ${messageTreeStates.state} = 'prompt_lottery_waiting')::int`,
      review: sql<number>`count(*) filter (where ${messageTreeStates.state} = 'initial_prompt_review' and ${messageTreeStates.active})::int`,
      growing: sql<number>`count(*) filter (where ${messageTreeStates.state} = 'growing' and ${messageTreeStates.active})::int`,
    })
    .from(messageTreeStates)
    .where(eq(messageTreeStates.lang, lang));
  return row ?? { waiting: 0, review: 0, growing: 0 };
}

/**
 * How many initial-prompt tasks a language can take now (spec §3.5): enough to fill the missing growing trees and
 * the review queue, capped by the room left in the lottery. Disabled languages take none, everywhere (fix §8.5).
 */
export async function countMissingPrompts(tx: DbOrTx, lang: string, deps: TreeDeps): Promise<number> {
  const settings = treeConfigForLanguage(deps.config, lang);
  if (settings.initPromptDisabledLangs.includes(lang)) return 0;
  const counts = await countTreesByState(tx, lang);
  const remainingLottery = Math.max(0, settings.maxPromptLotteryWaiting - counts.waiting);
  const remainingReview = Math.max(0, settings.maxInitialPromptReview - counts.review);
  const missingGrowing = Math.max(0, settings.maxActiveTrees - counts.growing);
  return Math.min(missingGrowing + remainingReview, remainingLottery);
}

/**
 * Draws accepted prompts from `prompt_lottery_waiting` into `growing` until the language has `maxActiveTrees`
 * growing trees (spec §3.5). Authors are weighted by their month's first-ranked replies + 1, then one of their
 * prompts is picked uniformly. It runs on the write paths that change the counts (a prompt accepted, a tree
 * leaving `growing`) and in the scheduled job, never on a read (fix §8.1); a per-language advisory lock keeps
 * two draws from over-filling (fix §8.2).
 */
export async function runPromptLottery(tx: DbOrTx, lang: string, deps: TreeDeps, maxActivate = 2): Promise<string[]> {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`oa-lottery:${lang}`}))`);
  const settings = treeConfigForLanguage(deps.config, lang);
  const activated: string[] = [];
  while (activated.length < maxActivate) {
    const { growing } = await countTreesByState(tx, lang);
    if (growing >= settings.maxActiveTrees) break;
    const authors = await tx.execute<{ user_id: string; weight: number }>(sql`
      select m.user_id, coalesce(max(us.reply_ranked_1), 0) + 1 as weight
      from message_tree_states s
      join messages m on m.id = s.message_tree_id
      join users u on u.id = m.user_id
      left join user_stats us on us.user_id = m.user_id and us.time_frame = 'month'
      where s.state = 'prompt_lottery_waiting' and s.lang = ${lang}
        and not m.deleted and m.review_result is true
        and u.enabled and not u.deleted and u.role <> 'banned'
      group by m.user_id`);
    const author = pickWeighted(authors.map((row) => ({ item: row.user_id, weight: Number(row.weight) })), deps.random);
    if (!author) break;
    const prompts = await tx.execute<{ id: string }>(sql`
      select s.message_tree_id as id from message_tree_states s join messages m on m.id = s.message_tree_id
      where s.state = 'prompt_lottery_waiting' and s.lang = ${lang} and m.user_id = ${author}
        and not m.deleted and m.review_result is true
      order by m.created_date limit 100`);
    const winner = prompts[Math.floor(deps.random() * prompts.length)];
    if (!winner) break;
    await tx
      .update(messageTreeStates)
      .set({ state: "growing", active: true, wonPromptLotteryDate: sql`coalesce(${messageTreeStates.wonPromptLotteryDate}, now())` })
      .where(and(eq(messageTreeStates.messageTreeId, winner.id), eq(messageTreeStates.state, "prompt_lottery_waiting")));
    activated.push(winner.id);
  }
  return activated;
}
