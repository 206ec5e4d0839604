import { createHash, randomBytes } from "node:crypto";
import { desc, eq } from "drizzle-orm";
import type { DbOrTx } from "@/server/db/client";
import { apiClients } from "@/server/db/schema";
import { AppError } from "@/server/errors";

export type ApiClientRow = typeof apiClients.$inferSelect;

const KEY_PREFIX = "oak_";

export function hashApiKey(key: string): string {
  return createHash("sha256").update(key, "utf8").digest("hex");
}

/**
 * Resolves the client behind an `x-api-key` header. A key that is unknown or belongs to a disabled client is
 * refused with the original's code 2 (API_CLIENT_NOT_AUTHORIZED), never silently ignored.
 */
export async function authenticateApiKey(db: DbOrTx, key: string): Promise<ApiClientRow> {
  const [client] = await db.select().from(apiClients).where(eq(apiClients.keyHash, hashApiKey(key.trim()))).limit(1);
  if (!client || !client.enabled) throw new AppError("API_CLIENT_NOT_AUTHORIZED", "The API key is not valid.");
  return client;
}

export type NewApiClient = { description: string; frontendType: string; trusted: boolean; adminEmail?: string | null };

/** Creates a client and returns its key; only a hash is stored, so the key is shown exactly once. */
export async function createApiClient(db: DbOrTx, input: NewApiClient): Promise<{ client: ApiClientRow; key: string }> {
  const key = `${KEY_PREFIX}${randomBytes(32).toString("hex")}`;
  const [client] = await db
    .insert(apiClients)
    .values({
      keyHash: hashApiKey(key),
      keyPrefix: key.slice(0, 12),
      description: input.description,
      frontendType: input.frontendType,
      trusted: input.trusted,
      adminEmail: input.adminEmail ?? null,
    })
    .returning();
  return { client: client!, key };
}

export async function listApiClients(db: DbOrTx): Promise<ApiClientRow[]> {
  return db.select().from(apiClients).orderBy(desc(apiClients.createdAt));
}

export async function setApiClientEnabled(db: DbOrTx, id: string, enabled: boolean): Promise<ApiClientRow> {
  const [client] = await db.update(apiClients).set({ enabled }).where(eq(apiClients.id, id)).returning();
  if (!client) throw new AppError("INVALID_INPUT", "This API client does not exist.");
  return client;
}
