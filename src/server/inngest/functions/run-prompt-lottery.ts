import { sql } from "drizzle-orm";
import { runPromptLottery } from "@/server/domain/trees/lottery";
import { type CronJob, MAINTENANCE_CONCURRENCY } from "../job";

/**
 * The prompt lottery runs on the write paths that change the counts (trees/lottery.ts); this is the scheduled
 * pass that catches a language whose growing trees ended some other way (a moderator halting one, say). One step
 * per language with waiting prompts; `runPromptLottery` takes its own per-language advisory lock.
 */
export const runPromptLotteryJob: CronJob = {
  id: "run-prompt-lottery",
  name: "Draw waiting prompts into growing trees",
  trigger: { cron: "*/10 * * * *" },
  retries: 2,
  concurrency: MAINTENANCE_CONCURRENCY,
  async run({ step, deps }) {
    const languages = await step.run("find-languages", async () => {
      const rows = await deps.db().execute<{ lang: string }>(
        sql`select distinct lang from message_tree_states where state = 'prompt_lottery_waiting' order by lang`,
      );
      return rows.map((row) => row.lang);
    });
    const activated: Record<string, string[]> = {};
    for (const lang of languages) {
      activated[lang] = await step.run(`draw-${lang}`, () => deps.db().transaction((tx) => runPromptLottery(tx, lang, deps.treeDeps())));
    }
    return { activated };
  },
};
