import { createTRPCRouter } from "@/server/api/trpc";
import { getMyStatsRoute } from "./get-my-stats";
import { getTrollboardRoute } from "./get-trollboard";
import { getUserStatsRoute } from "./get-user-stats";
import { listLeaderboardRoute } from "./list-leaderboard";
import { refreshLeaderboardRoute } from "./refresh-leaderboard";

export const leaderboardRouter = createTRPCRouter({
  list: listLeaderboardRoute,
  myStats: getMyStatsRoute,
  userStats: getUserStatsRoute,
  trollboard: getTrollboardRoute,
  refresh: refreshLeaderboardRoute,
});
