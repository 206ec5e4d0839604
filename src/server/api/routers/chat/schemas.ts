import { z } from "zod";
import { ZSamplingOverrides } from "@/server/domain/chat/presets";

/** Input pieces shared by the chat procedures. */

export const ZChatId = z.object({ chatId: z.uuid() });
export const ZMessageId = z.object({ messageId: z.uuid() });

/** Trimmed, non-empty; the configured maximum length is checked by the domain (CHAT_MESSAGE_MAX_LENGTH). */
export const ZMessageContent = z
  .string()
  .max(100_000, "This message is far too long.")
  .transform((value) => value.trim())
  .refine((value) => value.length > 0, "The message cannot be empty.");

/** OA's custom-instruction fields hold at most 256 characters each (website `ChatConfigForm`). */
const customInstruction = z.string().max(256, "Custom instructions can be at most 256 characters.").nullable().optional();

export const ZReplyOptions = z.object({
  modelConfigName: z.string().min(1).max(256),
  /** A preset name from `chat.models`; default `k50`. */
  preset: z.string().min(1).max(64).optional(),
  /** Values over the preset; `null` switches one off. Ranges as in OA's config form. */
  sampling: ZSamplingOverrides.optional(),
  doSample: z.boolean().optional(),
  seed: z.number().int().min(0).max(2 ** 31 - 1).optional(),
  systemPrompt: z.string().max(4000, "The system prompt can be at most 4000 characters.").nullable().optional(),
  userProfile: customInstruction,
  userResponseInstructions: customInstruction,
});
