import { cron, eventType, type Inngest } from "inngest";
import { ZMessageCreated } from "./events";
import { isCronJob, type Job, type JobDeps, type JobStep } from "./job";

/** Wraps a job as an Inngest function: same id, trigger, retries, concurrency keys and body. */
export function toInngestFunction(client: Inngest, job: Job, deps: JobDeps) {
  const common = { id: job.id, name: job.name, retries: job.retries, concurrency: job.concurrency };
  // Our step results are plain JSON objects, so Inngest's memoised (JSON-round-tripped) values have the same type.
  const asJobStep = (step: unknown) => step as JobStep;
  if (isCronJob(job)) {
    return client.createFunction({ ...common, triggers: [cron(job.trigger.cron)] }, ({ step, logger }) =>
      job.run({ step: asJobStep(step), deps, logger }),
    );
  }
  return client.createFunction(
    { ...common, idempotency: job.idempotency, triggers: [eventType(job.trigger.event, { schema: ZMessageCreated })] },
    ({ event, step, logger }) => job.run({ data: ZMessageCreated.parse(event.data), step: asJobStep(step), deps, logger }),
  );
}
