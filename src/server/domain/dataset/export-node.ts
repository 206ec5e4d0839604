import { type Anonymizer } from "./anonymizer";
import { type LabelAverages, type MessageEvents, type ReplyStrength } from "./export-extras";

/** Four decimals: the intervals are far wider than that. */
export const roundStrength = (value: number) => Math.round(value * 10_000) / 10_000;
import { type ExportMessageRow } from "./export-queries";
import { type ExportMessageNode } from "./oasst-schema";

/** Builds oasst ExportMessageNodes from rows (port of OA `backend/oasst_backend/utils/tree_export.py`). */
export type NodeContext = {
  anonymizer: Anonymizer;
  labels?: Map<string, LabelAverages>;
  events?: Map<string, MessageEvents>;
  /** Bradley–Terry strengths by message id (export-extras.ts `fetchStrengths`). */
  strengths?: Map<string, ReplyStrength>;
};

/** Drops null and undefined fields: the backend writer serialised with `exclude_none=True`. */
export function withoutNulls<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, field]) => field !== null && field !== undefined)) as T;
}

export function anonymizeEvents(events: MessageEvents | undefined, anonymizer: Anonymizer): MessageEvents | undefined {
  if (!events) return undefined;
  const result: MessageEvents = {};
  if (events.emoji) result.emoji = events.emoji.map((event) => ({ ...event, user_id: anonymizer.user(event.user_id) }));
  if (events.ranking) {
    result.ranking = events.ranking.map((event) =>
      withoutNulls({
        ...event,
        user_id: anonymizer.user(event.user_id),
        ranked_message_ids: event.ranked_message_ids.map(anonymizer.message),
        ranking_parent_id: event.ranking_parent_id && anonymizer.message(event.ranking_parent_id),
        // A tree id is its root's message id; both get the same pseudonym (anonymizer.ts).
        message_tree_id: event.message_tree_id && anonymizer.message(event.message_tree_id),
      }),
    );
  }
  return result;
}

/**
 * One node without replies; fields in the order of OA `oasst_data/schemas.py`. `review_result` is emitted only when
 * it is true or at least three reviews decided it (tree_export.py), so a rejection by too few reviewers stays
 * undecided in the dataset.
 */
export function toExportNode(
  row: ExportMessageRow,
  context: NodeContext,
  flat?: { treeState: string | null },
): ExportMessageNode {
  const { anonymizer } = context;
  const labels = context.labels?.get(row.id);
  const strength = context.strengths?.get(row.id);
  return withoutNulls<ExportMessageNode>({
    message_id: anonymizer.message(row.id),
    parent_id: row.parentId && anonymizer.message(row.parentId),
    user_id: row.userId && anonymizer.user(row.userId),
    created_date: row.createdDate,
    text: row.text,
    role: row.role,
    lang: row.lang,
    review_count: row.reviewCount,
    review_result: row.reviewResult || row.reviewCount > 2 ? row.reviewResult : null,
    deleted: row.deleted,
    rank: row.rank,
    consensus_strength: strength ? roundStrength(strength.strength) : null,
    consensus_strength_ci: strength ? [roundStrength(strength.lower), roundStrength(strength.upper)] : null,
    synthetic: row.synthetic,
    model_name: row.modelName,
    // The original stored no emojis as NULL; ours is `{}`, which stays out of the file the same way.
    emojis: Object.keys(row.emojis).length > 0 ? row.emojis : null,
    labels: labels && Object.keys(labels).length > 0 ? labels : null,
    events: anonymizeEvents(context.events?.get(row.id), anonymizer) as ExportMessageNode["events"],
    // Flat rows carry their tree (as the HF dataset rows do) so that a message file can be imported again.
    message_tree_id: flat ? anonymizer.message(row.messageTreeId) : null,
    tree_state: flat?.treeState ?? null,
  });
}

/** Children of every message, best rank first and unranked last, ties in query (creation) order (stable sort). */
export function childrenByParent(rows: ExportMessageRow[]): Map<string, ExportMessageRow[]> {
  const children = new Map<string, ExportMessageRow[]>();
  for (const row of rows) {
    if (!row.parentId) continue;
    const siblings = children.get(row.parentId) ?? [];
    siblings.push(row);
    children.set(row.parentId, siblings);
  }
  for (const siblings of children.values()) {
    siblings.sort((a, b) => (a.rank ?? Number.POSITIVE_INFINITY) - (b.rank ?? Number.POSITIVE_INFINITY));
  }
  return children;
}

/** The nested tree below `root`; messages whose parent was filtered out are not reachable and drop out. */
export function buildNestedNode(
  root: ExportMessageRow,
  children: Map<string, ExportMessageRow[]>,
  context: NodeContext,
): ExportMessageNode {
  const node = toExportNode(root, context);
  const replies = (children.get(root.id) ?? []).map((child) => buildNestedNode(child, children, context));
  // `replies` goes after `emojis`, before `labels`/`events` (schema order); `[]` marks a leaf.
  const { labels, events, ...head } = node;
  return withoutNulls({ ...head, replies, labels, events });
}

/**
 * Messages in depth-first reading order (each parent before its replies). Messages whose parent is not in `rows`
 * start their own walk, so a filtered message list keeps every row and still lists parents first.
 */
export function depthFirst(rows: ExportMessageRow[]): ExportMessageRow[] {
  const present = new Set(rows.map((row) => row.id));
  const children = childrenByParent(rows);
  const starts = rows.filter((row) => !row.parentId || !present.has(row.parentId));
  const ordered: ExportMessageRow[] = [];
  const stack = [...starts].reverse();
  while (stack.length > 0) {
    const row = stack.pop()!;
    ordered.push(row);
    const replies = children.get(row.id) ?? [];
    for (let i = replies.length - 1; i >= 0; i--) stack.push(replies[i]!);
  }
  return ordered;
}
