import { z } from "zod";
import { rateLimited } from "@/server/api/rate-limit";
import { chatMessageState, chatReportType } from "@/server/db/schema";
import type { Database } from "@/server/db/client";
import { listModels } from "@/server/domain/chat/catalog";
import { createChat, deleteChat, getChat, hideAllChats, listChats, setActiveTail, updateChat } from "@/server/domain/chat/chats";
import { getChatConfig } from "@/server/domain/chat/config";
import type { ChatMessageDto, ChatSummary } from "@/server/domain/chat/dto";
import { chooseDraft, reportMessage, voteMessage } from "@/server/domain/chat/messages";
import { MODEL_CONFIGS } from "@/server/domain/chat/model-configs";
import { SAMPLING_PRESETS } from "@/server/domain/chat/presets";
import { findOwnedMessageOrThrow, loadChatMessageDto, messageNotFound } from "@/server/domain/chat/queries";
import { postPrompt, requestReply, stopReply, type ReplyOptions } from "@/server/domain/chat/replies";
import { streamReply } from "@/server/domain/chat/stream";
import type { UserRow } from "@/server/domain/users/dto";
import { AppError } from "@/server/errors";
import { json, sseResponse } from "../http";
import { chatUser } from "../identity";
import { Raw, route, type RestRoute } from "../route";

/**
 * The original inference server's chat API (spec inference §2.2, §2.3) at the app's origin, over the same chat
 * domain functions as the tRPC `chat.*` procedures. Callers authenticate with an API key; the chats belong to the
 * user named by `x-oasst-user` or, without it, to the client's own user.
 */

const TAG = "chats";

const ZSamplingJson = z
  .object({
    top_k: z.number().int().nullable().optional(),
    top_p: z.number().nullable().optional(),
    typical_p: z.number().nullable().optional(),
    temperature: z.number().nullable().optional(),
    repetition_penalty: z.number().nullable().optional(),
    max_new_tokens: z.number().int().optional(),
  })
  .meta({ id: "SamplingParameters" });

export const ZChatListRead = z
  .object({
    id: z.uuid(),
    created_at: z.string(),
    modified_at: z.string(),
    title: z.string().nullable(),
    hidden: z.boolean(),
    allow_data_use: z.boolean(),
    active_thread_tail_message_id: z.uuid().nullable(),
  })
  .meta({ id: "ChatListRead" });

export const ZMessageRead = z
  .object({
    id: z.uuid(),
    parent_id: z.uuid().nullable(),
    content: z.string().nullable(),
    chat_id: z.uuid(),
    created_at: z.string(),
    role: z.enum(["prompter", "assistant"]),
    state: z.enum(chatMessageState.enumValues),
    score: z.number().int(),
    reports: z.array(z.object({ id: z.uuid(), report_type: z.enum(chatReportType.enumValues), reason: z.string() })),
    work_parameters: z
      .object({
        model_config_name: z.string(),
        sampling_parameters: ZSamplingJson,
        do_sample: z.boolean(),
        seed: z.number(),
        system_prompt: z.string().nullable(),
        user_profile: z.string().nullable(),
        user_response_instructions: z.string().nullable(),
      })
      .nullable(),
    error: z.string().nullable().meta({ description: "Why the reply failed, when it did." }),
    safe_content: z.string().nullable(),
    safety_level: z.number().nullable(),
    safety_label: z.string().nullable(),
    safety_rots: z.string().nullable(),
    used_plugin: z.null(),
  })
  .meta({ id: "MessageRead" });

export const ZChatRead = ZChatListRead.extend({ messages: z.array(ZMessageRead) }).meta({ id: "ChatRead" });

export function toChatListRead(chat: ChatSummary): z.infer<typeof ZChatListRead> {
  return {
    id: chat.id,
    created_at: chat.createdAt.toISOString(),
    modified_at: chat.modifiedAt.toISOString(),
    title: chat.title,
    hidden: chat.hidden,
    allow_data_use: chat.allowDataUse,
    active_thread_tail_message_id: chat.activeThreadTailMessageId,
  };
}

export function toMessageRead(message: ChatMessageDto): z.infer<typeof ZMessageRead> {
  const work = message.workParameters;
  return {
    id: message.id,
    parent_id: message.parentId,
    content: message.content,
    chat_id: message.chatId,
    created_at: message.createdAt.toISOString(),
    role: message.role,
    state: message.state,
    score: message.score,
    reports: message.reports.map((report) => ({ id: report.id, report_type: report.reportType, reason: report.reason })),
    work_parameters: work
      ? {
          model_config_name: work.modelConfigName,
          sampling_parameters: {
            top_k: work.sampling.topK,
            top_p: work.sampling.topP,
            typical_p: work.sampling.typicalP,
            temperature: work.sampling.temperature,
            repetition_penalty: work.sampling.repetitionPenalty,
            max_new_tokens: work.sampling.maxNewTokens,
          },
          do_sample: work.doSample,
          seed: work.seed,
          system_prompt: work.systemPrompt,
          user_profile: work.userProfile,
          user_response_instructions: work.userResponseInstructions,
        }
      : null,
    error: message.error,
    safe_content: null,
    safety_level: null,
    safety_label: null,
    safety_rots: null,
    used_plugin: null,
  };
}

const ZReplyFields = {
  model_config_name: z.string().min(1).max(256).meta({ example: "distilgpt2" }),
  sampling_parameters: ZSamplingJson.optional(),
  do_sample: z.boolean().optional(),
  seed: z.number().int().min(0).max(2 ** 31 - 1).optional(),
  system_prompt: z.string().max(4000).nullable().optional(),
  user_profile: z.string().max(256).nullable().optional(),
  user_response_instructions: z.string().max(256).nullable().optional(),
  plugins: z.array(z.unknown()).max(0, "Plugins are not supported.").optional().meta({ description: "Plugins are not supported; send none." }),
  used_plugin: z.null().optional(),
};

const ZContent = z.string().max(100_000).transform((value) => value.trim()).refine((value) => value.length > 0, "The message cannot be empty.");

function replyOptions(body: { [K in keyof typeof ZReplyFields]?: z.output<(typeof ZReplyFields)[K]> } & { model_config_name: string }): ReplyOptions {
  const s = body.sampling_parameters;
  const sampling = s
    ? Object.fromEntries(
        Object.entries({ topK: s.top_k, topP: s.top_p, typicalP: s.typical_p, temperature: s.temperature, repetitionPenalty: s.repetition_penalty, maxNewTokens: s.max_new_tokens })
          .filter(([, value]) => value !== undefined),
      )
    : undefined;
  return {
    modelConfigName: body.model_config_name,
    sampling,
    doSample: body.do_sample,
    seed: body.seed,
    systemPrompt: body.system_prompt,
    userProfile: body.user_profile,
    userResponseInstructions: body.user_response_instructions,
  };
}

/** Chat replies are rate limited exactly like the tRPC `chat.requestReply` (policy `chatReply`, per user). */
function limitedReply<T>(user: UserRow, work: () => Promise<T>): Promise<T> {
  return rateLimited<{ user: { id: string } }>("chatReply")({ ctx: { user }, input: undefined, next: work });
}

/** A message of the chat in the path (the original ignored the path's chat id, spec §2.2). */
async function messageInChat(db: Database, userId: string, chatId: string, messageId: string): Promise<ChatMessageDto> {
  const { message } = await findOwnedMessageOrThrow(db, userId, messageId);
  if (message.chatId !== chatId) throw messageNotFound(messageId);
  return loadChatMessageDto(db, messageId);
}

const ZChatParams = z.object({ chat_id: z.uuid("Not a chat id.") });
const ZMessageParams = ZChatParams.extend({ message_id: z.uuid("Not a message id.") });
const ZPromptBody = z.object({ parent_id: z.uuid().nullable(), content: ZContent });
const TERMINAL = new Set(["complete", "aborted_by_worker", "cancelled", "timeout"]);

type StreamEventJson =
  | { event_type: "pending"; queue_position: number; queue_size: number }
  | { event_type: "token"; text: string }
  | { event_type: "reset" }
  | { event_type: "message"; message: z.infer<typeof ZMessageRead> }
  | { event_type: "error"; error: string; reason: string; message: z.infer<typeof ZMessageRead> | null };

/**
 * The original inference API queues a reply and lets its events stream tell the client what happened; its clients
 * (the product's example among them) read the reply's id before they stream. So here a reply for a model no worker
 * serves is queued, and `replyEvents` answers at once with a `no_worker` error event and withdraws it — where the
 * web chat refuses the request itself (CHAT_MODEL_UNAVAILABLE).
 */
function queueingChatConfig() {
  return { ...getChatConfig(), requireLiveWorker: false };
}

/**
 * The reply's events in the original's format. One change: when no worker serves the model, the stream says so at
 * once with an `error` event (reason `no_worker`) and withdraws the reply, instead of waiting for a timeout.
 */
async function* replyEvents(db: Database, userId: string, message: ChatMessageDto, signal: AbortSignal): AsyncGenerator<StreamEventJson> {
  for await (const { event } of streamReply(db, userId, message.id, { config: getChatConfig(), signal })) {
    switch (event.type) {
      case "queued":
        if (event.workersOnline === 0) {
          const model = message.workParameters?.modelConfigName ?? "this model";
          const stopped = await stopReply(db, userId, message.id);
          yield { event_type: "error", reason: "no_worker", error: `No worker is serving ${model} right now. Please try again later or choose another model.`, message: toMessageRead(stopped) };
          return;
        }
        yield { event_type: "pending", queue_position: Math.max(event.position - 1, 0), queue_size: event.queueSize };
        break;
      case "started":
        break;
      case "token":
        yield { event_type: "token", text: event.text };
        break;
      case "reset":
        yield { event_type: "reset" };
        break;
      case "message":
        yield { event_type: "message", message: toMessageRead(event.message) };
        return;
      case "error":
        yield { event_type: "error", reason: event.reason, error: event.error, message: toMessageRead(event.message) };
        return;
    }
  }
}

const eventsRoute = (method: "GET" | "POST") =>
  route({
    method,
    path: "/chats/{chat_id}/messages/{message_id}/events",
    tag: TAG,
    summary: method === "GET" ? "Stream an assistant reply (server-sent events)" : "Stream an assistant reply (POST form of the product's example)",
    description:
      "`data: {json}` lines with `event_type` pending, token, message (final; the stream ends) or error (the stream ends). 204 when the reply has already finished: GET the message instead.",
    auth: "key",
    params: ZMessageParams,
    response: { status: 200, stream: true },
    async handle(ctx, { params }) {
      const user = await chatUser(ctx.db, ctx.apiClient, ctx.request.headers);
      const message = await messageInChat(ctx.db, user.id, params.chat_id, params.message_id);
      if (message.role !== "assistant") throw new AppError("CHAT_NOT_ASSISTANT_MESSAGE", "Only assistant messages have an event stream.");
      if (TERMINAL.has(message.state)) return new Raw(json(null, 204));
      return new Raw(sseResponse(replyEvents(ctx.db, user.id, message, ctx.signal), ctx.signal));
    },
  });

export const chatRoutes: RestRoute[] = [
  route({
    method: "GET",
    path: "/chats",
    tag: TAG,
    summary: "List chats, most recently active first",
    auth: "key",
    query: z.object({
      include_hidden: z.enum(["true", "false"]).default("false").transform((v) => v === "true"),
      limit: z.coerce.number().int().min(1).max(100).default(10),
      after: z.string().max(200).optional().meta({ description: "`next` of the previous page." }),
      before: z.string().max(200).optional().meta({ description: "`prev` of the next page: page back to newer chats. Not together with `after` (400)." }),
    }),
    response: { status: 200, schema: z.object({ chats: z.array(ZChatListRead), next: z.string().nullable(), prev: z.string().nullable() }) },
    async handle(ctx, { query }) {
      const user = await chatUser(ctx.db, ctx.apiClient, ctx.request.headers);
      const page = await listChats(ctx.db, user.id, { limit: query.limit, cursor: query.after, before: query.before, includeHidden: query.include_hidden });
      return { chats: page.chats.map(toChatListRead), next: page.nextCursor, prev: page.prevCursor };
    },
  }),
  route({
    method: "POST",
    path: "/chats",
    tag: TAG,
    summary: "Create a chat",
    auth: "key",
    body: z.object({}).loose(),
    response: { status: 200, schema: ZChatListRead },
    async handle(ctx) {
      const user = await chatUser(ctx.db, ctx.apiClient, ctx.request.headers);
      return toChatListRead(await createChat(ctx.db, user.id));
    },
  }),
  route({
    method: "PUT",
    path: "/chats/hide_all",
    tag: TAG,
    summary: "Hide all chats (reachable here, unlike in the original)",
    auth: "key",
    response: { status: 200, schema: z.object({ hidden: z.number().int() }) },
    async handle(ctx) {
      const user = await chatUser(ctx.db, ctx.apiClient, ctx.request.headers);
      return { hidden: await hideAllChats(ctx.db, user.id) };
    },
  }),
  route({
    method: "GET",
    path: "/chats/{chat_id}",
    tag: TAG,
    summary: "A chat with all its messages",
    auth: "key",
    params: ZChatParams,
    response: { status: 200, schema: ZChatRead },
    async handle(ctx, { params }) {
      const user = await chatUser(ctx.db, ctx.apiClient, ctx.request.headers);
      const detail = await getChat(ctx.db, user.id, params.chat_id);
      return { ...toChatListRead(detail.chat), messages: detail.messages.map(toMessageRead) };
    },
  }),
  route({
    method: "PUT",
    path: "/chats/{chat_id}",
    tag: TAG,
    summary: "Change a chat's title, visibility, data use or shown branch",
    description: "Opting out of data use cannot be undone (allow_data_use: true is refused once false).",
    auth: "key",
    params: ZChatParams,
    body: z.object({
      title: z.string().trim().max(100).nullable().optional(),
      hidden: z.boolean().nullable().optional(),
      allow_data_use: z.boolean().nullable().optional(),
      active_thread_tail_message_id: z.uuid().nullable().optional(),
    }),
    response: { status: 200, schema: z.null() },
    async handle(ctx, { params, body }) {
      const user = await chatUser(ctx.db, ctx.apiClient, ctx.request.headers);
      if (body.allow_data_use === true) {
        const { chat } = await getChat(ctx.db, user.id, params.chat_id);
        if (!chat.allowDataUse) throw new AppError("INVALID_INPUT", "A chat that was opted out of data use stays opted out.");
      }
      await updateChat(ctx.db, user.id, params.chat_id, {
        ...(body.title != null && { title: body.title }),
        ...(body.hidden != null && { hidden: body.hidden }),
        ...(body.allow_data_use === false && { optOutOfDataUse: true as const }),
      });
      if (body.active_thread_tail_message_id) await setActiveTail(ctx.db, user.id, params.chat_id, body.active_thread_tail_message_id);
      return null;
    },
  }),
  route({
    method: "DELETE",
    path: "/chats/{chat_id}",
    tag: TAG,
    summary: "Delete a chat and its messages",
    auth: "key",
    params: ZChatParams,
    response: { status: 200, schema: z.null() },
    async handle(ctx, { params }) {
      const user = await chatUser(ctx.db, ctx.apiClient, ctx.request.headers);
      await deleteChat(ctx.db, user.id, params.chat_id);
      return null;
    },
  }),
  route({
    method: "POST",
    path: "/chats/{chat_id}/prompter_message",
    tag: TAG,
    summary: "Add a prompter message",
    description: "`parent_id` null for the first message, else a complete assistant message of this chat (a second message under the same parent is an edit: a branch).",
    auth: "key",
    params: ZChatParams,
    body: ZPromptBody,
    response: { status: 200, schema: ZMessageRead },
    async handle(ctx, { params, body }) {
      const user = await chatUser(ctx.db, ctx.apiClient, ctx.request.headers);
      const { prompt } = await postPrompt(ctx.db, getChatConfig(), user.id, { chatId: params.chat_id, parentId: body.parent_id, content: body.content });
      return toMessageRead(prompt);
    },
  }),
  route({
    method: "POST",
    path: "/chats/{chat_id}/assistant_message",
    tag: TAG,
    summary: "Ask a model for a reply to a prompter message",
    description: "Queues a pending reply; follow it with the events stream. Rate limited per user (20 per 10 minutes).",
    auth: "key",
    params: ZChatParams,
    body: z.object({ parent_id: z.uuid(), ...ZReplyFields }),
    response: { status: 200, schema: ZMessageRead },
    async handle(ctx, { params, body }) {
      const user = await chatUser(ctx.db, ctx.apiClient, ctx.request.headers);
      const { message: parent } = await findOwnedMessageOrThrow(ctx.db, user.id, body.parent_id);
      if (parent.chatId !== params.chat_id) throw messageNotFound(body.parent_id);
      const reply = await limitedReply(user, () => requestReply(ctx.db, queueingChatConfig(), user.id, body.parent_id, replyOptions(body)));
      return toMessageRead(reply);
    },
  }),
  route({
    method: "POST",
    path: "/chats/{chat_id}/messages",
    tag: TAG,
    summary: "Add a prompter message and, with model_config_name, ask for the reply (the product's example)",
    description: "With `model_config_name` the answer is the pending assistant reply (its `parent_id` is the new prompter message), ready for the events stream; without it, the prompter message.",
    auth: "key",
    params: ZChatParams,
    body: ZPromptBody.extend({ ...ZReplyFields, model_config_name: ZReplyFields.model_config_name.optional() }),
    response: { status: 200, schema: ZMessageRead },
    async handle(ctx, { params, body }) {
      const user = await chatUser(ctx.db, ctx.apiClient, ctx.request.headers);
      const input = { chatId: params.chat_id, parentId: body.parent_id, content: body.content };
      const modelConfigName = body.model_config_name;
      if (!modelConfigName) return toMessageRead((await postPrompt(ctx.db, getChatConfig(), user.id, input)).prompt);
      const { reply } = await limitedReply(user, () => postPrompt(ctx.db, queueingChatConfig(), user.id, { ...input, reply: replyOptions({ ...body, model_config_name: modelConfigName }) }));
      return toMessageRead(reply!);
    },
  }),
  route({
    method: "GET",
    path: "/chats/{chat_id}/messages/{message_id}",
    tag: TAG,
    summary: "One message",
    auth: "key",
    params: ZMessageParams,
    response: { status: 200, schema: ZMessageRead },
    async handle(ctx, { params }) {
      const user = await chatUser(ctx.db, ctx.apiClient, ctx.request.headers);
      return toMessageRead(await messageInChat(ctx.db, user.id, params.chat_id, params.message_id));
    },
  }),
  eventsRoute("GET"),
  eventsRoute("POST"),
  route({
    method: "POST",
    path: "/chats/{chat_id}/messages/{message_id}/votes",
    tag: TAG,
    summary: "Vote on an assistant reply (-1, 0 or 1)",
    auth: "key",
    params: ZMessageParams,
    body: z.object({ score: z.union([z.literal(-1), z.literal(0), z.literal(1)]) }),
    response: { status: 200, schema: z.null() },
    async handle(ctx, { params, body }) {
      const user = await chatUser(ctx.db, ctx.apiClient, ctx.request.headers);
      await messageInChat(ctx.db, user.id, params.chat_id, params.message_id);
      await voteMessage(ctx.db, user.id, params.message_id, body.score);
      return null;
    },
  }),
  route({
    method: "POST",
    path: "/chats/{chat_id}/messages/{message_id}/reports",
    tag: TAG,
    summary: "Report an assistant reply",
    auth: "key",
    params: ZMessageParams,
    body: z.object({ report_type: z.enum(chatReportType.enumValues), reason: z.string().trim().max(2000).default("") }),
    response: { status: 200, schema: z.null() },
    async handle(ctx, { params, body }) {
      const user = await chatUser(ctx.db, ctx.apiClient, ctx.request.headers);
      await messageInChat(ctx.db, user.id, params.chat_id, params.message_id);
      await reportMessage(ctx.db, user.id, { messageId: params.message_id, reportType: body.report_type, reason: body.reason });
      return null;
    },
  }),
  route({
    method: "POST",
    path: "/chats/{chat_id}/messages/{message_id}/message_evals",
    tag: TAG,
    summary: "Choose this reply over its sibling drafts",
    description: "Recorded as a preference for training unless the chat opted out; the chosen reply becomes the shown branch.",
    auth: "key",
    params: ZMessageParams,
    body: z.object({ inferior_message_ids: z.array(z.uuid()).max(50) }),
    response: { status: 200, schema: z.null() },
    async handle(ctx, { params, body }) {
      const user = await chatUser(ctx.db, ctx.apiClient, ctx.request.headers);
      await messageInChat(ctx.db, user.id, params.chat_id, params.message_id);
      await chooseDraft(ctx.db, user.id, params.message_id, body.inferior_message_ids);
      return null;
    },
  }),
  route({
    method: "GET",
    path: "/configs/model_configs",
    tag: "configs",
    summary: "Model configurations offered for chat, with their sampling presets",
    auth: "none",
    response: {
      status: 200,
      schema: z.array(z.object({ name: z.string(), description: z.string(), parameter_configs: z.array(z.object({ name: z.string(), description: z.string(), sampling_parameters: ZSamplingJson })) })),
    },
    async handle(ctx) {
      const listing = await listModels(ctx.db, getChatConfig());
      const presets = SAMPLING_PRESETS.map((preset) => ({
        name: preset.name,
        description: preset.description,
        sampling_parameters: {
          top_k: preset.sampling.topK,
          top_p: preset.sampling.topP,
          typical_p: preset.sampling.typicalP,
          temperature: preset.sampling.temperature,
          repetition_penalty: preset.sampling.repetitionPenalty,
          max_new_tokens: preset.sampling.maxNewTokens,
        },
      }));
      return listing.models.filter((model) => MODEL_CONFIGS.has(model.name)).map((model) => ({ name: model.name, description: "", parameter_configs: presets }));
    },
  }),
];
