import { z } from "zod";

/** Sent after a contributor's message is stored (the task submit code calls `emitMessageCreated`). */
export const MESSAGE_CREATED = "message/created";
export const ZMessageCreated = z.object({ messageId: z.uuid() });
export type MessageCreated = z.infer<typeof ZMessageCreated>;
