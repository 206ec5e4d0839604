import { eq, inArray, sql } from "drizzle-orm";
import type { Transaction } from "@/server/db/client";
import { datasetUndatedMessages, messageEmojis, messages, messageTreeStates, type TreeState, users } from "@/server/db/schema";
import { isTerminalTreeState } from "@/server/domain/trees/states";
import { type ImportUnit, LineError, UUID_PATTERN } from "./import-parse";
import { isAnyUuid, pgArray } from "./pg-array";
import { postgresErrorOf } from "@/server/db/errors";

/** The original importer's well-known API client (spec backend §1.14); imported messages belong to it. */
export const IMPORT_API_CLIENT_ID = "bd8fde8b-1d8e-4e9a-9966-e96d000f8363";

/** Rows per bulk statement: each column travels as one array parameter. */
const MESSAGE_INSERT_BATCH = 2_000;
const LOOKUP_BATCH = 10_000;

export type WriteSettings = {
  /** The state of a new tree, decided by the caller (file value or the original importer's rule). */
  state: (unit: ImportUnit) => TreeState;
  origin: string;
  modelName?: string;
};

export type WriteResult = { status: "skipped" } | { status: "imported"; messages: number; newTree: TreeState | null };

export type ParentRow = { id: string; messageTreeId: string; depth: number; lang: string };

/** The unique constraint a failed write ran into, or null for any other error. */
function violatedUniqueConstraint(error: unknown): string | null {
  const info = postgresErrorOf(error);
  return info?.code === "23505" ? (info.constraint ?? "a unique constraint") : null;
}

/**
 * Writes one line's messages in the caller's transaction. Idempotent: a line whose top message exists is
 * skipped. Authors are kept only when they are users of this database (the file's user ids are otherwise
 * unknown here, or anonymised); emoji events of known users become message_emojis rows.
 */
export async function writeUnit(tx: Transaction, unit: ImportUnit, settings: WriteSettings): Promise<WriteResult> {
  const ids = unit.messages.map((m) => m.node.message_id);
  const topId = ids[0]!;
  const existing: { id: string; messageTreeId: string }[] = [];
  // In slices: one huge line must not exceed PostgreSQL's 65535 bind parameters.
  for (let i = 0; i < ids.length; i += LOOKUP_BATCH) {
    existing.push(
      ...(await tx
        .select({ id: messages.id, messageTreeId: messages.messageTreeId })
        .from(messages)
        .where(inArray(messages.id, ids.slice(i, i + LOOKUP_BATCH)))),
    );
  }
  if (existing.some((row) => row.id === topId)) return { status: "skipped" };
  if (existing[0]) throw new LineError(`message ${existing[0].id} already exists in tree ${existing[0].messageTreeId}`);

  let parent: ParentRow | null = null;
  if (unit.externalParentId) {
    [parent = null] = await tx
      .select({ id: messages.id, messageTreeId: messages.messageTreeId, depth: messages.depth, lang: messages.lang })
      .from(messages)
      .where(eq(messages.id, unit.externalParentId));
    if (!parent) throw new LineError(`parent ${unit.externalParentId} of message ${topId} does not exist`);
    if (unit.treeId && unit.treeId !== parent.messageTreeId) {
      throw new LineError(`message ${topId} names tree ${unit.treeId} but its parent belongs to tree ${parent.messageTreeId}`);
    }
  }

  const known = await knownUsers(tx, unit);
  const rows = messageRows(unit, parent, known, settings.modelName);
  try {
    await insertMessageRows(tx, rows);
    await insertUndatedRows(tx, undatedRowsOf(unit, rows[0]!.messageTreeId));
  } catch (error) {
    const constraint = violatedUniqueConstraint(error);
    if (constraint) throw new LineError(`conflicts with existing data (${constraint})`);
    throw error;
  }
  const top = unit.messages[0]!.node;
  if (parent && !top.deleted) {
    await tx.update(messages).set({ childrenCount: sql`${messages.childrenCount} + 1` }).where(eq(messages.id, parent.id));
  }
  let newTree: TreeState | null = null;
  if (!parent) {
    newTree = settings.state(unit);
    await tx.insert(messageTreeStates).values(treeStateRow(unit, newTree, rows[0]!.lang, settings.origin));
  }
  const emojiRows = emojiRowsOf(unit, known);
  if (emojiRows.length > 0) await tx.insert(messageEmojis).values(emojiRows).onConflictDoNothing();
  return { status: "imported", messages: rows.length, newTree };
}

/**
 * Writes message rows with one statement per MESSAGE_INSERT_BATCH rows (see pg-array.ts). The statements are sent
 * without waiting for each other (the connection pipelines them, in order), so the database inserts one slice while
 * the next slice's parameters are built. The first failure is thrown; the statements after it fail with it.
 */
export async function insertMessageRows(tx: Transaction, rows: MessageRow[]): Promise<void> {
  const sent: Promise<unknown>[] = [];
  for (let i = 0; i < rows.length; i += MESSAGE_INSERT_BATCH) {
    const slice = rows.slice(i, i + MESSAGE_INSERT_BATCH);
    const column = <T extends string | number | boolean | null>(pick: (row: MessageRow) => T) => pgArray(slice.map(pick));
    sent.push(tx.execute(sql`
      insert into ${messages} (id, parent_id, message_tree_id, user_id, role, api_client_id, frontend_message_id,
        created_date, text, lang, depth, children_count, deleted, review_count, review_result, rank, synthetic,
        model_name, emojis)
      select * from unnest(
        ${column((r) => r.id)}::uuid[], ${column((r) => r.parentId)}::uuid[], ${column((r) => r.messageTreeId)}::uuid[],
        ${column((r) => r.userId)}::uuid[], ${column((r) => r.role)}::message_role[], ${column((r) => r.apiClientId)}::uuid[],
        ${column((r) => r.frontendMessageId)}::varchar[], ${column((r) => r.createdDate)}::timestamptz[],
        ${column((r) => r.text)}::text[], ${column((r) => r.lang)}::varchar[], ${column((r) => r.depth)}::int[],
        ${column((r) => r.childrenCount)}::int[], ${column((r) => r.deleted)}::boolean[], ${column((r) => r.reviewCount)}::int[],
        ${column((r) => r.reviewResult)}::boolean[], ${column((r) => r.rank)}::int[], ${column((r) => r.synthetic)}::boolean[],
        ${column((r) => r.modelName)}::varchar[], ${column((r) => JSON.stringify(r.emojis))}::jsonb[]
      )`));
    // Let the connection send this slice before the next one is built.
    await new Promise((resolve) => setImmediate(resolve));
  }
  const failed = (await Promise.allSettled(sent)).find((outcome) => outcome.status === "rejected");
  if (failed) throw failed.reason;
}

/** Records messages whose date the file did not give. */
export async function insertUndatedRows(tx: Transaction, rows: { messageId: string; messageTreeId: string }[]): Promise<void> {
  for (let i = 0; i < rows.length; i += MESSAGE_INSERT_BATCH) {
    const slice = rows.slice(i, i + MESSAGE_INSERT_BATCH);
    await tx.execute(sql`
      insert into ${datasetUndatedMessages} (message_id, message_tree_id)
      select * from unnest(${pgArray(slice.map((r) => r.messageId))}::uuid[], ${pgArray(slice.map((r) => r.messageTreeId))}::uuid[])`);
  }
}

/** The message_tree_states row of a line that starts a new tree. */
export function treeStateRow(unit: ImportUnit, state: TreeState, lang: string, defaultOrigin: string) {
  return {
    messageTreeId: unit.messages[0]!.node.message_id,
    // The original importer's sizes (import.py); imported trees are not grown by the tree manager's goals.
    goalTreeSize: 0,
    maxDepth: 0,
    maxChildrenCount: 0,
    state,
    active: !isTerminalTreeState(state),
    origin: unit.origin ?? defaultOrigin,
    lang,
  };
}

/** Messages of the line without a `created_date` (their stored date is made up, see dataset_undated_messages). */
export function undatedRowsOf(unit: ImportUnit, messageTreeId: string): { messageId: string; messageTreeId: string }[] {
  return unit.messages.filter(({ node }) => !node.created_date).map(({ node }) => ({ messageId: node.message_id, messageTreeId }));
}

/** Emoji events of known users become message_emojis rows. */
export function emojiRowsOf(unit: ImportUnit, known: Set<string>) {
  return unit.messages.flatMap(({ node }) =>
    (node.events?.emoji ?? []).flatMap((event) => {
      const { user_id: userId, emoji } = event as { user_id?: unknown; emoji?: unknown };
      return typeof userId === "string" && known.has(userId) && typeof emoji === "string" && emoji.length <= 128
        ? [{ messageId: node.message_id, userId, emoji }]
        : [];
    }),
  );
}

/** The user ids a line mentions (authors and emoji events), whether or not they exist here. */
export function userIdsOf(unit: ImportUnit): string[] {
  const candidates = new Set<string>();
  for (const { node } of unit.messages) {
    if (node.user_id && UUID_PATTERN.test(node.user_id)) candidates.add(node.user_id);
    for (const event of node.events?.emoji ?? []) {
      if (typeof event.user_id === "string" && UUID_PATTERN.test(event.user_id)) candidates.add(event.user_id);
    }
  }
  return [...candidates];
}

/** Those of `ids` that are users of this database. */
export async function existingUsers(tx: Transaction, ids: string[]): Promise<Set<string>> {
  const found = new Set<string>();
  for (let i = 0; i < ids.length; i += LOOKUP_BATCH) {
    const rows = await tx.select({ id: users.id }).from(users).where(isAnyUuid(users.id, ids.slice(i, i + LOOKUP_BATCH)));
    for (const row of rows) found.add(row.id);
  }
  return found;
}

async function knownUsers(tx: Transaction, unit: ImportUnit): Promise<Set<string>> {
  return existingUsers(tx, userIdsOf(unit));
}

export type MessageRow = ReturnType<typeof messageRows>[number];

export function messageRows(unit: ImportUnit, parent: ParentRow | null, known: Set<string>, modelName?: string) {
  const treeId = parent?.messageTreeId ?? unit.messages[0]!.node.message_id;
  const baseDepth = parent ? parent.depth + 1 : 0;
  const liveChildren = new Map<string, number>();
  const langs = new Map<string, string>();
  for (const { node, parentId } of unit.messages) {
    if (parentId && !node.deleted) liveChildren.set(parentId, (liveChildren.get(parentId) ?? 0) + 1);
  }
  // Without dates in the file, messages get "now" plus their position in milliseconds: exports sort unranked
  // siblings by creation, so the file's order survives a round trip. Such a made-up date is recorded as unknown
  // (dataset_undated_messages) and never exported.
  const now = Date.now();
  return unit.messages.map(({ node, parentId, depth }, index) => {
    const lang = node.lang ?? (parentId ? langs.get(parentId) : parent?.lang) ?? "en";
    langs.set(node.message_id, lang);
    return {
      id: node.message_id,
      parentId,
      messageTreeId: treeId,
      userId: node.user_id && known.has(node.user_id) ? node.user_id : null,
      role: node.role,
      apiClientId: IMPORT_API_CLIENT_ID,
      frontendMessageId: node.message_id,
      // Kept as text and cast in SQL so microseconds survive (a JS Date keeps milliseconds only).
      createdDate: node.created_date ?? new Date(now + index).toISOString(),
      text: node.text,
      lang,
      depth: baseDepth + depth,
      childrenCount: liveChildren.get(node.message_id) ?? 0,
      deleted: node.deleted ?? false,
      reviewCount: node.review_count ?? 0,
      // The original importer marked everything accepted: right for curated files (no review counts at all),
      // wrong for our exports, which omit undecided results and rejections by fewer than three reviewers.
      reviewResult: node.review_result ?? (node.review_count === undefined || node.review_count === null ? true : null),
      rank: node.rank ?? null,
      // The original importer treats messages of unknown provenance as machine-generated.
      synthetic: node.synthetic ?? true,
      modelName: node.model_name ?? modelName ?? null,
      emojis: node.emojis ?? {},
    };
  });
}
