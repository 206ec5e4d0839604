import { type TreeState } from "@/server/db/schema";
import { AppError } from "@/server/errors";

/** `exclude` (default), `include`, or `only` — the original's `--include-x` / `--x-only` flag pairs. */
export type FlagFilter = "exclude" | "include" | "only";

/**
 * What to export (port of OA `backend/export.py` arguments, spec backend §6.2). Defaults match the original:
 * trees in `ready_for_export`, accepted (`review_result = true`) non-deleted messages, and no tree that contains
 * a synthetic message.
 */
export type ExportFilters = {
  /** Tree states to export; `"all"` for every state. Default `["ready_for_export"]`. */
  states?: readonly TreeState[] | "all";
  /** Language of the tree's prompt. */
  lang?: string;
  deleted?: FlagFilter;
  /** `exclude` keeps accepted messages only, `include` any review result, `only` rejected ones. */
  spam?: FlagFilter;
  /** `exclude` drops trees containing any synthetic message, `only` keeps synthetic messages only. */
  synthetic?: FlagFilter;
  /**
   * Messages whose authors removed their accounts: `include` (default; the platform keeps their content, as the
   * original did) or `exclude` (dataset releases withdraw them, release.ts).
   */
  removedAuthors?: "include" | "exclude";
  /** Messages written by this user (message output only). */
  userId?: string;
  /** Created-date range, inclusive start, exclusive end: of the prompt for tree output, of each message otherwise. */
  createdFrom?: Date;
  createdTo?: Date;
  /** Prompts only: trees without replies, or root messages only. */
  promptsOnly?: boolean;
  /** Average label values per message, from text_labels. */
  labels?: boolean;
  /** Emoji and ranking events per message. */
  events?: boolean;
  /** Maximum number of lines (trees, messages, threads or pairs). */
  limit?: number;
  /** Replaces message and user ids with stable pseudonyms (see anonymizer.ts). */
  anonymizerSeed?: string | number;
  /** Trees loaded per query; memory use is proportional to one page. */
  pageSize?: number;
};

export type ResolvedExportFilters = Required<
  Pick<ExportFilters, "states" | "deleted" | "spam" | "synthetic" | "promptsOnly" | "labels" | "events" | "pageSize">
> &
  Omit<ExportFilters, "states" | "deleted" | "spam" | "synthetic" | "promptsOnly" | "labels" | "events" | "pageSize">;

export const DEFAULT_PAGE_SIZE = 1000;

export function resolveExportFilters(filters: ExportFilters = {}): ResolvedExportFilters {
  const resolved: ResolvedExportFilters = {
    ...filters,
    states: filters.states ?? ["ready_for_export"],
    deleted: filters.deleted ?? "exclude",
    spam: filters.spam ?? "exclude",
    synthetic: filters.synthetic ?? "exclude",
    promptsOnly: filters.promptsOnly ?? false,
    labels: filters.labels ?? false,
    events: filters.events ?? false,
    pageSize: filters.pageSize ?? DEFAULT_PAGE_SIZE,
  };
  if (resolved.limit !== undefined && (!Number.isInteger(resolved.limit) || resolved.limit < 0)) {
    throw new AppError("INVALID_INPUT", `limit must be a non-negative integer, not ${resolved.limit}`);
  }
  if (!Number.isInteger(resolved.pageSize) || resolved.pageSize < 1) {
    throw new AppError("INVALID_INPUT", `pageSize must be a positive integer, not ${resolved.pageSize}`);
  }
  if (resolved.states !== "all" && resolved.states.length === 0) {
    throw new AppError("INVALID_INPUT", "states must name at least one tree state (or be \"all\")");
  }
  return resolved;
}

/**
 * The filters that select single messages rather than whole trees; with any of them the original switched to
 * message-list output (spec §6.2). Our tree exporter refuses them instead of silently changing format.
 */
export function messageOnlyFilters(filters: ExportFilters): string[] {
  const found: string[] = [];
  if (filters.userId) found.push("user");
  if (filters.deleted === "only") found.push("deleted only");
  if (filters.spam === "only") found.push("spam only");
  if (filters.synthetic === "only") found.push("synthetic only");
  return found;
}
