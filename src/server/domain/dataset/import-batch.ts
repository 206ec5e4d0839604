import { eq, sql } from "drizzle-orm";
import type { Transaction } from "@/server/db/client";
import { messageEmojis, messages, messageTreeStates, type TreeState } from "@/server/db/schema";
import { postgresErrorOf } from "@/server/db/errors";
import { type ImportUnit } from "./import-parse";
import { isAnyUuid } from "./pg-array";
import {
  emojiRowsOf, existingUsers, insertMessageRows, insertUndatedRows, messageRows, type ParentRow, treeStateRow, undatedRowsOf, userIdsOf, type WriteResult,
  type WriteSettings,
} from "./import-write";

/**
 * The fast path of the importer: many lines in one transaction, checked against the database with a fixed number
 * of lookups and written with multi-row inserts. Every check `writeUnit` makes per line is made here per line,
 * in file order, against the database plus the lines before it in the batch, so the outcome of each line is the
 * one the line-by-line path would give. Only a conflict the lookups could not foresee (a unique index hit by a
 * concurrent writer) aborts the batch; the caller then replays it line by line, one savepoint per line.
 */
export type BatchOutcome = WriteResult | { status: "error"; reason: string };

/** The batch's writes hit a unique index; nothing of it was kept. */
export class BatchConflictError extends Error {}

const LOOKUP_BATCH = 10_000;
const SMALL_INSERT_BATCH = 5_000;

async function lookupMessages(tx: Transaction, ids: string[]): Promise<Map<string, ParentRow>> {
  const found = new Map<string, ParentRow>();
  for (let i = 0; i < ids.length; i += LOOKUP_BATCH) {
    // One array parameter, not one per id: building and binding 10,000 parameters cost more than the lookup.
    const rows = await tx
      .select({ id: messages.id, messageTreeId: messages.messageTreeId, depth: messages.depth, lang: messages.lang })
      .from(messages)
      .where(isAnyUuid(messages.id, ids.slice(i, i + LOOKUP_BATCH)));
    for (const row of rows) found.set(row.id, row);
  }
  return found;
}

async function insertInSlices<T>(rows: T[], size: number, insert: (slice: T[]) => Promise<unknown>): Promise<void> {
  for (let i = 0; i < rows.length; i += size) await insert(rows.slice(i, i + size));
}

export async function writeBatch(tx: Transaction, units: ImportUnit[], settings: WriteSettings): Promise<BatchOutcome[]> {
  const allIds = units.flatMap((unit) => unit.messages.map(({ node }) => node.message_id));
  const parentIds = units.flatMap((unit) => (unit.externalParentId ? [unit.externalParentId] : []));
  const existing = await lookupMessages(tx, [...new Set([...allIds, ...parentIds])]);
  const known = await existingUsers(tx, [...new Set(units.flatMap(userIdsOf))]);

  /** Messages written by earlier lines of this batch, as the database will hold them. */
  const pending = new Map<string, ParentRow>();
  const messageInserts: ReturnType<typeof messageRows> = [];
  const undatedInserts: ReturnType<typeof undatedRowsOf> = [];
  const treeInserts: ReturnType<typeof treeStateRow>[] = [];
  const emojiInserts: ReturnType<typeof emojiRowsOf> = [];
  const newChildren = new Map<string, number>();
  const outcomes: BatchOutcome[] = [];

  for (const unit of units) {
    const ids = unit.messages.map(({ node }) => node.message_id);
    const topId = ids[0]!;
    const seen = (id: string) => existing.get(id) ?? pending.get(id);
    if (seen(topId)) {
      outcomes.push({ status: "skipped" });
      continue;
    }
    const clash = ids.map(seen).find((row) => row !== undefined);
    if (clash) {
      outcomes.push({ status: "error", reason: `message ${clash.id} already exists in tree ${clash.messageTreeId}` });
      continue;
    }
    let parent: ParentRow | null = null;
    if (unit.externalParentId) {
      parent = seen(unit.externalParentId) ?? null;
      if (!parent) {
        outcomes.push({ status: "error", reason: `parent ${unit.externalParentId} of message ${topId} does not exist` });
        continue;
      }
      if (unit.treeId && unit.treeId !== parent.messageTreeId) {
        outcomes.push({
          status: "error",
          reason: `message ${topId} names tree ${unit.treeId} but its parent belongs to tree ${parent.messageTreeId}`,
        });
        continue;
      }
    }
    const rows = messageRows(unit, parent, known, settings.modelName);
    for (const row of rows) pending.set(row.id, { id: row.id, messageTreeId: row.messageTreeId, depth: row.depth, lang: row.lang });
    messageInserts.push(...rows);
    undatedInserts.push(...undatedRowsOf(unit, rows[0]!.messageTreeId));
    emojiInserts.push(...emojiRowsOf(unit, known));
    if (parent && !unit.messages[0]!.node.deleted) newChildren.set(parent.id, (newChildren.get(parent.id) ?? 0) + 1);
    let newTree: TreeState | null = null;
    if (!parent) {
      newTree = settings.state(unit);
      treeInserts.push(treeStateRow(unit, newTree, rows[0]!.lang, settings.origin));
    }
    outcomes.push({ status: "imported", messages: rows.length, newTree });
  }

  try {
    await insertMessageRows(tx, messageInserts);
    await insertUndatedRows(tx, undatedInserts);
    await insertInSlices(treeInserts, SMALL_INSERT_BATCH, (slice) => tx.insert(messageTreeStates).values(slice));
  } catch (error) {
    if (postgresErrorOf(error)?.code === "23505") throw new BatchConflictError("a line of the batch conflicts with existing data");
    throw error;
  }
  for (const [parentId, added] of newChildren) {
    await tx.update(messages).set({ childrenCount: sql`${messages.childrenCount} + ${added}` }).where(eq(messages.id, parentId));
  }
  await insertInSlices(emojiInserts, SMALL_INSERT_BATCH, (slice) => tx.insert(messageEmojis).values(slice).onConflictDoNothing());
  return outcomes;
}
