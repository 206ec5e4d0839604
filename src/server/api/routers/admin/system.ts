import { moderatorProcedure } from "@/server/api/trpc";
import { effectiveParameters, ZParameters } from "@/server/domain/admin/parameters";
import { systemStatus, ZSystemStatus } from "@/server/domain/admin/status";

/** Trees by state, open tasks, inference queue depth, database size. */
export const statusRoute = moderatorProcedure.output(ZSystemStatus).query(({ ctx }) => systemStatus(ctx.db));

/** The effective tree-manager settings per language and the rate-limit policies (read-only, no secrets). */
export const parametersRoute = moderatorProcedure.output(ZParameters).query(({ ctx }) => effectiveParameters(ctx.treeDeps.config));
