import { and, asc, desc, eq, inArray, sql, type SQL } from "drizzle-orm";
import { z } from "zod";
import type { DbOrTx } from "@/server/db/client";
import { journal, messages, messageTreeStates, TREE_STATES, treeStateChanges } from "@/server/db/schema";
import { toTreeStateView, ZTreeState } from "@/server/domain/messages/reads";
import { AppError } from "@/server/errors";

export const ZTreeCounts = z.array(z.object({ state: z.enum(TREE_STATES), lang: z.string(), count: z.number().int() }));

/** Trees by state and language (the status and trees pages). */
export async function treeCounts(db: DbOrTx): Promise<z.infer<typeof ZTreeCounts>> {
  return db
    .select({ state: messageTreeStates.state, lang: messageTreeStates.lang, count: sql<number>`count(*)::int` })
    .from(messageTreeStates)
    .groupBy(messageTreeStates.state, messageTreeStates.lang)
    .orderBy(asc(messageTreeStates.lang), asc(messageTreeStates.state));
}

export const ZTreeListInput = z.object({
  state: z.enum(TREE_STATES).optional(),
  lang: z.string().trim().min(2).max(32).optional(),
  page: z.number().int().min(0).max(10_000).default(0),
  limit: z.number().int().min(1).max(100).default(20),
});
export const ZTreeRow = z.object({
  id: z.uuid(), state: z.enum(TREE_STATES), lang: z.string(), active: z.boolean(), goalTreeSize: z.number().int(),
  prompt: z.string(), createdDate: z.date(), messageCount: z.number().int(),
});
export const ZTreeList = z.object({ items: z.array(ZTreeRow), hasMore: z.boolean() });

/** Trees of one state/language, newest prompt first, with their prompt and size. */
export async function listTrees(db: DbOrTx, input: z.infer<typeof ZTreeListInput>): Promise<z.infer<typeof ZTreeList>> {
  const conditions: (SQL | undefined)[] = [
    input.state ? eq(messageTreeStates.state, input.state) : undefined,
    input.lang ? eq(messageTreeStates.lang, input.lang) : undefined,
  ];
  const rows = await db
    .select({ tree: messageTreeStates, prompt: messages.text, createdDate: messages.createdDate })
    .from(messageTreeStates)
    .innerJoin(messages, eq(messages.id, messageTreeStates.messageTreeId))
    .where(and(...conditions))
    .orderBy(desc(messages.createdDate), desc(messages.id))
    .limit(input.limit + 1)
    .offset(input.page * input.limit);
  const page = rows.slice(0, input.limit);
  const ids = page.map((row) => row.tree.messageTreeId);
  const sizes = ids.length === 0 ? [] : await db
    .select({ id: messages.messageTreeId, count: sql<number>`count(*)::int` })
    .from(messages).where(inArray(messages.messageTreeId, ids)).groupBy(messages.messageTreeId);
  const sizeOf = new Map(sizes.map((row) => [row.id, row.count]));
  return {
    items: page.map(({ tree, prompt, createdDate }) => ({
      id: tree.messageTreeId, state: tree.state, lang: tree.lang, active: tree.active, goalTreeSize: tree.goalTreeSize,
      prompt: prompt.slice(0, 300), createdDate, messageCount: sizeOf.get(tree.messageTreeId) ?? 0,
    })),
    hasMore: rows.length > input.limit,
  };
}

export const ZTreeHistory = z.object({
  state: ZTreeState,
  changes: z.array(z.object({ from: z.string().nullable(), to: z.string(), at: z.date() })),
  actions: z.array(z.object({ eventType: z.string(), at: z.date(), actorId: z.uuid().nullable(), messageId: z.uuid().nullable() })),
});

/** A tree's state now, every state it went through, and the moderator actions on its messages. */
export async function getTreeHistory(db: DbOrTx, treeId: string): Promise<z.infer<typeof ZTreeHistory>> {
  const [tree] = await db.select().from(messageTreeStates).where(eq(messageTreeStates.messageTreeId, treeId));
  if (!tree) throw new AppError("NO_MESSAGE_TREE_FOUND", `Tree ${treeId} does not exist.`);
  const [changes, actions] = await Promise.all([
    db.select().from(treeStateChanges).where(eq(treeStateChanges.messageTreeId, treeId)).orderBy(asc(treeStateChanges.changedAt), asc(treeStateChanges.id)),
    db.select().from(journal)
      .where(and(sql`${journal.messageId} in (select id from messages where message_tree_id = ${treeId})`, sql`${journal.eventType} like 'moderation\\_%'`))
      .orderBy(desc(journal.createdDate)).limit(100),
  ]);
  return {
    state: toTreeStateView(tree),
    changes: changes.map((change) => ({ from: change.fromState, to: change.toState, at: change.changedAt })),
    actions: actions.map((entry) => ({ eventType: entry.eventType, at: entry.createdDate, actorId: entry.userId, messageId: entry.messageId })),
  };
}
