import { sql } from "drizzle-orm";
import type { DbOrTx } from "@/server/db/client";
import { type EmbeddingsConfig, embeddingsConfigFromEnv, embedText } from "./client";

export type NearDuplicate = { messageId: string; text: string; similarity: number };

/** Newest prompts compared per check: bounds the cost without pgvector (the column is a plain `real[]`). */
export const NEAR_DUPLICATE_SCAN_LIMIT = 20_000;
const MAX_MATCHES = 5;

/**
 * Prompts of the language whose embedding is close to `text` (cosine similarity ≥ the configured threshold), best
 * first, so the submit form can warn "this looks like an existing prompt" before a contributor sends it. Live,
 * non-rejected initial prompts only. Embeds `text` with the configured endpoint and compares in SQL against the
 * newest `NEAR_DUPLICATE_SCAN_LIMIT` prompt embeddings of the same model; an empty list when embeddings are off.
 */
export async function findNearDuplicatePrompts(
  db: DbOrTx,
  text: string,
  lang: string,
  config: EmbeddingsConfig | null = embeddingsConfigFromEnv(),
): Promise<NearDuplicate[]> {
  if (!config || text.trim().length === 0) return [];
  const vector = await embedText(config, text.trim());
  // Sent as one array literal: drizzle would expand a JS array into a list of parameters.
  const query = `{${vector.map((x) => (Number.isFinite(x) ? x : 0)).join(",")}}`;
  const rows = await db.execute<{ id: string; text: string; similarity: number }>(sql`
    with candidates as (
      select m.id, m.text, e.embedding from message_embeddings e join messages m on m.id = e.message_id
      where e.model = ${config.model} and m.parent_id is null and not m.deleted and m.review_result is not false
        and m.lang = ${lang}
      order by m.created_date desc limit ${NEAR_DUPLICATE_SCAN_LIMIT}
    ),
    scored as (
      select c.id, c.text, (
        select sum(a * b) / nullif(sqrt(sum(a * a)) * sqrt(sum(b * b)), 0)
        from unnest(c.embedding, ${query}::real[]) as pair(a, b)
      ) as similarity
      from candidates c
    )
    select id, text, similarity from scored where similarity >= ${config.nearDuplicateThreshold}
    order by similarity desc limit ${MAX_MATCHES}`);
  return rows.map((row) => ({ messageId: row.id, text: row.text, similarity: Number(row.similarity) }));
}

export type SimilarPrompts = { enabled: boolean; threshold: number | null; matches: NearDuplicate[] };

/**
 * The submit-time check behind `stats.similarPrompts`: a warning is a nicety, so an embeddings endpoint that is
 * down answers "not available" instead of failing the contributor's form.
 */
export async function similarPromptsFor(
  db: DbOrTx,
  text: string,
  lang: string,
  config: EmbeddingsConfig | null = embeddingsConfigFromEnv(),
): Promise<SimilarPrompts> {
  if (!config) return { enabled: false, threshold: null, matches: [] };
  try {
    return { enabled: true, threshold: config.nearDuplicateThreshold, matches: await findNearDuplicatePrompts(db, text, lang, config) };
  } catch (error) {
    console.warn("[embeddings] near-duplicate check failed:", (error as Error).message);
    return { enabled: false, threshold: config.nearDuplicateThreshold, matches: [] };
  }
}
