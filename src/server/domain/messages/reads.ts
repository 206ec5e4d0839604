import { eq } from "drizzle-orm";
import { z } from "zod";
import type { DbOrTx } from "@/server/db/client";
import { messageTreeStates, TREE_STATES } from "@/server/db/schema";
import { AppError } from "@/server/errors";
import { canOpen, isListedFor, type MessageView, type MessageWithAuthor, type Viewer } from "./dto";
import { findChildRows, findConversationRows, findMessage, findTreeRows, messageNotFound, toMessageViews } from "./queries";

/** The message, or MESSAGE_NOT_FOUND when it does not exist or the viewer may not open it. */
async function openMessageOrThrow(tx: DbOrTx, viewer: Viewer, messageId: string): Promise<MessageWithAuthor> {
  const row = await findMessage(tx, messageId);
  if (!row || !canOpen(row.message, viewer)) throw messageNotFound(messageId);
  return row;
}

export async function getMessage(db: DbOrTx, viewer: Viewer, messageId: string): Promise<MessageView> {
  const row = await openMessageOrThrow(db, viewer, messageId);
  const [view] = await toMessageViews(db, viewer, [row]);
  return view!;
}

/** The thread from the root down to the message: the context a contributor reads it in. */
export async function getConversation(db: DbOrTx, viewer: Viewer, messageId: string): Promise<MessageView[]> {
  await openMessageOrThrow(db, viewer, messageId);
  return toMessageViews(db, viewer, await findConversationRows(db, messageId));
}

/**
 * The whole tree the message belongs to, as a flat list (parents before children, siblings by rank then age).
 * For non-moderators a deleted or rejected message is left out together with everything below it, so every listed
 * message's parent is listed too.
 */
export async function getTree(db: DbOrTx, viewer: Viewer, messageId: string): Promise<{ messageTreeId: string; messages: MessageView[] }> {
  const target = await openMessageOrThrow(db, viewer, messageId);
  const treeId = target.message.messageTreeId;
  const rows = await findTreeRows(db, treeId);
  const shown = new Set<string>();
  // Rows come parents first (by depth), so a child's parent has been decided before the child.
  const visible = rows.filter(({ message }) => {
    const parentShown = message.parentId === null || shown.has(message.parentId);
    if (!parentShown || !isListedFor(message, viewer)) return false;
    shown.add(message.id);
    return true;
  });
  return { messageTreeId: treeId, messages: await toMessageViews(db, viewer, visible) };
}

export async function getChildren(db: DbOrTx, viewer: Viewer, messageId: string): Promise<MessageView[]> {
  await openMessageOrThrow(db, viewer, messageId);
  const rows = (await findChildRows(db, messageId)).filter(({ message }) => isListedFor(message, viewer));
  return toMessageViews(db, viewer, rows);
}

export const ZTreeState = z.object({
  messageTreeId: z.uuid(),
  state: z.enum(TREE_STATES),
  active: z.boolean(),
  goalTreeSize: z.number().int(),
  maxDepth: z.number().int(),
  maxChildrenCount: z.number().int(),
  lang: z.string(),
  origin: z.string().nullable(),
  wonPromptLotteryDate: z.date().nullable(),
});
export type TreeStateView = z.infer<typeof ZTreeState>;

export function toTreeStateView(row: typeof messageTreeStates.$inferSelect): TreeStateView {
  return {
    messageTreeId: row.messageTreeId,
    state: row.state,
    active: row.active,
    goalTreeSize: row.goalTreeSize,
    maxDepth: row.maxDepth,
    maxChildrenCount: row.maxChildrenCount,
    lang: row.lang,
    origin: row.origin,
    wonPromptLotteryDate: row.wonPromptLotteryDate,
  };
}

/** The state of the tree a message belongs to (spec §5 `GET /messages/{id}/tree/state`). */
export async function getTreeState(db: DbOrTx, viewer: Viewer, messageId: string): Promise<TreeStateView> {
  const target = await openMessageOrThrow(db, viewer, messageId);
  const [row] = await db
    .select()
    .from(messageTreeStates)
    .where(eq(messageTreeStates.messageTreeId, target.message.messageTreeId))
    .limit(1);
  if (!row) throw new AppError("NO_MESSAGE_TREE_FOUND", `Message ${messageId} belongs to no tree with a state.`);
  return toTreeStateView(row);
}

/**
 * The deepest thread of the message's tree, root first (OA `fetch_longest_conversation`), among the messages the
 * viewer may see; ties go to the first in tree order.
 */
export async function getLongestConversation(db: DbOrTx, viewer: Viewer, messageId: string): Promise<MessageView[]> {
  const { messages } = await getTree(db, viewer, messageId);
  const byId = new Map(messages.map((m) => [m.id, m]));
  let deepest = messages[0];
  for (const m of messages) if (deepest && m.depth > deepest.depth) deepest = m;
  const chain: MessageView[] = [];
  for (let m = deepest; m; m = m.parentId ? byId.get(m.parentId) : undefined) chain.unshift(m);
  return chain;
}

/**
 * The message of the tree with the most replies, and those replies (OA `fetch_message_with_max_children`), counting
 * only what the viewer may see.
 */
export async function getMaxChildrenInTree(db: DbOrTx, viewer: Viewer, messageId: string): Promise<{ message: MessageView; children: MessageView[] }> {
  const { messages } = await getTree(db, viewer, messageId);
  // A tree whose root the viewer may not list (rejected) shows nothing.
  if (messages.length === 0) throw messageNotFound(messageId);
  const children = new Map<string, MessageView[]>();
  for (const m of messages) if (m.parentId) children.set(m.parentId, [...(children.get(m.parentId) ?? []), m]);
  let best = messages[0]!;
  for (const m of messages) if ((children.get(m.id)?.length ?? 0) > (children.get(best.id)?.length ?? 0)) best = m;
  return { message: best, children: children.get(best.id) ?? [] };
}
