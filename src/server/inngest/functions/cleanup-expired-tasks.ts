import { deleteExpiredTasks } from "@/server/domain/tasks/cleanup";
import { type CronJob, MAINTENANCE_CONCURRENCY } from "../job";
import { withJobLock } from "../job-lock";

/** Deletes tasks that expired unanswered (OA `cronjob_delete_expired_tasks`, hourly, spec §2.5 and §7). */
export const cleanupExpiredTasksJob: CronJob = {
  id: "cleanup-expired-tasks",
  name: "Delete expired tasks",
  trigger: { cron: "41 * * * *" },
  retries: 2,
  concurrency: MAINTENANCE_CONCURRENCY,
  run: ({ step, deps }) =>
    step.run("delete-expired-tasks", async () => {
      const run = await withJobLock(deps.db(), "expired-tasks", (tx) => deleteExpiredTasks(tx));
      return run.ran ? { deleted: run.result } : { skipped: run.reason };
    }),
};
