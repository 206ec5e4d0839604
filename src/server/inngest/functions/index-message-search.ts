import { indexSearchBacklog, tidySearchBacklog } from "@/server/domain/messages/search-index";
import type { CronJob } from "../job";

/**
 * Brings the message search index up to date every minute (domain/messages/search-index.ts): the texts of messages
 * written or edited since, a batch per transaction, for up to 50 s. Searches stay complete meanwhile (they read the
 * waiting texts directly), so the schedule only sets how fast they are. One indexer at a time, by a lock in the
 * database: overlapping runs, or a second app process, skip.
 */
export const indexMessageSearchJob: CronJob = {
  id: "index-message-search",
  name: "Index new and edited messages for search",
  trigger: { cron: "* * * * *", runOnStart: true },
  retries: 1,
  concurrency: [{ limit: 1, key: "\"oa-message-search-index\"", scope: "env" }],
  run: ({ step, deps }) =>
    step.run("index-message-search", async () => {
      const run = await indexSearchBacklog(deps.db(), { budgetMs: 50_000 });
      return { ...run, vacuumed: await tidySearchBacklog(deps.db(), run) };
    }),
};
