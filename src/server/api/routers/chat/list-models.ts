import { contributorProcedure } from "@/server/api/trpc";
import { ZModelListing, listModels } from "@/server/domain/chat/catalog";
import { getChatConfig } from "@/server/domain/chat/config";

/** Model configs offered here, the sampling presets and the allowed ranges (for the config panel). */
export const listModelsRoute = contributorProcedure.output(ZModelListing).query(({ ctx }) => listModels(ctx.db, getChatConfig()));
