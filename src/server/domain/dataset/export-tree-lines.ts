import { and, asc, eq, gt, lte, type SQL, sql } from "drizzle-orm";
import { type AnyPgColumn } from "drizzle-orm/pg-core";
import type { DbOrTx } from "@/server/db/client";
import { datasetUndatedMessages, messages, messageTreeStates, type TreeState } from "@/server/db/schema";
import { type Anonymizer } from "./anonymizer";
import { fetchEvents, fetchLabelAverages, fetchStrengths, type LabelAverages, type MessageEvents, type ReplyStrength } from "./export-extras";
import { type ResolvedExportFilters } from "./export-filters";
import { anonymizeEvents, roundStrength } from "./export-node";
import { messageConditions, root, treeConditions } from "./export-queries";

/**
 * The tree exporter's fast path: PostgreSQL writes each message's JSON fields (text escaping, date formatting,
 * the review rule) in the one ordered query that reads a page of trees, and JS only nests the pieces by
 * concatenating strings. The output is byte for byte what building ExportMessageNode objects and JSON.stringify
 * gave (export-node.ts, kept for the other formats; the equivalence test compares both on every filter):
 * - PostgreSQL's `to_json(text)` escapes exactly the characters JSON.stringify escapes (`"`, `\`, and the control
 *   characters below U+0020, as \b \f \n \r \t or lowercase \u00xx); PostgreSQL text holds no lone surrogates;
 * - fields whose form depends on JS (ids through the anonymizer, rounded strengths, emojis, labels, events) are
 *   still written by JSON.stringify.
 */

/** One selected message: its id fields raw, the rest as ready-made `"field":value` segments. */
type NodeRow = {
  id: string;
  parent_id: string | null;
  message_tree_id: string;
  user_id: string | null;
  rank: number | null;
  /** The stored date as ISO-8601 text with microseconds (PostgreSQL's formatting: no precision lost in JS). */
  created: string;
  /** The stored date was made up at import (dataset_undated_messages): it is not exported. */
  undated: boolean;
  /** `"text":…,"role":…,"lang":…,"review_count":…[,"review_result":…],"deleted":…[,"rank":…]` */
  middle: string;
  /** `"synthetic":…[,"model_name":…]` */
  tail: string;
  /** The emoji counts as jsonb text, or null for `{}`. */
  emojis: string | null;
  /** On the root's row only: the tree's state and origin. */
  tree_state: TreeState | null;
  origin: string | null;
};

export type TreeLinePage = {
  /** Trees of the page that passed the filters, in id order, each with its rows oldest first. */
  trees: { messageTreeId: string; state: TreeState; origin: string | null; rows: NodeRow[] }[];
  labels?: Map<string, LabelAverages>;
  events?: Map<string, MessageEvents>;
  strengths: Map<string, ReplyStrength>;
  /** Where the next page starts; null after the last one. */
  lastScanned: string | null;
};

/** `"key":` followed by the value as JSON, or NULL when the value is NULL (concat_ws then leaves it out). */
const field = (key: string, value: SQL) => sql`${sql.raw(`'"${key}":'`)} || ${value}`;

/** The next page's key range: up to `pageSize` tree ids after `after`; null when none is left. */
export async function nextTreeRange(
  db: DbOrTx,
  pageSize: number,
  after: string | null,
): Promise<{ after: string | null; last: string; lastScanned: string | null } | null> {
  const slice = await db
    .select({ id: messageTreeStates.messageTreeId })
    .from(messageTreeStates)
    .where(after ? gt(messageTreeStates.messageTreeId, after) : undefined)
    .orderBy(asc(messageTreeStates.messageTreeId))
    .limit(pageSize);
  if (slice.length === 0) return null;
  const last = slice[slice.length - 1]!.id;
  return { after, last, lastScanned: slice.length < pageSize ? null : last };
}

/** Loads a page: the trees of the key range that pass the filters, with their selected messages as segments. */
export async function fetchTreeLinePage(
  db: DbOrTx,
  f: ResolvedExportFilters,
  range: { after: string | null; last: string; lastScanned: string | null },
): Promise<TreeLinePage> {
  const { after, last, lastScanned } = range;
  // The page is the key range (after, last]: every statement below reads it as a range of its tree index (an
  // `= any(ids)` list made the planner scan whole tables, growing with the database).
  const inPage = (column: AnyPgColumn) => and(after ? gt(column, after) : undefined, lte(column, last))!;
  const m = messages;
  const isRoot = sql`${m.id} = ${messageTreeStates.messageTreeId}`;
  // Made-up dates (imported without one) are not exported; the page's are looked up once (a hashed subplan).
  const undated = sql`${m.id} in (select ${datasetUndatedMessages.messageId} from ${datasetUndatedMessages}
    where ${inPage(datasetUndatedMessages.messageTreeId)})`;
  // No ORDER BY: sorting whole pages of wide rows spilled to disk; each tree's dozen rows are sorted in JS.
  const rows = (await db
    .select({
      id: m.id,
      parent_id: m.parentId,
      message_tree_id: m.messageTreeId,
      user_id: m.userId,
      rank: m.rank,
      created: sql<string>`to_char(${m.createdDate} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"+00:00"')`,
      undated: sql<boolean>`${undated}`,
      middle: sql<string>`concat_ws(',',
        ${field("text", sql`to_json(${m.text})::text`)},
        ${field("role", sql`to_json(${m.role}::text)::text`)},
        ${field("lang", sql`to_json(${m.lang})::text`)},
        ${field("review_count", sql`${m.reviewCount}::text`)},
        ${field("review_result", sql`(case when ${m.reviewResult} or ${m.reviewCount} > 2 then ${m.reviewResult} end)::text`)},
        ${field("deleted", sql`${m.deleted}::text`)},
        ${field("rank", sql`${m.rank}::text`)})`,
      tail: sql<string>`concat_ws(',', ${field("synthetic", sql`${m.synthetic}::text`)}, ${field("model_name", sql`to_json(${m.modelName})::text`)})`,
      emojis: sql<string | null>`case when ${m.emojis} <> '{}'::jsonb then ${m.emojis}::text end`,
      tree_state: sql<TreeState | null>`case when ${isRoot} then ${messageTreeStates.state}::text end`,
      origin: sql<string | null>`case when ${isRoot} then ${messageTreeStates.origin} end`,
    })
    .from(messageTreeStates)
    .innerJoin(root, eq(root.id, messageTreeStates.messageTreeId))
    .innerJoin(m, eq(m.messageTreeId, messageTreeStates.messageTreeId))
    .where(
      and(
        inPage(messageTreeStates.messageTreeId),
        inPage(m.messageTreeId),
        ...treeConditions(db, f, "trees"),
        ...messageConditions(m, f, "trees", false),
      ),
    )) as NodeRow[];

  const byTree = new Map<string, TreeLinePage["trees"][number]>();
  for (const row of rows) {
    let tree = byTree.get(row.message_tree_id);
    if (!tree) {
      tree = { messageTreeId: row.message_tree_id, state: "ready_for_export", origin: null, rows: [] };
      byTree.set(row.message_tree_id, tree);
    }
    if (row.id === row.message_tree_id) {
      tree.state = row.tree_state!;
      tree.origin = row.origin;
    }
    tree.rows.push(row);
  }
  // Tree id order, and within a tree oldest first, ties by id: the order of the other formats' ORDER BY. The
  // date text has a fixed width and uuids compare as their lowercase hex text, as in PostgreSQL.
  const trees = [...byTree.values()].sort((a, b) => compareText(a.messageTreeId, b.messageTreeId));
  for (const tree of trees) tree.rows.sort((a, b) => compareText(a.created, b.created) || compareText(a.id, b.id));
  const treeIds = trees.map((tree) => tree.messageTreeId);
  return {
    trees,
    lastScanned,
    labels: f.labels && treeIds.length > 0 ? await fetchLabelAverages(db, treeIds) : undefined,
    events: f.events && treeIds.length > 0 ? await fetchEvents(db, treeIds) : undefined,
    strengths: await fetchStrengths(db, treeIds),
  };
}

const quote = (id: string) => `"${id}"`;

const compareText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * The line of one tree of `page`, or null when its prompt is not among the rows. Field order and omissions as
 * export-node.ts `buildNestedNode`: OA schema order, null fields left out, `replies` after `emojis` and before
 * `labels`/`events`, `[]` on a leaf; siblings best rank first, unranked last, ties oldest first.
 */
export function treeLine(
  tree: TreeLinePage["trees"][number],
  page: TreeLinePage,
  anonymizer: Anonymizer,
  promptsOnly: boolean,
): string | null {
  const rootRow = tree.rows.find((row) => row.id === tree.messageTreeId);
  if (!rootRow) return null;
  const children = new Map<string, NodeRow[]>();
  if (!promptsOnly) {
    for (const row of tree.rows) {
      if (!row.parent_id) continue;
      const siblings = children.get(row.parent_id);
      if (siblings) siblings.push(row);
      else children.set(row.parent_id, [row]);
    }
    for (const siblings of children.values()) {
      if (siblings.length > 1) siblings.sort((a, b) => (a.rank ?? Number.POSITIVE_INFINITY) - (b.rank ?? Number.POSITIVE_INFINITY));
    }
  }
  const node = (row: NodeRow): string => {
    let text = `{"message_id":${quote(anonymizer.message(row.id))}`;
    if (row.parent_id) text += `,"parent_id":${quote(anonymizer.message(row.parent_id))}`;
    if (row.user_id) text += `,"user_id":${quote(anonymizer.user(row.user_id))}`;
    if (!row.undated) text += `,"created_date":"${row.created}"`;
    text += `,${row.middle}`;
    const strength = page.strengths.get(row.id);
    if (strength) {
      text += `,"consensus_strength":${JSON.stringify(roundStrength(strength.strength))}`;
      text += `,"consensus_strength_ci":${JSON.stringify([roundStrength(strength.lower), roundStrength(strength.upper)])}`;
    }
    text += `,${row.tail}`;
    if (row.emojis !== null) {
      const emojis = JSON.parse(row.emojis) as Record<string, number>;
      if (Object.keys(emojis).length > 0) text += `,"emojis":${JSON.stringify(emojis)}`;
    }
    if (!promptsOnly) {
      const replies = children.get(row.id);
      text += `,"replies":[${replies ? replies.map(node).join(",") : ""}]`;
    }
    const labels = page.labels?.get(row.id);
    if (labels && Object.keys(labels).length > 0) text += `,"labels":${JSON.stringify(labels)}`;
    const events = anonymizeEvents(page.events?.get(row.id), anonymizer);
    if (events) text += `,"events":${JSON.stringify(events)}`;
    return `${text}}`;
  };
  let line = `{"message_tree_id":${quote(anonymizer.message(tree.messageTreeId))},"tree_state":${JSON.stringify(tree.state)}`;
  line += `,"prompt":${node(rootRow)}`;
  if (tree.origin !== null) line += `,"origin":${JSON.stringify(tree.origin)}`;
  return `${line}}`;
}

/** Pages loaded at once ahead of the one being written: the load is PostgreSQL's, so two keep two cores busy. */
const PAGES_IN_FLIGHT = 2;

/**
 * Pages of trees in key order. The ranges are found one after another (a short index-only read each) and the
 * pages behind them loaded PAGES_IN_FLIGHT at a time, on separate connections of the pool; memory stays at a few
 * pages. Not one transaction and no long cursor: on the embedded server either would block every writer for the
 * whole export, and key ranges already tolerate concurrent inserts.
 */
export async function* treeLinePages(db: DbOrTx, filters: ResolvedExportFilters): AsyncGenerator<TreeLinePage> {
  const loading: Promise<TreeLinePage>[] = [];
  let after: string | null = null;
  let done = false;
  const fill = async () => {
    while (!done && loading.length < PAGES_IN_FLIGHT) {
      const range = await nextTreeRange(db, filters.pageSize, after);
      if (!range) {
        done = true;
        break;
      }
      loading.push(fetchTreeLinePage(db, filters, range));
      after = range.last;
      if (range.lastScanned === null) done = true;
    }
  };
  try {
    await fill();
    while (loading.length > 0) {
      const page = await loading.shift()!;
      await fill();
      if (page.trees.length > 0) yield page;
    }
  } finally {
    // A caller that stops early (a limit) leaves loaded pages unread; their failures must not go unhandled.
    for (const page of loading) page.catch(() => undefined);
  }
}
