import { asc, eq, inArray, sql } from "drizzle-orm";
import type { DbOrTx } from "@/server/db/client";
import { messageReactions, messages, textLabels } from "@/server/db/schema";
import { AppError } from "@/server/errors";
import { createAnonymizer } from "./anonymizer";
import { type ExportFilters, messageOnlyFilters, resolveExportFilters } from "./export-filters";
import { exportPages } from "./export-pages";
import { type ExportHooks } from "./export-trees";

/**
 * Raw judgements (`--format judgements`, issue 14): one line per individual label set and per ranking of the
 * selected trees, so a trainer can apply their own aggregation. Raters are pseudonyms that stay the same across
 * exports made with the same `--anonymizer-seed` (and match `user_id`s of a tree export with that seed); the seed
 * is required, so raw judgements never name accounts. Message ids go through the same anonymizer.
 *
 *   {"type":"label","message_id","message_tree_id","rater_id","created_date","task":true,"labels":{"spam":0,…}}
 *   {"type":"ranking","parent_id","message_tree_id","rater_id","created_date","ranked_message_ids":[…],"not_rankable":false}
 */
export type LabelJudgement = {
  type: "label";
  message_id: string;
  message_tree_id: string;
  rater_id: string;
  created_date: string;
  /** true for a review task's labels, false for free labelling and reports. */
  task: boolean;
  labels: Record<string, number>;
};

export type RankingJudgement = {
  type: "ranking";
  parent_id: string;
  message_tree_id: string;
  rater_id: string;
  created_date: string;
  ranked_message_ids: string[];
  not_rankable: boolean;
};

const isoDate = (column: typeof textLabels.createdDate | typeof messageReactions.createdDate) =>
  sql<string>`to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"+00:00"')`;

export async function* exportJudgements(db: DbOrTx, input: ExportFilters = {}, hooks: ExportHooks = {}): AsyncGenerator<string> {
  const rejected = messageOnlyFilters(input);
  if (rejected.length > 0) throw new AppError("INVALID_INPUT", `${rejected.join(", ")} select single messages, not judgements of trees`);
  if (!input.anonymizerSeed) {
    throw new AppError("INVALID_INPUT", "raw judgements are exported with pseudonymous raters only: give an anonymizer seed");
  }
  const filters = resolveExportFilters(input);
  const anonymizer = createAnonymizer(filters.anonymizerSeed);
  const limit = filters.limit ?? Number.POSITIVE_INFINITY;
  if (limit === 0) return;
  let written = 0;
  let read = 0;
  for await (const page of exportPages(db, filters, "trees")) {
    const treeIds = page.trees.map((tree) => tree.messageTreeId);
    // Only judgements of messages the export selected (deleted or spam messages stay out unless asked for).
    const selected = new Set([...page.messagesByTree.values()].flat().map((row) => row.id));
    const labels = await db
      .select({
        messageId: textLabels.messageId, treeId: messages.messageTreeId, userId: textLabels.userId,
        createdDate: isoDate(textLabels.createdDate), taskId: textLabels.taskId, labels: textLabels.labels,
      })
      .from(textLabels)
      .innerJoin(messages, eq(messages.id, textLabels.messageId))
      .where(inArray(messages.messageTreeId, treeIds))
      .orderBy(asc(messages.messageTreeId), asc(textLabels.createdDate), asc(textLabels.id));
    const rankings = await db
      .select({
        parentId: messageReactions.messageId, treeId: messages.messageTreeId, userId: messageReactions.userId,
        createdDate: isoDate(messageReactions.createdDate), payload: messageReactions.payload,
      })
      .from(messageReactions)
      .innerJoin(messages, eq(messages.id, messageReactions.messageId))
      .where(inArray(messages.messageTreeId, treeIds))
      .orderBy(asc(messages.messageTreeId), asc(messageReactions.createdDate), asc(messageReactions.userId));
    const lines: string[] = [];
    for (const row of labels) {
      if (!row.messageId || !selected.has(row.messageId)) continue;
      const line: LabelJudgement = {
        type: "label",
        message_id: anonymizer.message(row.messageId),
        message_tree_id: anonymizer.message(row.treeId),
        rater_id: anonymizer.user(row.userId),
        created_date: row.createdDate,
        task: row.taskId !== null,
        labels: row.labels,
      };
      lines.push(JSON.stringify(line));
    }
    for (const row of rankings) {
      if (!row.parentId || !selected.has(row.parentId) || row.payload.type !== "message_ranking") continue;
      const line: RankingJudgement = {
        type: "ranking",
        parent_id: anonymizer.message(row.parentId),
        message_tree_id: anonymizer.message(row.treeId),
        rater_id: anonymizer.user(row.userId),
        created_date: row.createdDate,
        ranked_message_ids: row.payload.rankedMessageIds.map(anonymizer.message),
        not_rankable: row.payload.notRankable,
      };
      lines.push(JSON.stringify(line));
    }
    for (const line of lines) {
      yield line;
      if (++written >= limit) return;
    }
    read += page.trees.length;
    hooks.onTrees?.(read);
  }
}
