import { z } from "zod";
import { adminProcedure } from "@/server/api/trpc";
import { updateApiClientAsAdmin } from "@/server/domain/admin/api-clients";
import { toApiClientDto, ZApiClient } from "./dto";

export const setApiClientEnabledRoute = adminProcedure
  .input(z.object({ id: z.uuid(), enabled: z.boolean().optional(), trusted: z.boolean().optional() }).refine((input) => input.enabled !== undefined || input.trusted !== undefined, { message: "Nothing to change." }))
  .output(ZApiClient)
  .mutation(async ({ ctx, input }) => toApiClientDto(await updateApiClientAsAdmin(ctx.db, ctx.user.id, input.id, { enabled: input.enabled, trusted: input.trusted })));
