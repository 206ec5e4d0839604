import { and, eq } from "drizzle-orm";
import type { DbOrTx } from "@/server/db/client";
import { messages } from "@/server/db/schema";
import { messageNotFound } from "./queries";

/** The message an API client wrote under its own frontend message id (the original's `/frontend_messages/{id}`). */
export async function messageIdByFrontendId(db: DbOrTx, apiClientId: string, frontendMessageId: string): Promise<string> {
  const [row] = await db
    .select({ id: messages.id })
    .from(messages)
    .where(and(eq(messages.apiClientId, apiClientId), eq(messages.frontendMessageId, frontendMessageId)))
    .limit(1);
  if (!row) throw messageNotFound(frontendMessageId);
  return row.id;
}
