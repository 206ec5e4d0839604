import { z } from "zod";
import { TREE_STATES } from "@/server/db/schema";
import { AppError } from "@/server/errors";
import type { ExportFilters } from "./export-filters";
import { EXPORT_FORMATS, type ExportFormat } from "./export-formats";

const ZFlag = z.enum(["exclude", "include", "only"]).optional();
const ZCheckbox = z.enum(["on", "true", "1", "false", "0", ""]).optional().transform((value) => value === "on" || value === "true" || value === "1");
// An empty date field of the form means "no bound".
const ZDate = z.union([z.iso.date(), z.literal("")]).optional().transform((value) => (value ? new Date(`${value}T00:00:00Z`) : undefined));

/** The download form's query string (the same filters as `npm run dataset -- export`). */
export const ZExportRequest = z.object({
  format: z.enum(EXPORT_FORMATS).default("trees"),
  state: z.array(z.union([z.enum(TREE_STATES), z.literal("all")])).default(["ready_for_export"]),
  lang: z.string().trim().max(32).optional().transform((value) => value || undefined),
  deleted: ZFlag,
  spam: ZFlag,
  synthetic: ZFlag,
  userId: z.union([z.uuid(), z.literal("")]).optional().transform((value) => value || undefined),
  from: ZDate,
  to: ZDate,
  promptsOnly: ZCheckbox,
  labels: ZCheckbox,
  events: ZCheckbox,
  limit: z.union([z.coerce.number().int().min(1).max(10_000_000), z.literal("")]).optional().transform((value) => (value === "" ? undefined : value)),
  anonymize: z.string().trim().max(128).optional().transform((value) => value || undefined),
  gzip: ZCheckbox,
});

export type ExportRequest = { format: ExportFormat; filters: ExportFilters; gzip: boolean };

/** Reads a query string into an export request; a bad value is a typed error naming the field. */
export function parseExportRequest(params: URLSearchParams): ExportRequest {
  const raw: Record<string, unknown> = Object.fromEntries(params.entries());
  raw.state = params.getAll("state").filter(Boolean);
  if ((raw.state as string[]).length === 0) delete raw.state;
  const parsed = ZExportRequest.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new AppError("INVALID_INPUT", `${issue.path.join(".") || "request"}: ${issue.message}`);
  }
  const request = parsed.data;
  return {
    format: request.format,
    gzip: request.gzip,
    filters: {
      states: request.state.includes("all") ? "all" : (request.state as Exclude<(typeof request.state)[number], "all">[]),
      lang: request.lang,
      deleted: request.deleted,
      spam: request.spam,
      synthetic: request.synthetic,
      userId: request.userId,
      createdFrom: request.from,
      createdTo: request.to,
      promptsOnly: request.promptsOnly,
      labels: request.labels,
      events: request.events,
      limit: request.limit,
      anonymizerSeed: request.anonymize,
    },
  };
}

export function exportFileName(request: ExportRequest, now = new Date()): string {
  return `oasst-${request.format}-${now.toISOString().slice(0, 10)}.jsonl${request.gzip ? ".gz" : ""}`;
}
