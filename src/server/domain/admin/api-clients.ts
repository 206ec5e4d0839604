import { desc, eq, sql } from "drizzle-orm";
import type { DbOrTx } from "@/server/db/client";
import { apiClients, users } from "@/server/db/schema";
import { type ApiClientRow, createApiClient, type NewApiClient } from "@/server/domain/api-clients/keys";
import { recordModerationEvent } from "@/server/domain/moderation/journal";
import { AppError } from "@/server/errors";
import { peekRateLimit, type RateLimitUsage } from "@/server/ratelimit";
import { RATE_LIMIT_POLICIES } from "@/server/ratelimit/policies";

export type ApiClientWithUsage = ApiClientRow & { users: number; lastUsedAt: Date | null; rate: RateLimitUsage | null };

/**
 * Clients newest first, with how many users they act for, and their live rate-limit figures (calls in the current
 * window, the limit, the window's end, the last call) read from the limiter the API counts them with. Last use is
 * the limiter's last counted call, else the last activity of a user the client acts for. A limiter that cannot be
 * reached (Redis down) leaves the figures out instead of failing the page.
 */
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
  const rates = await Promise.all(rows.map((row) => peekRateLimit({ policy: "apiClient", identifier: row.client.id }).catch(() => null)));
  return rows.map((row, index) => {
    const rate = rates[index] ?? null;
    const lastActive = row.lastUsedAt ? new Date(row.lastUsedAt) : null;
    const lastCall = rate?.lastAt ? new Date(rate.lastAt) : null;
    const lastUsedAt = lastCall && (!lastActive || lastCall > lastActive) ? lastCall : lastActive;
    return { ...row.client, users: row.users, lastUsedAt, rate };
  });
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
