import type { Database } from "@/server/db/client";
import type { EmbeddingsConfig } from "@/server/domain/embeddings/client";
import type { ToxicityConfig } from "@/server/domain/toxicity/client";
import { testTreeDeps } from "@/test/factories";
import type { JobDeps } from "./job";

/** Test support: job dependencies on a test database, with model endpoints at a local fake server (or off). */
export function testJobDeps(db: Database, models: { url?: string; toxicity?: Partial<ToxicityConfig> | null; embeddings?: Partial<EmbeddingsConfig> | null } = {}): JobDeps {
  const toxicity: ToxicityConfig | null = models.url && models.toxicity !== null
    ? { url: `${models.url}/models`, model: "unitary/multilingual-toxic-xlm-roberta", flagThreshold: 0.9, ...models.toxicity }
    : null;
  const embeddings: EmbeddingsConfig | null = models.url && models.embeddings !== null
    ? { provider: "openai", url: `${models.url}/v1`, model: "test-embedder", nearDuplicateThreshold: 0.9, ...models.embeddings }
    : null;
  const treeDeps = testTreeDeps();
  return { db: () => db, toxicity: () => toxicity, embeddings: () => embeddings, treeDeps: () => treeDeps };
}

const quiet = () => undefined;
/** A logger for tests that expect failures (the SDK logs every failed step). */
export const silentLogger = { info: quiet, warn: quiet, error: quiet, debug: quiet };
