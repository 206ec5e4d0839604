import { z } from "zod";
import { adminProcedure } from "@/server/api/trpc";
import { createApiClientAsAdmin } from "@/server/domain/admin/api-clients";
import { toApiClientDto, ZApiClient } from "./dto";

export const createApiClientRoute = adminProcedure
  .input(
    z.object({
      description: z.string().trim().min(1).max(256),
      frontendType: z.string().trim().min(1).max(64).default("api"),
      trusted: z.boolean().default(false),
      adminEmail: z.email().optional(),
    }),
  )
  .output(z.object({ client: ZApiClient, key: z.string() }))
  .mutation(async ({ ctx, input }) => {
    const { client, key } = await createApiClientAsAdmin(ctx.db, ctx.user.id, input);
    return { client: toApiClientDto(client), key };
  });
