import { z } from "zod";
import { FREE_LABELING_LABELS, REPORT_LABELS, MANDATORY_LABELS } from "@/server/domain/labels/definitions";
import { getLabelOptions } from "@/server/domain/messages/free-labels";
import { deleteUserAsModerator, getModeratedUser, updateUserAsModerator } from "@/server/domain/moderation/users";
import { findClientUser } from "@/server/domain/users/client-users";
import type { UserRow } from "@/server/domain/users/dto";
import { acceptTermsOfService, findUserById, updateProfile } from "@/server/domain/users/queries";
import { AppError } from "@/server/errors";
import { json } from "../http";
import { actingUser } from "../identity";
import { ZQueryBool } from "../query-params";
import { Raw, route, type RestContext, type RestRoute } from "../route";
import { clientViewer } from "./message-json";
import { ZLabelDescription, labelDescription } from "./task-json";
import { storeTextLabels, ZTextLabelsBody } from "./tasks";
import { toUserJson, ZFrontEndUserJson } from "./user-json";

/** Users of other clients are "not found" unless the client is trusted (spec §5 users: client-scoped unless T). */
export async function visibleUser(ctx: RestContext<"key">, userId: string): Promise<UserRow> {
  const user = await findUserById(ctx.db, userId);
  if (!user || (!ctx.apiClient.trusted && user.apiClientId !== ctx.apiClient.id)) throw new AppError("USER_NOT_FOUND", "This user does not exist.");
  return user;
}

const moderator = async (ctx: RestContext<"trusted">) => ({ userId: (await clientViewer(ctx.db, ctx.apiClient, ctx.request.headers)).userId, isAdmin: false });
const ZUserParams = z.object({ user_id: z.uuid("Not a user id.") });
const ZIdentityParams = z.object({ auth_method: z.string().min(1).max(32), username: z.string().min(1).max(128) });
const ZValidLabels = z.object({ valid_labels: z.array(ZLabelDescription), mandatory_labels: z.array(z.string()) }).meta({ id: "ValidLabelsResponse" });

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
      // Recording a user's own consent is not a moderator change: any key may do it for its users.
      if (body.tos_acceptance && !user.tosAcceptanceDate) await acceptTermsOfService(ctx.db, user.id);
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
    method: "GET", path: "/users/{user_id}", tag: "users", summary: "A user (your client's users; any user for trusted clients)",
    auth: "key", params: ZUserParams, response: { status: 200, schema: ZFrontEndUserJson }, errors: [4002],
    async handle(ctx, { params }) {
      return toUserJson(await visibleUser(ctx, params.user_id));
    },
  }),
  route({
    method: "PUT", path: "/users/{user_id}", tag: "users", summary: "Change a user (trusted clients)", auth: "trusted", params: ZUserParams,
    query: z.object({
      display_name: z.string().trim().min(1).max(256).optional(), enabled: ZQueryBool.optional(), notes: z.string().max(1024).optional(),
      show_on_leaderboard: ZQueryBool.optional(), tos_acceptance: ZQueryBool.optional(),
    }),
    response: { status: 204 }, errors: [2, 4002],
    async handle(ctx, { params, query }) {
      await getModeratedUser(ctx.db, params.user_id);
      await updateUserAsModerator(ctx.db, await moderator(ctx), params.user_id, { enabled: query.enabled, notes: query.notes, showOnLeaderboard: query.show_on_leaderboard }, ctx.treeDeps);
      if (query.display_name) await updateProfile(ctx.db, params.user_id, { displayName: query.display_name });
      if (query.tos_acceptance) await acceptTermsOfService(ctx.db, params.user_id);
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
];
