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
});

export const toApiClientDto = (client: ApiClientRow): z.infer<typeof ZApiClient> => ({
  id: client.id,
  keyPrefix: client.keyPrefix,
  description: client.description,
  frontendType: client.frontendType,
  trusted: client.trusted,
  enabled: client.enabled,
  createdAt: client.createdAt,
});
