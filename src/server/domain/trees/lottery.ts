import { and, eq, sql } from "drizzle-orm";
import type { DbOrTx } from "@/server/db/client";
import { messageTreeStates, type TreeState } from "@/server/db/schema";
import { type TreeManagerSettings, treeConfigForLanguage } from "./config";
import { pickWeighted, type TreeDeps } from "./deps";


/**
 * Trees of a language in one state, counted along the (state, lang) index and only up to `cap`: every caller
 * compares the count with a setting, so counting further would only cost time. The cost is bounded by the
 * settings, however many trees the language has in other states (issue 15: no scan per request).
 */
async function countInState(tx: DbOrTx, lang: string, state: TreeState, activeOnly: boolean, cap: number): Promise<number> {
  const [row] = await tx.execute<{ n: number }>(sql`
    select count(*)::int as n from (
      select 1 from message_tree_states
      where state = ${state} and lang = ${lang} ${activeOnly ? sql`and active` : sql``}
      limit ${cap}
    ) s`);
  return Number(row?.n ?? 0);
}

/**
 * The settings `oa_missing_prompts` reads (SQL, migration `handout_one_statement`), as jsonb text: the caps and
 * whether the language takes initial prompts at all.
 */
export function promptCapsJson(lang: string, settings: TreeManagerSettings): string {
  return JSON.stringify({
    maxPromptLotteryWaiting: settings.maxPromptLotteryWaiting,
    maxInitialPromptReview: settings.maxInitialPromptReview,
    maxActiveTrees: settings.maxActiveTrees,
    promptsDisabled: settings.initPromptDisabledLangs.includes(lang),
  });
}

/**
 * How many initial-prompt tasks a language can take now (spec §3.5, SQL `oa_missing_prompts`, which the hand-out
 * uses too): enough to fill the missing growing trees and the review queue, capped by the room left in the
 * lottery. Three capped index probes, never a scan. Disabled languages take none, everywhere (fix §8.5).
 */
export async function countMissingPrompts(tx: DbOrTx, lang: string, deps: TreeDeps): Promise<number> {
  const settings = treeConfigForLanguage(deps.config, lang);
  if (settings.initPromptDisabledLangs.includes(lang)) return 0;
  const [row] = await tx.execute<{ n: number }>(sql`select oa_missing_prompts(${lang}, ${promptCapsJson(lang, settings)}::jsonb) as n`);
  return Number(row?.n ?? 0);
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
    if ((await countInState(tx, lang, "growing", true, settings.maxActiveTrees)) >= settings.maxActiveTrees) break;
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
      order by m.created_date limit 100
      -- A waiting tree someone is changing right now (a moderator, say) is passed over rather than waited for.
      for update of s skip locked`);
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
