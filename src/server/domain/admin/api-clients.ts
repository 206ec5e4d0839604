import { desc, eq, sql } from "drizzle-orm";
import type { DbOrTx } from "@/server/db/client";
import { apiClients, users } from "@/server/db/schema";
import { type ApiClientRow, createApiClient, type NewApiClient } from "@/server/domain/api-clients/keys";
import { recordModerationEvent } from "@/server/domain/moderation/journal";
import { AppError } from "@/server/errors";
import { RATE_LIMIT_POLICIES } from "@/server/ratelimit/policies";

export type ApiClientWithUsage = ApiClientRow & { users: number; lastUsedAt: Date | null };

/** Clients newest first, with how many users they act for and when one of those users was last active. */
export async function listApiClientsWithUsage(db: DbOrTx): Promise<ApiClientWithUsage[]> {
  const rows = await db
    .select({
      client: apiClients,
      users: sql<number>`count(${users.id})::int`,
      lastUsedAt: sql<string | null>`max(${users.lastActivityDate})`,
    })
    .from(apiClients)
    .leftJoin(users, eq(users.apiClientId, apiClients.id))
    .groupBy(apiClients.id)
    .orderBy(desc(apiClients.createdAt));
  return rows.map((row) => ({ ...row.client, users: row.users, lastUsedAt: row.lastUsedAt ? new Date(row.lastUsedAt) : null }));
}

/** The per-client rate limit every key gets (`apiClient` policy). */
export const apiClientRateLimit = () => ({ attempts: RATE_LIMIT_POLICIES.apiClient.attempts, window: RATE_LIMIT_POLICIES.apiClient.window });

/** Creates a client and journals who did it (never the key, which exists only in the response). */
export async function createApiClientAsAdmin(db: DbOrTx, actorId: string, input: NewApiClient) {
  return db.transaction(async (tx) => {
    const created = await createApiClient(tx, input);
    await recordModerationEvent(tx, actorId, "admin_create_api_client", {
      payload: { apiClientId: created.client.id, keyPrefix: created.client.keyPrefix, description: input.description, trusted: input.trusted },
    });
    return created;
  });
}

/** Revokes/restores a key or changes its trust, journaled with before and after. */
export async function updateApiClientAsAdmin(db: DbOrTx, actorId: string, id: string, changes: { enabled?: boolean; trusted?: boolean }) {
  return db.transaction(async (tx) => {
    const [before] = await tx.select().from(apiClients).where(eq(apiClients.id, id)).for("update");
    if (!before) throw new AppError("NOT_FOUND", "This API client does not exist.");
    const [after] = await tx.update(apiClients).set(changes).where(eq(apiClients.id, id)).returning();
    await recordModerationEvent(tx, actorId, "admin_update_api_client", {
      payload: { apiClientId: id, before: { enabled: before.enabled, trusted: before.trusted }, after: changes },
    });
    return after!;
  });
}
