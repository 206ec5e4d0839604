import { z } from "zod";
import { ZTimeFrame } from "@/server/domain/leaderboard/dto";
import { getMyStats } from "@/server/domain/leaderboard/my-stats";
import { getLeaderboard } from "@/server/domain/leaderboard/read-leaderboard";
import { TIME_FRAMES, type TimeFrame } from "@/server/domain/leaderboard/time-frames";
import { getTrollboard } from "@/server/domain/leaderboard/trollboard";
import { listCachedStats } from "@/server/domain/stats/cached-stats";
import { CACHED_STAT_NAMES } from "@/server/domain/stats/dto";
import { messageTotals, treeMessageCounts, treeStateCounts, type TreeMessageCount } from "@/server/domain/stats/tree-manager";
import { findUsersByIds } from "@/server/domain/users/client-users";
import { AppError } from "@/server/errors";
import { runJobNow } from "@/server/inngest";
import { json } from "../http";
import { headerUser } from "../identity";
import { ZQueryBool } from "../query-params";
import { Raw, route, type RestRoute } from "../route";
import { boardRow, NO_COUNTERS, toTrollScoreJson, toUserScoreJson, ZLeaderboardJson, ZTrollScoreJson, ZUserScoreJson } from "./scores";
import { visibleUser } from "./users";

/** Leaderboards, trollboards, a user's scores and the statistics endpoints (OA `leaderboards.py`, `users.py`, `stats.py`). */

const ZTimeFrameParams = z.object({ time_frame: ZTimeFrame });
const ZUserParams = z.object({ user_id: z.uuid("Not a user id.") });
const ZCachedStatJson = z
  .object({ name: z.enum(CACHED_STAT_NAMES), last_updated: z.string(), stats: z.union([z.record(z.string(), z.unknown()), z.array(z.unknown())]) })
  .meta({ id: "CachedStatsResponse" });
const ZTreeMessageCountJson = z
  .object({ message_tree_id: z.uuid(), state: z.string(), depth: z.number().int(), oldest: z.string(), youngest: z.string(), count: z.number().int(), goal_tree_size: z.number().int() })
  .meta({ id: "TreeMessageCountStats" });
const toTreeCountJson = (row: TreeMessageCount): z.infer<typeof ZTreeMessageCountJson> => ({
  message_tree_id: row.messageTreeId, state: row.state, depth: row.depth, oldest: row.oldest.toISOString(), youngest: row.youngest.toISOString(),
  count: row.count, goal_tree_size: row.goalTreeSize,
});

/** A user's scores in every time frame; frames without activity are zero, not missing (the original answered 500). */
async function userScores(db: Parameters<typeof getMyStats>[0], userId: string) {
  const [stats, users] = await Promise.all([getMyStats(db, userId), findUsersByIds(db, [userId])]);
  const user = users.get(userId);
  const byFrame = new Map(stats.timeFrames.map((row) => [row.timeFrame, row]));
  return Object.fromEntries(TIME_FRAMES.map((timeFrame) => {
    const row = byFrame.get(timeFrame);
    const displayName = user?.name ?? "";
    return [timeFrame, toUserScoreJson(row ?? NO_COUNTERS, { rank: row?.rank ?? null, userId, displayName, user, highlighted: false, timeFrame, modifiedDate: row?.lastUpdated ?? null })];
  })) as Record<TimeFrame, z.infer<typeof ZUserScoreJson>>;
}

const refreshBoard = (timeFrame: TimeFrame, db: Parameters<typeof runJobNow>[1]) => runJobNow(`refresh-leaderboard-${timeFrame}`, db);

export const statsRoutes: RestRoute[] = [
  route({
    method: "GET", path: "/leaderboards/{time_frame}", tag: "leaderboards", summary: "The leaderboard of a time frame (live)", auth: "key",
    description: "The row of the user named by x-oasst-user is highlighted.",
    params: ZTimeFrameParams, query: z.object({ max_count: z.coerce.number().int().min(1).max(10_000).default(100) }),
    response: { status: 200, schema: ZLeaderboardJson },
    async handle(ctx, { params, query }) {
      const board = await getLeaderboard(ctx.db, { timeFrame: params.time_frame, page: 1, pageSize: query.max_count, viewerId: null, windowSize: 0 });
      const [users, highlighted] = await Promise.all([findUsersByIds(ctx.db, board.entries.map((e) => e.userId)), headerUser(ctx.db, ctx.apiClient, ctx.request.headers)]);
      return {
        time_frame: board.timeFrame,
        last_updated: board.lastUpdated?.toISOString() ?? null,
        leaderboard: board.entries.map((e) => boardRow(e, users, board.timeFrame, board.lastUpdated, highlighted?.id ?? null)),
      };
    },
  }),
  route({
    method: "POST", path: "/leaderboards/update/{time_frame}", tag: "leaderboards", summary: "Recompute one leaderboard now (trusted clients)", auth: "trusted",
    params: ZTimeFrameParams, response: { status: 204 }, errors: [2],
    async handle(ctx, { params }) {
      await refreshBoard(params.time_frame, ctx.db);
      return new Raw(json(null, 204));
    },
  }),
  route({
    method: "POST", path: "/leaderboards/update", tag: "leaderboards", summary: "Recompute every leaderboard now (trusted clients)", auth: "trusted",
    response: { status: 204 }, errors: [2],
    async handle(ctx) {
      for (const timeFrame of TIME_FRAMES) await refreshBoard(timeFrame, ctx.db);
      return new Raw(json(null, 204));
    },
  }),
  route({
    method: "GET", path: "/trollboards/{time_frame}", tag: "leaderboards", summary: "The trollboard of a time frame (trusted clients)", auth: "trusted",
    params: ZTimeFrameParams, query: z.object({ max_count: z.coerce.number().int().min(1).max(10_000).default(100), enabled: ZQueryBool.default(true) }),
    response: { status: 200, schema: z.object({ time_frame: ZTimeFrame, last_updated: z.string().nullable(), trollboard: z.array(ZTrollScoreJson) }).meta({ id: "TrollboardStats" }) },
    errors: [2],
    async handle(ctx, { params, query }) {
      const board = await getTrollboard(ctx.db, { timeFrame: params.time_frame, enabled: query.enabled, page: 1, pageSize: query.max_count });
      const users = await findUsersByIds(ctx.db, board.entries.map((e) => e.userId));
      return {
        time_frame: board.timeFrame,
        last_updated: board.lastUpdated?.toISOString() ?? null,
        trollboard: board.entries.map((e) => toTrollScoreJson(e, users.get(e.userId), board.timeFrame, board.lastUpdated)),
      };
    },
  }),
  route({
    method: "GET", path: "/users/{user_id}/stats", tag: "users", summary: "A user's scores in every time frame", auth: "key",
    params: ZUserParams, response: { status: 200, schema: z.record(ZTimeFrame, ZUserScoreJson) }, errors: [4002],
    async handle(ctx, { params }) {
      return userScores(ctx.db, (await visibleUser(ctx, params.user_id)).id);
    },
  }),
  route({
    method: "GET", path: "/users/{user_id}/stats/{time_frame}", tag: "users", summary: "A user's scores in one time frame (zero when inactive)", auth: "key",
    params: ZUserParams.extend({ time_frame: ZTimeFrame }), response: { status: 200, schema: ZUserScoreJson }, errors: [4002],
    async handle(ctx, { params }) {
      return (await userScores(ctx.db, (await visibleUser(ctx, params.user_id)).id))[params.time_frame];
    },
  }),
  route({
    method: "GET", path: "/users/{user_id}/stats/{time_frame}/window", tag: "users", summary: "The leaderboard rows around a user (null when unranked)",
    description: "window_size rows centred on the user (the original returned one more).",
    auth: "key", params: ZUserParams.extend({ time_frame: ZTimeFrame }), query: z.object({ window_size: z.coerce.number().int().min(1).max(100).default(5) }),
    response: { status: 200, schema: ZLeaderboardJson.nullable() }, errors: [4002],
    async handle(ctx, { params, query }) {
      const user = await visibleUser(ctx, params.user_id);
      const board = await getLeaderboard(ctx.db, { timeFrame: params.time_frame, page: 1, pageSize: 0, viewerId: user.id, windowSize: query.window_size });
      if (!board.viewer) return null;
      const users = await findUsersByIds(ctx.db, board.viewer.window.map((e) => e.userId));
      return {
        time_frame: board.timeFrame,
        last_updated: board.lastUpdated?.toISOString() ?? null,
        leaderboard: board.viewer.window.map((e) => boardRow(e, users, board.timeFrame, board.lastUpdated, user.id)),
      };
    },
  }),
  route({
    method: "GET", path: "/stats/", tag: "stats", summary: "Message and tree totals (trusted clients)", auth: "trusted",
    response: { status: 200, schema: z.object({ all: z.number().int(), active: z.number().int(), active_by_lang: z.record(z.string(), z.number().int()), deleted: z.number().int(), message_trees: z.number().int() }).meta({ id: "SystemStats" }) },
    errors: [2],
    async handle(ctx) {
      const totals = await messageTotals(ctx.db);
      return { all: totals.all, active: totals.active, active_by_lang: totals.activeByLang, deleted: totals.deleted, message_trees: totals.messageTrees };
    },
  }),
  route({
    method: "GET", path: "/stats/tree_manager/state_counts", tag: "stats", summary: "Trees per state (trusted clients)", auth: "trusted",
    response: { status: 200, schema: z.record(z.string(), z.number().int()) }, errors: [2],
    handle: async (ctx) => treeStateCounts(ctx.db),
  }),
  route({
    method: "GET", path: "/stats/tree_manager/message_counts", tag: "stats", summary: "Size, depth and age of each (active) tree (trusted clients)", auth: "trusted",
    query: z.object({ only_active: ZQueryBool.default(true) }), response: { status: 200, schema: z.array(ZTreeMessageCountJson) }, errors: [2],
    handle: async (ctx, { query }) => (await treeMessageCounts(ctx.db, query.only_active)).map(toTreeCountJson),
  }),
  route({
    method: "GET", path: "/stats/tree_manager", tag: "stats", summary: "Trees per state and the active trees' sizes (trusted clients)", auth: "trusted",
    response: { status: 200, schema: z.object({ state_counts: z.record(z.string(), z.number().int()), message_counts: z.array(ZTreeMessageCountJson) }).meta({ id: "TreeManagerStats" }) },
    errors: [2],
    async handle(ctx) {
      const [stateCounts, messageCounts] = await Promise.all([treeStateCounts(ctx.db), treeMessageCounts(ctx.db, true)]);
      return { state_counts: stateCounts, message_counts: messageCounts.map(toTreeCountJson) };
    },
  }),
  route({
    method: "GET", path: "/stats/cached", tag: "stats", summary: "Every cached statistic by name (refreshed hourly)", auth: "key",
    response: { status: 200, schema: z.object({ stats_by_name: z.record(z.string(), ZCachedStatJson) }).meta({ id: "AllCachedStatsResponse" }) },
    async handle(ctx) {
      const stats = await listCachedStats(ctx.db);
      return { stats_by_name: Object.fromEntries(stats.map((s) => [s.name, { name: s.name, last_updated: s.lastUpdated.toISOString(), stats: s.stats }])) };
    },
  }),
  route({
    method: "GET", path: "/stats/cached/{name}", tag: "stats", summary: "One cached statistic (6000 before its first computation)", auth: "key",
    params: z.object({ name: z.enum(CACHED_STAT_NAMES) }), response: { status: 200, schema: ZCachedStatJson }, errors: [6000],
    async handle(ctx, { params }) {
      const [stat] = await listCachedStats(ctx.db, [params.name]);
      if (!stat) throw new AppError("CACHED_STATS_NOT_AVAILABLE", `Cached stats '${params.name}' not found.`);
      return { name: stat.name, last_updated: stat.lastUpdated.toISOString(), stats: stat.stats };
    },
  }),
  route({
    method: "POST", path: "/stats/cached/update", tag: "stats", summary: "Recompute the cached statistics now (trusted clients)", auth: "trusted",
    response: { status: 204 }, errors: [2],
    async handle(ctx) {
      await runJobNow("refresh-cached-stats", ctx.db);
      return new Raw(json(null, 204));
    },
  }),
];
