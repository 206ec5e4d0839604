import { z } from "zod";
import type { ApiClientRow } from "@/server/domain/api-clients/keys";
import type { RateLimitUsage } from "@/server/ratelimit";

export const ZApiClient = z.object({
  id: z.uuid(),
  keyPrefix: z.string(),
  description: z.string(),
  frontendType: z.string(),
  trusted: z.boolean(),
  enabled: z.boolean(),
  createdAt: z.date(),
  /** How many users the client acts for and when one of them was last active (admin list only). */
  users: z.number().int().optional(),
  lastUsedAt: z.date().nullable().optional(),
  /** Live figures of the `apiClient` rate limit: calls in the current window, the limit, and when the window ends. */
  rate: z.object({ used: z.number().int(), limit: z.number().int(), reset: z.date() }).nullable().optional(),
});

export const toApiClientDto = (client: ApiClientRow & { users?: number; lastUsedAt?: Date | null; rate?: RateLimitUsage | null }): z.infer<typeof ZApiClient> => ({
  users: client.users,
  lastUsedAt: client.lastUsedAt,
  rate: client.rate === undefined ? undefined : client.rate && { used: client.rate.used, limit: client.rate.limit, reset: new Date(client.rate.reset) },
  id: client.id,
  keyPrefix: client.keyPrefix,
  description: client.description,
  frontendType: client.frontendType,
  trusted: client.trusted,
  enabled: client.enabled,
  createdAt: client.createdAt,
});
