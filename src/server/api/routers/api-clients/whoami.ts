import { apiClientProcedure } from "@/server/api/trpc";
import { toApiClientDto, ZApiClient } from "./dto";

/** Lets an external client check its key. */
export const apiClientWhoamiRoute = apiClientProcedure.output(ZApiClient).query(({ ctx }) => toApiClientDto(ctx.apiClient));
