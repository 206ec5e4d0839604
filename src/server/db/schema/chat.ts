import {
  boolean, index, jsonb, pgEnum, pgTable, smallint, text, uuid, varchar,
} from "drizzle-orm/pg-core";
import { users } from "./auth";
import { createdAt, timestamptz, uuidPk } from "./columns";
import { messageRole } from "./messages";

/** Chat message states (spec inference §1.2), plus the user-initiated `cancelled` for the stop button. */
export const chatMessageState = pgEnum("chat_message_state", [
  "manual",
  "pending",
  "in_progress",
  "complete",
  "aborted_by_worker",
  "cancelled",
  "timeout",
]);
export type ChatMessageState = (typeof chatMessageState.enumValues)[number];

export type SamplingParameters = {
  topK: number | null;
  topP: number | null;
  typicalP: number | null;
  temperature: number | null;
  repetitionPenalty: number | null;
  maxNewTokens: number;
};

/** What an assistant reply was asked to be generated with (spec inference §1.3). */
export type WorkParameters = {
  modelConfigName: string;
  sampling: SamplingParameters;
  doSample: boolean;
  seed: number;
  systemPrompt: string | null;
  userProfile: string | null;
  userResponseInstructions: string | null;
};

export const chats = pgTable(
  "chats",
  {
    id: uuidPk(),
    userId: uuid().notNull().references(() => users.id, { onDelete: "cascade" }),
    createdAt: createdAt(),
    modifiedAt: createdAt(),
    title: varchar({ length: 200 }),
    activeThreadTailMessageId: uuid(),
    hidden: boolean().notNull().default(false),
    /** False when the user opted this chat out of training data. */
    allowDataUse: boolean().notNull().default(true),
  },
  (t) => [index("chats_user_modified_idx").on(t.userId, t.hidden, t.modifiedAt)],
);

export const chatMessages = pgTable(
  "chat_messages",
  {
    id: uuidPk(),
    chatId: uuid().notNull().references(() => chats.id, { onDelete: "cascade" }),
    parentId: uuid(),
    role: messageRole().notNull(),
    createdAt: createdAt(),
    /** Text so far while generating, final text afterwards. */
    content: text(),
    error: text(),
    state: chatMessageState().notNull().default("manual"),
    workParameters: jsonb().$type<WorkParameters>(),
    workBeginAt: timestamptz(),
    workEndAt: timestamptz(),
    workerId: uuid(),
    /** The chat owner's vote: -1, 0 or +1. */
    score: smallint().notNull().default(0),
  },
  (t) => [index("chat_messages_chat_idx").on(t.chatId, t.createdAt), index("chat_messages_parent_idx").on(t.parentId)],
);

export const chatReportType = pgEnum("chat_report_type", ["spam", "offensive", "feedback"]);

export const chatReports = pgTable(
  "chat_reports",
  {
    id: uuidPk(),
    messageId: uuid().notNull().references(() => chatMessages.id, { onDelete: "cascade" }),
    userId: uuid().notNull().references(() => users.id, { onDelete: "cascade" }),
    reportType: chatReportType().notNull(),
    reason: varchar({ length: 2000 }).notNull().default(""),
    createdAt: createdAt(),
  },
  (t) => [index("chat_reports_message_idx").on(t.messageId)],
);

/** Recorded when a user picks one of several drafts. */
export const chatMessageEvaluations = pgTable("chat_message_evaluations", {
  id: uuidPk(),
  chatId: uuid().notNull().references(() => chats.id, { onDelete: "cascade" }),
  userId: uuid().notNull().references(() => users.id, { onDelete: "cascade" }),
  selectedMessageId: uuid().notNull().references(() => chatMessages.id, { onDelete: "cascade" }),
  inferiorMessageIds: jsonb().$type<string[]>().notNull(),
  createdAt: createdAt(),
});

