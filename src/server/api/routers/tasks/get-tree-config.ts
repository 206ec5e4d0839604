import { z } from "zod";
import { moderatorProcedure } from "@/server/api/trpc";

/** The tree manager configuration in force, read-only, for moderators. */
export const getTreeConfigRoute = moderatorProcedure
  .output(z.record(z.string(), z.unknown()))
  .query(({ ctx }) => ({ ...ctx.treeDeps.config }));
