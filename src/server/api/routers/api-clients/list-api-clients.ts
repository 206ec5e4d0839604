import { z } from "zod";
import { adminProcedure } from "@/server/api/trpc";
import { listApiClients } from "@/server/domain/api-clients/keys";
import { toApiClientDto, ZApiClient } from "./dto";

export const listApiClientsRoute = adminProcedure
  .output(z.array(ZApiClient))
  .query(async ({ ctx }) => (await listApiClients(ctx.db)).map(toApiClientDto));
