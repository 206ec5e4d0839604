import { z } from "zod";
import type { DbOrTx } from "@/server/db/client";
import { LABEL_DEFINITIONS, isLabelName } from "@/server/domain/labels/definitions";
import type { ApiClientRow } from "@/server/domain/api-clients/keys";
import { messageOrigins } from "@/server/domain/tasks/client-tasks";
import { TASK_REQUEST_TYPES, type ConversationMessage, type TaskDto } from "@/server/domain/tasks/types";
import labelTexts from "@/i18n/messages/en/labels.json";

/** The original's task JSON (spec backend §2.2), shaped from our task DTO. */

export const ZConversationMessageJson = z
  .object({
    id: z.uuid(),
    user_id: z.uuid().nullable().meta({ description: "Author id; only for trusted clients (null otherwise)." }),
    frontend_message_id: z.string().nullable().meta({ description: "Your own id of the message, when your client wrote it." }),
    text: z.string(),
    lang: z.string(),
    is_assistant: z.boolean(),
    emojis: z.record(z.string(), z.number()),
    user_emojis: z.array(z.string()),
    user_is_author: z.boolean(),
    synthetic: z.boolean().nullable(),
  })
  .meta({ id: "ConversationMessage" });

const ZConversationJson = z.object({ messages: z.array(ZConversationMessageJson) }).meta({ id: "Conversation" });

export const ZLabelDescription = z
  .object({ name: z.string(), widget: z.enum(["yes_no", "flag", "likert"]), display_text: z.string(), help_text: z.string() })
  .meta({ id: "LabelDescription" });

const base = { id: z.uuid() };
const labelFields = {
  ...base,
  message_id: z.uuid(),
  valid_labels: z.array(z.string()),
  mandatory_labels: z.array(z.string()),
  mode: z.enum(["simple", "full"]),
  disposition: z.enum(["quality", "spam"]),
  labels: z.array(ZLabelDescription),
  conversation: ZConversationJson,
};
const rankFields = {
  ...base,
  conversation: ZConversationJson,
  replies: z.array(z.string()).meta({ description: "Deprecated: the texts of reply_messages." }),
  reply_messages: z.array(ZConversationMessageJson).meta({ description: "Shuffled. Rank them by their index in this list." }),
  message_tree_id: z.uuid(),
  ranking_parent_id: z.uuid(),
  reveal_synthetic: z.boolean(),
};

export const ZTaskJson = z
  .discriminatedUnion("type", [
    z.object({ ...base, type: z.literal("initial_prompt"), hint: z.string().nullable() }),
    z.object({ ...base, type: z.literal("prompter_reply"), conversation: ZConversationJson, hint: z.string().nullable() }),
    z.object({ ...base, type: z.literal("assistant_reply"), conversation: ZConversationJson }),
    z.object({ ...rankFields, type: z.literal("rank_assistant_replies") }),
    z.object({ ...rankFields, type: z.literal("rank_prompter_replies") }),
    z.object({ ...labelFields, type: z.literal("label_initial_prompt"), prompt: z.string().meta({ description: "Deprecated: the prompt's text." }) }),
    z.object({ ...labelFields, type: z.literal("label_prompter_reply"), reply: z.string().meta({ description: "Deprecated: the reply's text." }) }),
    z.object({ ...labelFields, type: z.literal("label_assistant_reply"), reply: z.string().meta({ description: "Deprecated: the reply's text." }) }),
  ])
  .meta({ id: "Task" });
export type TaskJson = z.infer<typeof ZTaskJson>;

export const ZTaskRequestType = z.enum(TASK_REQUEST_TYPES).meta({ id: "TaskRequestType" });

export function labelDescription(name: string) {
  const widget = isLabelName(name) ? LABEL_DEFINITIONS[name].widget : "flag";
  const texts = labelTexts as unknown as Record<string, unknown> & { help: Record<string, string> };
  return { name, widget, display_text: typeof texts[name] === "string" ? texts[name] : name, help_text: texts.help[name] ?? "" };
}

/** Converts a task DTO; `client` decides which author ids and frontend ids may be shown. */
export async function toTaskJson(db: DbOrTx, task: TaskDto, client: ApiClientRow): Promise<TaskJson> {
  const payload = task.payload;
  const all: ConversationMessage[] = [
    ...("conversation" in payload ? payload.conversation : []),
    ...("replies" in payload ? payload.replies : []),
  ];
  const origins = await messageOrigins(db, all.map((m) => m.id));
  const message = (m: ConversationMessage) => {
    const origin = origins.get(m.id);
    return {
      id: m.id,
      user_id: client.trusted ? (origin?.userId ?? null) : null,
      frontend_message_id: origin && origin.apiClientId === client.id ? origin.frontendMessageId : null,
      text: m.text,
      lang: m.lang,
      is_assistant: m.role === "assistant",
      emojis: m.emojis,
      user_emojis: m.userEmojis,
      user_is_author: m.userIsAuthor,
      synthetic: m.synthetic,
    };
  };
  const id = task.id;
  switch (payload.type) {
    case "initial_prompt":
      return { id, type: payload.type, hint: payload.hint };
    case "prompter_reply":
      return { id, type: payload.type, conversation: { messages: payload.conversation.map(message) }, hint: null };
    case "assistant_reply":
      return { id, type: payload.type, conversation: { messages: payload.conversation.map(message) } };
    case "rank_assistant_replies":
    case "rank_prompter_replies":
      return {
        id,
        type: payload.type,
        conversation: { messages: payload.conversation.map(message) },
        replies: payload.replies.map((r) => r.text),
        reply_messages: payload.replies.map(message),
        message_tree_id: payload.messageTreeId,
        ranking_parent_id: payload.rankingParentId,
        reveal_synthetic: payload.revealSynthetic,
      };
    case "label_initial_prompt":
    case "label_prompter_reply":
    case "label_assistant_reply": {
      const common = {
        id,
        message_id: payload.messageId,
        valid_labels: payload.validLabels,
        mandatory_labels: payload.mandatoryLabels,
        mode: payload.mode,
        disposition: payload.disposition,
        labels: payload.validLabels.map(labelDescription),
        conversation: { messages: payload.conversation.map(message) },
      };
      const text = payload.conversation.at(-1)?.text ?? "";
      if (payload.type === "label_initial_prompt") return { ...common, type: payload.type, prompt: text };
      return { ...common, type: payload.type, reply: text };
    }
  }
}
