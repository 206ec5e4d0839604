import { z } from "zod";
import { adminProcedure } from "@/server/api/trpc";
import { apiClientRateLimit, listApiClientsWithUsage } from "@/server/domain/admin/api-clients";
import { toApiClientDto, ZApiClient } from "./dto";

export const listApiClientsRoute = adminProcedure
  .output(z.object({ clients: z.array(ZApiClient), rateLimit: z.object({ attempts: z.number().int(), window: z.string() }) }))
  .query(async ({ ctx }) => ({ clients: (await listApiClientsWithUsage(ctx.db)).map(toApiClientDto), rateLimit: apiClientRateLimit() }));
