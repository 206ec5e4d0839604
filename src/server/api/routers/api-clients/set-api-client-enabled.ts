import { z } from "zod";
import { adminProcedure } from "@/server/api/trpc";
import { setApiClientEnabled } from "@/server/domain/api-clients/keys";
import { toApiClientDto, ZApiClient } from "./dto";

export const setApiClientEnabledRoute = adminProcedure
  .input(z.object({ id: z.uuid(), enabled: z.boolean() }))
  .output(ZApiClient)
  .mutation(async ({ ctx, input }) => toApiClientDto(await setApiClientEnabled(ctx.db, input.id, input.enabled)));
