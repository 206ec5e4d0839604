import type { Job } from "../job";
import { withRunRecord } from "../job-runs";
import { cleanupExpiredTasksJob } from "./cleanup-expired-tasks";
import { computeArenaJob } from "./compute-arena";
import { computeEmbeddingJob } from "./compute-embedding";
import { computeQualityJob } from "./compute-quality";
import { indexMessageSearchJob } from "./index-message-search";
import { refreshCachedStatsJob } from "./refresh-cached-stats";
import { refreshLeaderboardJobs } from "./refresh-leaderboard";
import { refreshTrollStatsJob } from "./refresh-troll-stats";
import { resetStreaksJob } from "./reset-streaks";
import { runPromptLotteryJob } from "./run-prompt-lottery";
import { scoreToxicityJob } from "./score-toxicity";
import { sweepChatQueueJob } from "./sweep-chat-queue";

/**
 * Every background job; served at /api/inngest, or run in-process without Inngest. Each goes through
 * `withRunRecord`, so every run leaves a `job_runs` row for the status page.
 */
export const JOBS: readonly Job[] = [
  scoreToxicityJob,
  computeEmbeddingJob,
  ...refreshLeaderboardJobs,
  refreshTrollStatsJob,
  refreshCachedStatsJob,
  resetStreaksJob,
  cleanupExpiredTasksJob,
  runPromptLotteryJob,
  sweepChatQueueJob,
  computeQualityJob,
  computeArenaJob,
  indexMessageSearchJob,
].map(withRunRecord);
