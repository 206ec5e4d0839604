/**
 * What the worker does with shutdown signals. The first SIGINT/SIGTERM drains: no new claims, running replies finish
 * within the grace period (WORKER_SHUTDOWN_GRACE_SECONDS), the rest are given back to the queue. Process managers
 * and shells often deliver one request more than once — Ctrl-C reaches every process of the group and `npm`/`tsx`
 * forward it again, `kill -TERM -PGID` does the same — so a repeat within `repeatWindowMs` of the first is the same
 * request and is ignored (issue 12 #6). What forces the running replies back into the queue at once (another worker
 * starts them over): SIGINT/SIGTERM again after the window, or SIGQUIT at any time.
 */
export const SIGNAL_REPEAT_WINDOW_MS = 3_000;

export type ShutdownAction = "drain" | "ignored" | "force";

export function createShutdownHandler(options: {
  /** Starts the graceful shutdown (called once). */
  drain: () => void;
  /** Gives running replies back at once (the drain then ends quickly). */
  force: () => void;
  repeatWindowMs?: number;
  log?: (message: string) => void;
  now?: () => number;
}): (signal: NodeJS.Signals) => ShutdownAction {
  const window = options.repeatWindowMs ?? SIGNAL_REPEAT_WINDOW_MS;
  const now = options.now ?? Date.now;
  const log = options.log ?? ((message: string) => console.log(message));
  let firstAt: number | null = null;
  let forced = false;
  return (signal) => {
    const at = now();
    if (firstAt === null) {
      firstAt = at;
      if (signal !== "SIGQUIT") {
        log(`[worker] ${signal}: finishing running replies; ${signal} again after ${window / 1000} s (or SIGQUIT) gives them back at once`);
        options.drain();
        return "drain";
      }
      options.drain();
    } else if (signal !== "SIGQUIT" && at - firstAt < window) {
      log(`[worker] ${signal} again within ${window / 1000} s: already shutting down gracefully (ignored)`);
      return "ignored";
    }
    if (!forced) {
      forced = true;
      log(`[worker] ${signal}: giving running replies back to the queue now`);
      options.force();
    }
    return "force";
  };
}
