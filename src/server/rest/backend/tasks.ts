import { z } from "zod";
import { chargeTaskRequest } from "@/server/api/rate-limit";
import { ZLang } from "@/server/api/routers/tasks/schemas";
import type { ApiClientRow } from "@/server/domain/api-clients/keys";
import { submitFreeLabels } from "@/server/domain/messages/free-labels";
import { taskAvailability } from "@/server/domain/tasks/availability";
import { findClientTask, findClientTaskByFrontendMessageId } from "@/server/domain/tasks/client-tasks";
import { acknowledgeTask, skipTask } from "@/server/domain/tasks/lifecycle";
import { requestTask } from "@/server/domain/tasks/request-task";
import { submitLabels } from "@/server/domain/tasks/submit-labels";
import { submitRanking } from "@/server/domain/tasks/submit-ranking";
import { submitReply } from "@/server/domain/tasks/submit-reply";
import { TASK_REQUEST_TYPES } from "@/server/domain/tasks/types";
import type { UserRow } from "@/server/domain/users/dto";
import type { Database } from "@/server/db/client";
import { AppError } from "@/server/errors";
import { emitMessageCreated } from "@/server/inngest";
import { actingUser, headerUser, ZOaUser } from "../identity";
import { Raw, route, type RestRoute } from "../route";
import { json } from "../http";
import { toTaskJson, ZTaskJson } from "./task-json";

const TAG = "tasks";

/** `lang` null or "" means English, as in the original. */
const ZOptionalLang = z
  .union([ZLang, z.literal(""), z.null()])
  .optional()
  .transform((lang) => lang || "en")
  .meta({ description: "Language of the task (BCP-47); empty or null = en", example: "en" });

export const ZTaskRequest = z
  .object({
    type: z.enum(TASK_REQUEST_TYPES).default("random"),
    user: ZOaUser.nullable().optional().meta({ description: "The user the task is for; without one, the task is for your client's own system user." }),
    collective: z.boolean().default(false).meta({ description: "Accepted for compatibility; collective tasks are not offered." }),
    lang: ZOptionalLang,
  })
  .meta({ id: "TaskRequest" });

export const ZTaskDone = z.object({ id: z.uuid(), type: z.literal("task_done") }).meta({ id: "TaskDone" });

const ZFrontendId = z.string().trim().min(1, "A message id is required (error 2000).").max(200);

export const ZTextLabelsBody = z.object({
  user: ZOaUser,
  text: z.string().max(65_536).default(""),
  labels: z.record(z.string().max(64), z.number().min(0, "Label values are between 0 and 1.").max(1, "Label values are between 0 and 1.")),
  message_id: z.uuid(),
  task_id: z.uuid().nullable().optional(),
  is_report: z.boolean().nullable().optional(),
});

export const ZInteraction = z
  .discriminatedUnion("type", [
    z.object({
      type: z.literal("text_reply_to_message"),
      user: ZOaUser,
      message_id: ZFrontendId.meta({ description: "The message id you acknowledged the task with." }),
      user_message_id: ZFrontendId.optional().meta({ description: "Your id for the new message; defaults to message_id." }),
      text: z.string().max(100_000),
      lang: ZOptionalLang.meta({ description: "Ignored: a reply takes its tree's language and a prompt the task's (the original mixed languages in one tree)." }),
    }),
    z.object({
      type: z.literal("message_ranking"),
      user: ZOaUser,
      message_id: ZFrontendId,
      ranking: z.array(z.number().int().min(0)).min(1).max(50).meta({ description: "Indexes into reply_messages, best first." }),
      not_rankable: z.boolean().nullable().optional(),
    }),
    z.object({ ...ZTextLabelsBody.shape, type: z.literal("text_labels") }),
    z.object({ type: z.literal("message_rating"), user: ZOaUser, message_id: ZFrontendId, rating: z.number().int().positive() }),
  ])
  .meta({ id: "Interaction" });

const ZTaskIdParams = z.object({ task_id: z.uuid("Not a task id.") });

function systemUser(db: Database, client: ApiClientRow) {
  return actingUser(db, client, { id: "api-client", auth_method: "system", display_name: client.description });
}

/**
 * Ack and nack bodies name no user. With `x-oasst-user` the task must be that user's (fix §8.7: the original did
 * not check); without it, the client acts for the task's owner — always within the client's own tasks.
 */
async function taskOwner(db: Database, client: ApiClientRow, headers: Headers, taskId: string): Promise<string> {
  const user = await headerUser(db, client, headers);
  if (user) return user.id;
  return (await findClientTask(db, client.id, taskId)).userId;
}

function actor(user: UserRow, client: ApiClientRow) {
  return { userId: user.id, apiClientId: client.id };
}

/** Task requests are rate limited exactly like the tRPC `tasks.request` (same policies, same middleware). */
async function limitedRequestTask(db: Database, client: ApiClientRow, user: UserRow, type: (typeof TASK_REQUEST_TYPES)[number], lang: string, deps: Parameters<typeof requestTask>[3]) {
  const requester = actor(user, client);
  const replyBudget = await chargeTaskRequest(requester, type);
  return requestTask(db, requester, { type, lang }, deps, { replyBudget });
}

export async function storeTextLabels(db: Database, client: ApiClientRow, body: z.infer<typeof ZTextLabelsBody>, deps: Parameters<typeof requestTask>[3]) {
  const user = await actingUser(db, client, body.user);
  if (body.task_id) {
    await submitLabels(db, actor(user, client), { taskId: body.task_id, labels: body.labels, text: body.text, messageId: body.message_id }, deps);
  } else {
    await submitFreeLabels(db, { userId: user.id, isModerator: client.trusted }, { messageId: body.message_id, labels: body.labels, text: body.text, isReport: Boolean(body.is_report) }, deps);
  }
}

export const taskRoutes: RestRoute[] = [
  route({
    method: "POST",
    path: "/tasks/",
    tag: TAG,
    summary: "Request a task for a user",
    description: "Hands out the next task of the requested type (or any, for `random`) in the language. Rate limited per user and task type.",
    auth: "key",
    body: ZTaskRequest,
    response: { status: 200, schema: ZTaskJson },
    errors: [1006, 1012, 429, 4001],
    async handle(ctx, { body }) {
      const user = body.user ? await actingUser(ctx.db, ctx.apiClient, body.user) : await systemUser(ctx.db, ctx.apiClient);
      const task = await limitedRequestTask(ctx.db, ctx.apiClient, user, body.type, body.lang, ctx.treeDeps);
      return toTaskJson(ctx.db, task, ctx.apiClient);
    },
  }),
  route({
    method: "POST",
    path: "/tasks/availability",
    tag: TAG,
    summary: "How many tasks of each type the user could get",
    auth: "key",
    query: z.object({ lang: ZOptionalLang }),
    body: ZOaUser,
    response: { status: 200, schema: z.record(z.enum(TASK_REQUEST_TYPES), z.number().int()) },
    async handle(ctx, { query, body }) {
      const user = await actingUser(ctx.db, ctx.apiClient, body);
      return taskAvailability(ctx.db, user.id, query.lang, ctx.treeDeps);
    },
  }),
  route({
    method: "POST",
    path: "/tasks/{task_id}/ack",
    tag: TAG,
    summary: "Acknowledge a task, binding your message id to it",
    description: "Repeating the same acknowledgement is a no-op. Send `x-oasst-user` to have the owner checked.",
    auth: "key",
    params: ZTaskIdParams,
    body: z.object({ message_id: ZFrontendId }),
    response: { status: 204 },
    errors: [2000, 2100, 2101, 2103, 2105, 2106],
    async handle(ctx, { params, body }) {
      const userId = await taskOwner(ctx.db, ctx.apiClient, ctx.request.headers, params.task_id);
      await acknowledgeTask(ctx.db, { userId, apiClientId: ctx.apiClient.id }, params.task_id, body.message_id);
      return new Raw(json(null, 204));
    },
  }),
  route({
    method: "POST",
    path: "/tasks/{task_id}/nack",
    tag: TAG,
    summary: "Decline (skip) a task with a reason",
    auth: "key",
    params: ZTaskIdParams,
    body: z.object({ reason: z.string().trim().max(512).nullable().optional() }),
    response: { status: 204 },
    errors: [2100, 2105, 2106],
    async handle(ctx, { params, body }) {
      const userId = await taskOwner(ctx.db, ctx.apiClient, ctx.request.headers, params.task_id);
      await skipTask(ctx.db, { userId, apiClientId: ctx.apiClient.id }, params.task_id, body.reason ?? null, ctx.treeDeps);
      return new Raw(json(null, 204));
    },
  }),
  route({
    method: "POST",
    path: "/tasks/interaction",
    tag: TAG,
    summary: "Answer an acknowledged task",
    description:
      "`text_reply_to_message` and `message_ranking` find the task by the message id you acknowledged it with; `text_labels` by `task_id` (without one it labels or reports the message freely). `message_rating` belonged to a task type the original never handed out and is refused (2102).",
    auth: "key",
    body: ZInteraction,
    response: { status: 200, schema: ZTaskDone },
    errors: [1008, 1009, 1010, 1011, 2001, 2003, 2010, 2050, 2051, 2052, 2053, 2100, 2101, 2102, 2104, 2105, 2106],
    async handle(ctx, { body }) {
      const { db, apiClient: client, treeDeps } = ctx;
      switch (body.type) {
        case "text_reply_to_message": {
          const user = await actingUser(db, client, body.user);
          const { task } = await findClientTaskByFrontendMessageId(db, client.id, body.message_id);
          const { messageId } = await submitReply(db, actor(user, client), { taskId: task.id, text: body.text, frontendMessageId: body.user_message_id }, treeDeps);
          void emitMessageCreated(messageId);
          break;
        }
        case "message_ranking": {
          const user = await actingUser(db, client, body.user);
          const { task } = await findClientTaskByFrontendMessageId(db, client.id, body.message_id);
          const replies = "replies" in task.payload && "rankingParentId" in task.payload ? task.payload.replies : null;
          if (!replies) throw new AppError("TASK_PAYLOAD_TYPE_MISMATCH", "This task does not take a ranking.");
          const ids = body.ranking.map((index) => replies[index]?.id);
          if (ids.some((id) => id === undefined)) throw new AppError("INVALID_RANKING_VALUE", `Rankings are indexes 0…${replies.length - 1} of reply_messages.`);
          await submitRanking(db, actor(user, client), { taskId: task.id, rankedMessageIds: ids as string[], notRankable: body.not_rankable ?? undefined }, treeDeps);
          break;
        }
        case "text_labels":
          await storeTextLabels(db, client, body, treeDeps);
          break;
        case "message_rating": {
          await actingUser(db, client, body.user);
          await findClientTaskByFrontendMessageId(db, client.id, body.message_id);
          throw new AppError("TASK_PAYLOAD_TYPE_MISMATCH", "This task does not take a rating.");
        }
      }
      return { id: crypto.randomUUID(), type: "task_done" as const };
    },
  }),
];
