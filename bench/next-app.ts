import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { encode } from "next-auth/jwt";

/** A `next start` process a benchmark started: its process group (for /proc CPU readings) and how to stop it. */
export type NextApp = { origin: string; processGroup: number; stop: () => void };

/**
 * Starts `next start` from the build in `cwd` at `origin`, signed with `secret`, and waits (at most 90 s) until it
 * answers. It leads its own process group, which holds the server it forks, so its CPU can be read and it can be
 * stopped whole; it is stopped when this process exits too. `env` adds to the benchmark's settings.
 */
export async function startNextApp(options: { origin: string; dbUrl: string; secret: string; cwd?: string; env?: Record<string, string> }): Promise<NextApp> {
  const cwd = options.cwd ?? process.cwd();
  if (!existsSync(path.join(cwd, ".next/BUILD_ID"))) throw new Error(`${cwd}: build the app first (npm run build).`);
  const child = spawn("node", ["node_modules/next/dist/bin/next", "start", "-p", new URL(options.origin).port], {
    cwd,
    // AUTH_URL says the site is plain HTTP, so the session cookie is the unprefixed one (`sessionCookie`).
    env: { ...process.env, DATABASE_URL: options.dbUrl, AUTH_SECRET: options.secret, AUTH_URL: options.origin, AUTH_TRUST_HOST: "true",
      NEXT_TELEMETRY_DISABLED: "1", SEED_DEMO_DATA: "false", ...options.env },
    stdio: ["ignore", "ignore", "inherit"],
    detached: true,
  });
  // Called twice (after the run and on exit): a process group already gone is not an error.
  const stop = () => {
    try {
      if (child.pid) process.kill(-child.pid, "SIGTERM");
    } catch {
      // already stopped
    }
  };
  process.on("exit", stop);
  const deadline = Date.now() + 90_000;
  while (!(await fetch(`${options.origin}/api/trpc/health.ping`).then((r) => r.ok, () => false))) {
    if (Date.now() > deadline) throw new Error(`The app at ${options.origin} did not start within 90 s.`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  return { origin: options.origin, processGroup: child.pid!, stop };
}

/** The session cookie Auth.js would set for `userId` on a site at `origin`, minted with the app's secret. */
export async function sessionCookie(userId: string, secret: string, origin: string): Promise<string> {
  const name = origin.startsWith("https") ? "__Secure-authjs.session-token" : "authjs.session-token";
  return `${name}=${await encode({ token: { sub: userId }, secret, salt: name, maxAge: 24 * 3600 })}`;
}
