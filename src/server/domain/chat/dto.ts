import { z } from "zod";
import {
  chatMessageState, chatReportType, type chatMessages, type chatReports, type chats, type InferenceJobStatus,
} from "@/server/db/schema";
import { ZSamplingParameters } from "./presets";

/** What the chat API returns: the owner's view. Internal columns (worker ids, lease data) never leave the server. */

export const ZChatSummary = z.object({
  id: z.uuid(),
  title: z.string().nullable(),
  createdAt: z.date(),
  modifiedAt: z.date(),
  hidden: z.boolean(),
  allowDataUse: z.boolean(),
  activeThreadTailMessageId: z.uuid().nullable(),
});
export type ChatSummary = z.infer<typeof ZChatSummary>;

export const ZWorkParameters = z.object({
  modelConfigName: z.string(),
  sampling: ZSamplingParameters,
  doSample: z.boolean(),
  seed: z.number(),
  systemPrompt: z.string().nullable(),
  userProfile: z.string().nullable(),
  userResponseInstructions: z.string().nullable(),
});

export const ZChatReport = z.object({ id: z.uuid(), reportType: z.enum(chatReportType.enumValues), reason: z.string(), createdAt: z.date() });

export const ZChatMessage = z.object({
  id: z.uuid(),
  chatId: z.uuid(),
  parentId: z.uuid().nullable(),
  role: z.enum(["prompter", "assistant"]),
  createdAt: z.date(),
  content: z.string().nullable(),
  error: z.string().nullable(),
  state: z.enum(chatMessageState.enumValues),
  /** The user pressed stop while it was generating: `content` is what had been written by then. */
  stopped: z.boolean(),
  score: z.number().int(),
  workParameters: ZWorkParameters.nullable(),
  workBeginAt: z.date().nullable(),
  workEndAt: z.date().nullable(),
  reports: z.array(ZChatReport),
});
export type ChatMessageDto = z.infer<typeof ZChatMessage>;

export const ZChatDetail = z.object({
  chat: ZChatSummary,
  /** Every message of the chat, oldest first; siblings share a parent. */
  messages: z.array(ZChatMessage),
  /** Root → leaf ids of the branch to show (the remembered tail, else the newest child at each level). */
  activeBranch: z.array(z.uuid()),
});
export type ChatDetail = z.infer<typeof ZChatDetail>;

export type ChatRow = typeof chats.$inferSelect;
export type ChatMessageRow = typeof chatMessages.$inferSelect;
export type ChatReportRow = typeof chatReports.$inferSelect;

export function toChatSummary(row: ChatRow): ChatSummary {
  return {
    id: row.id,
    title: row.title,
    createdAt: row.createdAt,
    modifiedAt: row.modifiedAt,
    hidden: row.hidden,
    allowDataUse: row.allowDataUse,
    activeThreadTailMessageId: row.activeThreadTailMessageId,
  };
}

export function toChatMessage(row: ChatMessageRow, jobStatus: InferenceJobStatus | null, reports: readonly ChatReportRow[] = []): ChatMessageDto {
  return {
    id: row.id,
    chatId: row.chatId,
    parentId: row.parentId,
    role: row.role,
    createdAt: row.createdAt,
    content: row.content,
    error: row.error,
    state: row.state,
    stopped: jobStatus === "cancelled" && row.state === "complete",
    score: row.score,
    workParameters: row.workParameters ?? null,
    workBeginAt: row.workBeginAt,
    workEndAt: row.workEndAt,
    reports: reports.map((report) => ({ id: report.id, reportType: report.reportType, reason: report.reason, createdAt: report.createdAt })),
  };
}

/** Events of a reply stream (`chat.streamReply`). Tokens carry an event id so a reconnect resumes after the last one. */
export const ZReplyStreamEvent = z.discriminatedUnion("type", [
  /** Waiting for a worker; `position` is 1 for the next job to be claimed for this model. */
  z.object({ type: z.literal("queued"), position: z.number().int(), queueSize: z.number().int(), workersOnline: z.number().int() }),
  /** A worker claimed it (again, after a worker died, when `attempt` > 1). */
  z.object({ type: z.literal("started"), attempt: z.number().int() }),
  z.object({ type: z.literal("token"), text: z.string() }),
  /** The worker that was writing this reply died; a new attempt starts over, so drop the text received so far. */
  z.object({ type: z.literal("reset") }),
  /** Finished (or stopped by the user, see `message.stopped`). The stream ends. */
  z.object({ type: z.literal("message"), message: ZChatMessage }),
  /** Ended without a reply: nobody picked it up in time, it failed, or it was stopped before starting. The stream ends. */
  z.object({
    type: z.literal("error"),
    reason: z.enum(["timeout", "failed", "cancelled"]),
    error: z.string(),
    message: ZChatMessage,
  }),
]);
export type ReplyStreamEvent = z.infer<typeof ZReplyStreamEvent>;
