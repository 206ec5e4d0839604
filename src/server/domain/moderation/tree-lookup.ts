import { eq } from "drizzle-orm";
import type { DbOrTx } from "@/server/db/client";
import { messages } from "@/server/db/schema";
import { messageNotFound } from "@/server/domain/messages/queries";
import { lockTreeState, type TreeStateRow } from "@/server/domain/trees/transitions";
import { AppError } from "@/server/errors";

export async function findTreeIdOfMessage(tx: DbOrTx, messageId: string): Promise<string> {
  const [row] = await tx.select({ treeId: messages.messageTreeId }).from(messages).where(eq(messages.id, messageId));
  if (!row) throw messageNotFound(messageId);
  return row.treeId;
}

/** The state row of the message's tree, locked; NOT_FOUND for an unknown message or a tree without state. */
export async function lockTreeOfMessage(tx: DbOrTx, messageId: string): Promise<TreeStateRow> {
  const tree = await lockTreeState(tx, await findTreeIdOfMessage(tx, messageId));
  if (!tree) throw new AppError("NO_MESSAGE_TREE_FOUND", `Message ${messageId} belongs to no tree with a state.`);
  return tree;
}
