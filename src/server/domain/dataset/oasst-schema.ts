import { z } from "zod";

/**
 * The oasst export format (spec backend §6.1): one JSON object per line. Optional fields are omitted when null.
 * These schemas validate what we read; the exporter writes the same shapes.
 */
export const ZExportMessageNode: z.ZodType<ExportMessageNode> = z.lazy(() =>
  z.object({
    message_id: z.string().min(1),
    parent_id: z.string().min(1).nullish(),
    user_id: z.string().nullish(),
    created_date: z.iso.datetime({ offset: true, local: true }).nullish(),
    text: z.string(),
    role: z.enum(["prompter", "assistant"]),
    lang: z.string().max(32).nullish(),
    review_count: z.number().int().min(0).nullish(),
    review_result: z.boolean().nullish(),
    deleted: z.boolean().nullish(),
    rank: z.number().int().min(0).nullish(),
    consensus_strength: z.number().nullish(),
    consensus_strength_ci: z.tuple([z.number(), z.number()]).nullish(),
    synthetic: z.boolean().nullish(),
    model_name: z.string().nullish(),
    emojis: z.record(z.string(), z.number().int()).nullish(),
    replies: z.array(ZExportMessageNode).nullish(),
    labels: z.record(z.string(), z.object({ value: z.number().nullable().optional(), count: z.number().int() })).nullish(),
    events: z.record(z.string(), z.array(z.record(z.string(), z.unknown()))).nullish(),
    detoxify: z.record(z.string(), z.number()).nullish(),
    message_tree_id: z.string().nullish(),
    tree_state: z.string().nullish(),
  }),
);

export type ExportMessageNode = {
  message_id: string;
  parent_id?: string | null;
  user_id?: string | null;
  created_date?: string | null;
  text: string;
  role: "prompter" | "assistant";
  lang?: string | null;
  review_count?: number | null;
  review_result?: boolean | null;
  deleted?: boolean | null;
  rank?: number | null;
  /**
   * Our addition (issue 14), optional so that the format stays valid for old readers, which ignore it: the
   * reply's Bradley–Terry strength among its ranked siblings (natural log, centred per sibling group) and its
   * 95 % bootstrap interval, from the quality job (src/server/domain/quality). Absent when not computed.
   */
  consensus_strength?: number | null;
  consensus_strength_ci?: [number, number] | null;
  synthetic?: boolean | null;
  model_name?: string | null;
  emojis?: Record<string, number> | null;
  replies?: ExportMessageNode[] | null;
  labels?: Record<string, { value?: number | null; count: number }> | null;
  events?: Record<string, Record<string, unknown>[]> | null;
  detoxify?: Record<string, number> | null;
  message_tree_id?: string | null;
  tree_state?: string | null;
};

export const ZExportMessageTree = z.object({
  message_tree_id: z.string().min(1),
  tree_state: z.string().nullish(),
  prompt: ZExportMessageNode.nullish(),
  origin: z.string().nullish(),
});
export type ExportMessageTree = z.infer<typeof ZExportMessageTree>;
