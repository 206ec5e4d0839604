import { z } from "zod";
import { FREE_LABELING_LABELS, REPORT_LABELS, MANDATORY_LABELS } from "@/server/domain/labels/definitions";
import { getLabelOptions } from "@/server/domain/messages/free-labels";
import { listMessages } from "@/server/domain/messages/pages";
import { getLeaderboard } from "@/server/domain/leaderboard/read-leaderboard";
import { getTrollboard } from "@/server/domain/leaderboard/trollboard";
import { ZTimeFrame } from "@/server/domain/leaderboard/dto";
import { deleteUserAsModerator, getModeratedUser, updateUserAsModerator } from "@/server/domain/moderation/users";
import { getCachedStats } from "@/server/domain/stats/cached-stats";
import { findClientUser } from "@/server/domain/users/client-users";
import type { UserRow } from "@/server/domain/users/dto";
import { findUserById, updateProfile } from "@/server/domain/users/queries";
import { AppError } from "@/server/errors";
import { json } from "../http";
import { actingUser } from "../identity";
import { Raw, route, type RestContext, type RestRoute } from "../route";
import { clientViewer, toMessagesJson, ZMessageJson } from "./message-json";
import { ZLabelDescription, labelDescription } from "./task-json";
import { storeTextLabels, ZTextLabelsBody } from "./tasks";

/** The original's FrontEndUser JSON. */
export const ZFrontEndUserJson = z
  .object({
    user_id: z.uuid(),
    id: z.string().nullable().meta({ description: "Your id of the user (the `id` you sent in `user`)." }),
    display_name: z.string(),
    auth_method: z.string(),
    enabled: z.boolean(),
    deleted: z.boolean(),
    notes: z.string(),
    show_on_leaderboard: z.boolean(),
    created_date: z.string(),
    tos_acceptance_date: z.string().nullable(),
  })
  .meta({ id: "FrontEndUser" });

function toUserJson(user: UserRow): z.infer<typeof ZFrontEndUserJson> {
  return {
    user_id: user.id,
    id: user.username,
    display_name: user.deleted ? "Deleted User" : (user.name ?? ""),
    auth_method: user.authMethod,
    enabled: user.enabled,
    deleted: user.deleted,
    notes: user.notes,
    show_on_leaderboard: user.showOnLeaderboard,
    created_date: user.createdAt.toISOString(),
    tos_acceptance_date: user.tosAcceptanceDate?.toISOString() ?? null,
  };
}

/** Users of other clients are "not found" unless the client is trusted (spec §5 users: client-scoped unless T). */
async function visibleUser(ctx: RestContext<"key">, userId: string): Promise<UserRow> {
  const user = await findUserById(ctx.db, userId);
  if (!user || (!ctx.apiClient.trusted && user.apiClientId !== ctx.apiClient.id)) throw new AppError("USER_NOT_FOUND", "This user does not exist.");
  return user;
}

const moderator = async (ctx: RestContext<"trusted">) => ({ userId: (await clientViewer(ctx.db, ctx.apiClient, ctx.request.headers)).userId, isAdmin: false });
const ZUserParams = z.object({ user_id: z.uuid("Not a user id.") });
const ZIdentityParams = z.object({ auth_method: z.string().min(1).max(32), username: z.string().min(1).max(128) });
const ZPage = z.object({ max_count: z.coerce.number().int().min(1).max(100).default(10), cursor: z.string().max(200).optional() });
const ZBool = z.enum(["true", "false"]).transform((v) => v === "true");
const ZValidLabels = z.object({ valid_labels: z.array(ZLabelDescription), mandatory_labels: z.array(z.string()) }).meta({ id: "ValidLabelsResponse" });
/** Our DTOs in the original's snake_case, for boards and statistics. */
const snake = (value: unknown): unknown =>
  Array.isArray(value)
    ? value.map(snake)
    : value instanceof Date
      ? value.toISOString()
      : value && typeof value === "object"
        ? Object.fromEntries(Object.entries(value).map(([k, v]) => [k.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`), snake(v)]))
        : value;

async function userMessages(ctx: RestContext<"key">, user: UserRow, page: z.infer<typeof ZPage>) {
  const viewer = await clientViewer(ctx.db, ctx.apiClient, ctx.request.headers);
  const result = await listMessages(ctx.db, viewer, { userId: user.id }, { cursor: page.cursor, limit: page.max_count });
  return toMessagesJson(ctx.db, result.items, ctx.apiClient);
}

export const userRoutes: RestRoute[] = [
  route({
    method: "POST", path: "/frontend_users/", tag: "frontend_users", summary: "Create a user of your client (or get the existing one)",
    description: "Changing `enabled`, `notes` or `show_on_leaderboard` of a user needs a trusted client (403 otherwise).",
    auth: "key",
    body: z.object({
      id: z.string().trim().min(1).max(128), display_name: z.string().trim().min(1).max(256), auth_method: z.string().trim().min(1).max(32),
      show_on_leaderboard: z.boolean().optional(), enabled: z.boolean().optional(), notes: z.string().max(1024).optional(), tos_acceptance: z.boolean().optional(),
    }),
    response: { status: 200, schema: ZFrontEndUserJson }, errors: [2, 4001],
    async handle(ctx, { body }) {
      const user = await actingUser(ctx.db, ctx.apiClient, { id: body.id, display_name: body.display_name, auth_method: body.auth_method });
      const changes = { enabled: body.enabled, notes: body.notes, showOnLeaderboard: body.show_on_leaderboard };
      const changing = (body.enabled !== undefined && body.enabled !== user.enabled) || (body.notes !== undefined && body.notes !== user.notes)
        || (body.show_on_leaderboard !== undefined && body.show_on_leaderboard !== user.showOnLeaderboard);
      if (changing) {
        if (!ctx.apiClient.trusted) throw new AppError("FORBIDDEN", "Only trusted API clients may change a user's flags.");
        const actor = { userId: (await clientViewer(ctx.db, ctx.apiClient, new Headers())).userId, isAdmin: false };
        await updateUserAsModerator(ctx.db, actor, user.id, changes, ctx.treeDeps);
      }
      return toUserJson((await findUserById(ctx.db, user.id))!);
    },
  }),
  route({
    method: "GET", path: "/frontend_users/{auth_method}/{username}", tag: "frontend_users", summary: "A user of your client by auth method and id",
    auth: "key", params: ZIdentityParams, response: { status: 200, schema: ZFrontEndUserJson }, errors: [4002],
    async handle(ctx, { params }) {
      return toUserJson(await findClientUser(ctx.db, ctx.apiClient.id, params.auth_method, params.username));
    },
  }),
  route({
    method: "GET", path: "/frontend_users/{auth_method}/{username}/messages", tag: "frontend_users", summary: "A user's messages, newest first",
    auth: "key", params: ZIdentityParams, query: ZPage, response: { status: 200, schema: z.array(ZMessageJson) }, errors: [4002],
    async handle(ctx, { params, query }) {
      return userMessages(ctx, await findClientUser(ctx.db, ctx.apiClient.id, params.auth_method, params.username), query);
    },
  }),
  route({
    method: "GET", path: "/users/{user_id}", tag: "users", summary: "A user (your client's users; any user for trusted clients)",
    auth: "key", params: ZUserParams, response: { status: 200, schema: ZFrontEndUserJson }, errors: [4002],
    async handle(ctx, { params }) {
      return toUserJson(await visibleUser(ctx, params.user_id));
    },
  }),
  route({
    method: "PUT", path: "/users/{user_id}", tag: "users", summary: "Change a user (trusted clients)", auth: "trusted", params: ZUserParams,
    query: z.object({ display_name: z.string().trim().min(1).max(256).optional(), enabled: ZBool.optional(), notes: z.string().max(1024).optional(), show_on_leaderboard: ZBool.optional() }),
    response: { status: 204 }, errors: [2, 4002],
    async handle(ctx, { params, query }) {
      await getModeratedUser(ctx.db, params.user_id);
      await updateUserAsModerator(ctx.db, await moderator(ctx), params.user_id, { enabled: query.enabled, notes: query.notes, showOnLeaderboard: query.show_on_leaderboard }, ctx.treeDeps);
      if (query.display_name) await updateProfile(ctx.db, params.user_id, { displayName: query.display_name });
      return new Raw(json(null, 204));
    },
  }),
  route({
    method: "DELETE", path: "/users/{user_id}", tag: "users", summary: "Delete (anonymise) a user (trusted clients)", auth: "trusted", params: ZUserParams,
    response: { status: 204 }, errors: [2, 4002],
    async handle(ctx, { params }) {
      await deleteUserAsModerator(ctx.db, await moderator(ctx), params.user_id, ctx.treeDeps);
      return new Raw(json(null, 204));
    },
  }),
  route({
    method: "GET", path: "/users/{user_id}/messages", tag: "users", summary: "A user's messages, newest first", auth: "key", params: ZUserParams, query: ZPage,
    response: { status: 200, schema: z.array(ZMessageJson) }, errors: [4002],
    async handle(ctx, { params, query }) {
      return userMessages(ctx, await visibleUser(ctx, params.user_id), query);
    },
  }),
  route({
    method: "POST", path: "/text_labels/", tag: "text_labels", summary: "Label or report a message (with task_id: answer a label task)", auth: "key",
    body: ZTextLabelsBody, response: { status: 204 }, errors: [2001, 2050, 2051, 2052, 2053, 2100, 2104],
    async handle(ctx, { body }) {
      await storeTextLabels(ctx.db, ctx.apiClient, body, ctx.treeDeps);
      return new Raw(json(null, 204));
    },
  }),
  route({
    method: "GET", path: "/text_labels/valid_labels", tag: "text_labels", summary: "Labels for free labelling (of one message, with message_id)", auth: "key",
    query: z.object({ message_id: z.uuid().optional() }), response: { status: 200, schema: ZValidLabels }, errors: [2001],
    async handle(ctx, { query }) {
      if (!query.message_id) return { valid_labels: FREE_LABELING_LABELS.map(labelDescription), mandatory_labels: [...MANDATORY_LABELS] };
      const viewer = await clientViewer(ctx.db, ctx.apiClient, ctx.request.headers);
      const options = await getLabelOptions(ctx.db, viewer, query.message_id);
      return { valid_labels: options.labels.map((l) => labelDescription(l.name)), mandatory_labels: [...MANDATORY_LABELS] };
    },
  }),
  route({
    method: "GET", path: "/text_labels/report_labels", tag: "text_labels", summary: "Labels of a report", auth: "none",
    response: { status: 200, schema: ZValidLabels },
    async handle() {
      return { valid_labels: REPORT_LABELS.map(labelDescription), mandatory_labels: [] };
    },
  }),
  route({
    method: "GET", path: "/leaderboards/{time_frame}", tag: "leaderboards", summary: "The leaderboard of a time frame (refreshed on a schedule)", auth: "key",
    params: z.object({ time_frame: ZTimeFrame }), query: z.object({ max_count: z.coerce.number().int().min(1).max(10_000).default(100) }),
    response: { status: 200, schema: z.object({ time_frame: ZTimeFrame, last_updated: z.string().nullable(), leaderboard: z.array(z.record(z.string(), z.unknown())) }).meta({ id: "LeaderboardStats" }) },
    async handle(ctx, { params, query }) {
      const board = await getLeaderboard(ctx.db, { timeFrame: params.time_frame, page: 1, pageSize: query.max_count, viewerId: null, windowSize: 0 });
      return { time_frame: board.timeFrame, last_updated: board.lastUpdated?.toISOString() ?? null, leaderboard: snake(board.entries) };
    },
  }),
  route({
    method: "GET", path: "/trollboards/{time_frame}", tag: "leaderboards", summary: "The trollboard of a time frame (trusted clients)", auth: "trusted",
    params: z.object({ time_frame: ZTimeFrame }), query: z.object({ max_count: z.coerce.number().int().min(1).max(10_000).default(100), enabled: ZBool.default(true) }),
    response: { status: 200, schema: z.object({ time_frame: ZTimeFrame, last_updated: z.string().nullable(), trollboard: z.array(z.record(z.string(), z.unknown())) }).meta({ id: "TrollboardStats" }) },
    async handle(ctx, { params, query }) {
      const board = await getTrollboard(ctx.db, { timeFrame: params.time_frame, enabled: query.enabled, page: 1, pageSize: query.max_count });
      return { time_frame: board.timeFrame, last_updated: board.lastUpdated?.toISOString() ?? null, trollboard: snake(board.entries) };
    },
  }),
  route({
    method: "GET", path: "/stats/cached", tag: "stats", summary: "Cached statistics (refreshed on a schedule)", auth: "key",
    response: { status: 200, schema: z.object({ last_updated: z.string().nullable(), stats: z.record(z.string(), z.unknown()) }) },
    async handle(ctx) {
      const cached = await getCachedStats(ctx.db);
      return { last_updated: cached.lastUpdated?.toISOString() ?? null, stats: cached.stats };
    },
  }),
];
