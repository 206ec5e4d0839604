import { type ChildProcess, spawn } from "node:child_process";
import { startMockOpenAiServer, type MockOpenAiServer } from "../../src/worker/test-support/mock-openai-server";

/**
 * A real inference worker (`src/worker/main.ts`, HTTP engine) against a local OpenAI-compatible mock, sharing the e2e
 * server's database: scripts/e2e.ts gives this process either DATABASE_URL or PGLITE_DATA_DIR, and scripts/with-db.ts
 * reuses the embedded server that `next start` already runs on that data directory.
 */
export type ChatWorker = { mock: MockOpenAiServer; stop: () => Promise<void>; output: () => string };

export async function startChatWorker(model: string): Promise<ChatWorker> {
  const mock = await startMockOpenAiServer({ tokenDelayMs: 100 });
  let output = "";
  const child: ChildProcess = spawn("npx", ["tsx", "scripts/with-db.ts", "--", "npx", "tsx", "src/worker/main.ts"], {
    env: {
      ...process.env,
      WORKER_NAME: "e2e-chat-worker",
      WORKER_ENGINE: "openai",
      WORKER_MODELS: model,
      OPENAI_BASE_URL: mock.baseUrl,
      WORKER_POLL_MS: "50",
      WORKER_FLUSH_MS: "50",
      WORKER_HEARTBEAT_SECONDS: "2",
      WORKER_SHUTDOWN_GRACE_SECONDS: "1",
    },
    stdio: ["ignore", "pipe", "pipe"],
    // Its own process group, so stopping it also stops the tsx and node processes under npx.
    detached: true,
  });
  child.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));

  const stop = async () => {
    if (child.exitCode === null && child.pid) {
      const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
      try {
        process.kill(-child.pid, "SIGTERM");
      } catch {
        // already gone
      }
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5_000))]);
      if (child.exitCode === null) {
        try {
          process.kill(-child.pid, "SIGKILL");
        } catch {
          // already gone
        }
      }
    }
    await mock.close();
  };

  const deadline = Date.now() + 60_000;
  while (!/registered as/.test(output)) {
    if (child.exitCode !== null || Date.now() > deadline) {
      await stop();
      throw new Error(`the worker did not start:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return { mock, stop, output: () => output };
}
