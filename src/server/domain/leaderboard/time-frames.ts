import { TIME_FRAMES, type TimeFrame } from "@/server/db/schema";

export { TIME_FRAMES, type TimeFrame };

const DAY_MS = 86_400_000;

/**
 * Start of a time frame (OA `user_stats_repository.update_stats`): the last 24 hours; the week and the month
 * count whole UTC days back from today's midnight (7 and 30 days); `total` has no start.
 */
export function timeFrameStart(timeFrame: TimeFrame, now: Date = new Date()): Date | null {
  const midnight = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  switch (timeFrame) {
    case "day":
      return new Date(now.getTime() - DAY_MS);
    case "week":
      return new Date(midnight - 7 * DAY_MS);
    case "month":
      return new Date(midnight - 30 * DAY_MS);
    case "total":
      return null;
  }
}

