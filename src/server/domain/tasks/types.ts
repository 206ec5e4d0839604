import { z } from "zod";
import { TASK_TYPES, type TaskType } from "@/server/db/schema";

export const TASK_REQUEST_TYPES = ["random", ...TASK_TYPES] as const;
export type TaskRequestType = (typeof TASK_REQUEST_TYPES)[number];

export const ZConversationMessage = z.object({
  id: z.uuid(),
  text: z.string(),
  lang: z.string(),
  role: z.enum(["prompter", "assistant"]),
  /** null unless the task reveals it (rank tasks where every reply is synthetic). */
  synthetic: z.boolean().nullable(),
  emojis: z.record(z.string(), z.number()),
  userEmojis: z.array(z.string()),
  userIsAuthor: z.boolean(),
});
export type ConversationMessage = z.infer<typeof ZConversationMessage>;

const ZLabelMode = z.enum(["simple", "full"]);

/** What a contributor is asked to do, by task type (spec §2.2), as stored on the task and returned to the client. */
export const ZTaskPayload = z.discriminatedUnion("type", [
  z.object({ type: z.literal("initial_prompt"), lang: z.string(), hint: z.string().nullable() }),
  z.object({ type: z.literal("prompter_reply"), lang: z.string(), conversation: z.array(ZConversationMessage) }),
  z.object({ type: z.literal("assistant_reply"), lang: z.string(), conversation: z.array(ZConversationMessage) }),
  ...(["rank_assistant_replies", "rank_prompter_replies"] as const).map((type) =>
    z.object({
      type: z.literal(type),
      lang: z.string(),
      conversation: z.array(ZConversationMessage),
      /** Shuffled, so the order of display says nothing about earlier rankings. */
      replies: z.array(ZConversationMessage),
      rankingParentId: z.uuid(),
      messageTreeId: z.uuid(),
      revealSynthetic: z.boolean(),
    }),
  ),
  ...(["label_initial_prompt", "label_prompter_reply", "label_assistant_reply"] as const).map((type) =>
    z.object({
      type: z.literal(type),
      lang: z.string(),
      messageId: z.uuid(),
      /** Root … labelled message (last). */
      conversation: z.array(ZConversationMessage),
      validLabels: z.array(z.string()),
      mandatoryLabels: z.array(z.string()),
      mode: ZLabelMode,
      disposition: z.enum(["quality", "spam"]),
    }),
  ),
]);
export type TaskPayload = z.infer<typeof ZTaskPayload>;
export type PayloadOf<T extends TaskType> = Extract<TaskPayload, { type: T }>;

export const ZTask = z.object({
  id: z.uuid(),
  type: z.enum(TASK_TYPES),
  createdAt: z.date(),
  expiresAt: z.date().nullable(),
  acked: z.boolean(),
  payload: ZTaskPayload,
});
export type TaskDto = z.infer<typeof ZTask>;

/**
 * What acknowledging a task answers: which task, bound to which client message id, and until when it can be
 * answered. Not the task again: the client has it, and sending its payload back (the thread, the replies) cost every
 * round trip a second large answer to read, check, serialise and compress.
 */
export const ZTaskAck = z.object({
  id: z.uuid(),
  type: z.enum(TASK_TYPES),
  acked: z.literal(true),
  frontendMessageId: z.string(),
  expiresAt: z.date().nullable(),
});
export type TaskAck = z.infer<typeof ZTaskAck>;

export const REPLY_TASK_TYPES = ["prompter_reply", "assistant_reply"] as const satisfies TaskType[];
export const LABEL_TASK_TYPES = ["label_initial_prompt", "label_prompter_reply", "label_assistant_reply"] as const satisfies TaskType[];
export const RANK_TASK_TYPES = ["rank_assistant_replies", "rank_prompter_replies"] as const satisfies TaskType[];

export type LabelTaskType = (typeof LABEL_TASK_TYPES)[number];
export type RankTaskType = (typeof RANK_TASK_TYPES)[number];

export const isLabelTaskType = (type: TaskType): type is LabelTaskType => (LABEL_TASK_TYPES as readonly string[]).includes(type);
export const isRankTaskType = (type: TaskType): type is RankTaskType => (RANK_TASK_TYPES as readonly string[]).includes(type);
export const isReplyTaskType = (type: TaskType): boolean => type === "initial_prompt" || (REPLY_TASK_TYPES as readonly string[]).includes(type);

/** Longest text a contributor may submit (the original's MESSAGE_SIZE_LIMIT). */
export const MESSAGE_SIZE_LIMIT = 2000;
/** The same user may not post the same text twice within this window (DUPLICATE_MESSAGE_FILTER_WINDOW_MINUTES). */
export const DUPLICATE_MESSAGE_WINDOW_MINUTES = 120;
/** Tasks expire after two days (TASK_VALIDITY_MINUTES). */
export const TASK_VALIDITY_MINUTES = 2880;
