import { moderatorProcedure } from "@/server/api/trpc";
import { effectiveParameters, ZParameters } from "@/server/domain/admin/parameters";
import { systemStatus, ZSystemStatus } from "@/server/domain/admin/status";
import { runtimeJobDeps } from "@/server/inngest";
import { JOBS } from "@/server/inngest/functions";

/** Trees by state, open tasks, inference queue depth, database size, and the runs of this process's jobs. */
export const statusRoute = moderatorProcedure.output(ZSystemStatus)
  .query(({ ctx }) => systemStatus(ctx.db, { jobs: JOBS, deps: runtimeJobDeps }));

/** The effective tree-manager settings per language and the rate-limit policies (read-only, no secrets). */
export const parametersRoute = moderatorProcedure.output(ZParameters).query(({ ctx }) => effectiveParameters(ctx.treeDeps.config));
