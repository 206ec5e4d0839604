import { z } from "zod";
import type { ApiClientRow } from "@/server/domain/api-clients/keys";

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
});

export const toApiClientDto = (client: ApiClientRow & { users?: number; lastUsedAt?: Date | null }): z.infer<typeof ZApiClient> => ({
  users: client.users,
  lastUsedAt: client.lastUsedAt,
  id: client.id,
  keyPrefix: client.keyPrefix,
  description: client.description,
  frontendType: client.frontendType,
  trusted: client.trusted,
  enabled: client.enabled,
  createdAt: client.createdAt,
});
