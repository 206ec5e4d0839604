import { index, pgTable, uuid } from "drizzle-orm/pg-core";
import { messages } from "./messages";

/**
 * Imported messages whose file gave no `created_date`. They still get a creation time in `messages` (the
 * platform sorts and ages by it), but that time was made up at import, so exports leave the field out: an
 * export never contains a value that neither the source nor the platform produced (issue 14).
 */
export const datasetUndatedMessages = pgTable(
  "dataset_undated_messages",
  {
    messageId: uuid()
      .primaryKey()
      .references(() => messages.id, { onDelete: "cascade" }),
    /** The exporter reads a page of trees at a time, so the rows are found by tree. */
    messageTreeId: uuid().notNull(),
  },
  (t) => [index("dataset_undated_messages_tree_idx").on(t.messageTreeId)],
);
