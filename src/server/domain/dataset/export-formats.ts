import type { DbOrTx } from "@/server/db/client";
import { type ExportFilters, resolveExportFilters } from "./export-filters";
import { exportJudgements } from "./export-judgements";
import { exportMessages } from "./export-messages";
import { exportPreferencePairs } from "./export-pairs";
import { countExportTrees } from "./export-queries";
import { exportSftThreads, trainingFilters } from "./export-sft";
import { type ExportHooks, exportTrees } from "./export-trees";

/** The export formats: oasst trees, oasst flat messages, SFT threads, preference pairs, raw judgements. */
export const EXPORT_FORMATS = ["trees", "messages", "sft", "pairs", "judgements"] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export function exportLines(db: DbOrTx, format: ExportFormat, filters: ExportFilters, hooks: ExportHooks = {}): AsyncGenerator<string> {
  switch (format) {
    case "trees":
      return exportTrees(db, filters, hooks);
    case "messages":
      return exportMessages(db, filters, hooks);
    case "sft":
      return exportSftThreads(db, filters, hooks);
    case "pairs":
      return exportPreferencePairs(db, filters, hooks);
    case "judgements":
      return exportJudgements(db, filters, hooks);
  }
}

/** How many trees an export will read (the unit of ExportHooks.onTrees), for a progress bar. */
export function countTreesToRead(db: DbOrTx, format: ExportFormat, filters: ExportFilters): Promise<number> {
  if (format === "messages") return countExportTrees(db, resolveExportFilters(filters), "messages");
  return countExportTrees(db, format === "trees" || format === "judgements" ? resolveExportFilters(filters) : trainingFilters(filters), "trees");
}
