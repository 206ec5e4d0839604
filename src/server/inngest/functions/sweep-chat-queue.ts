import { sweepQueue } from "@/server/domain/chat/sweep";
import type { CronJob } from "../job";

/**
 * Settles the chat's inference queue every minute from the app itself: replies nobody picked up in time time out and
 * jobs whose worker died go back to the queue (or fail), even when no worker and no reply stream is running. Workers
 * and streams sweep too; rows are taken with SKIP LOCKED, so the sweepers never wait for each other.
 */
export const sweepChatQueueJob: CronJob = {
  id: "sweep-chat-queue",
  name: "Time out and recover chat replies",
  trigger: { cron: "* * * * *" },
  retries: 1,
  concurrency: [{ limit: 1, key: "\"oa-chat-queue-sweep\"", scope: "env" }],
  run: ({ step, deps }) => step.run("sweep-chat-queue", () => sweepQueue(deps.db(), { limit: 1000 })),
};
