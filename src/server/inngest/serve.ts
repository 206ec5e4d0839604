import { inngest } from "./client";
import { JOBS } from "./functions";
import { runtimeJobDeps } from "./index";
import { toInngestFunction } from "./to-inngest";

/** Every job as an Inngest function, for `serve()` at /api/inngest. */
export const inngestFunctions = JOBS.map((job) => toInngestFunction(inngest, job, runtimeJobDeps));
