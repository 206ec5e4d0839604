/** Runs once when a Next.js server starts (see src/server/startup.ts). */
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { checkStartup } = await import("@/server/startup");
  checkStartup();
  // Without Inngest, the scheduled jobs (leaderboards, stats, streaks, expired tasks, lottery) run in this process.
  const { startInProcessScheduler } = await import("@/server/inngest");
  startInProcessScheduler();
}
