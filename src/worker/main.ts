/**
 * The inference worker: `npm run worker` (embedded database, or DATABASE_URL), configured by WORKER_* / OPENAI_* /
 * GGUF_* variables (README "Configuration"). Several can run side by side against one database.
 * SIGINT/SIGTERM: stop claiming, let running jobs finish (WORKER_SHUTDOWN_GRACE_SECONDS), give back the rest;
 * repeats within 3 s are ignored, a repeat after that or SIGQUIT gives them back at once (shutdown.ts).
 */
import { connectDatabase } from "@/server/db/client";
import { loadWorkerConfig, WorkerConfigError } from "./config";
import { createEngine } from "./engines/create-engine";
import { createShutdownHandler } from "./shutdown";
import { InferenceWorker } from "./worker";

async function main() {
  let config;
  try {
    config = loadWorkerConfig(process.env);
  } catch (error) {
    if (!(error instanceof WorkerConfigError)) throw error;
    console.error(`✖ Invalid worker configuration: ${error.message}`);
    process.exit(2);
  }
  const { db, close } = connectDatabase(config.databaseUrl, { max: config.concurrency + 2 });
  const engine = await createEngine(config);
  const worker = new InferenceWorker(db, engine, config);
  await worker.start();

  const shutdown = createShutdownHandler({
    drain: () => {
      worker
        .stop(config.shutdownGraceMs)
        .then(() => engine.close())
        .then(() => close())
        .then(() => process.exit(0))
        .catch((error: unknown) => {
          console.error(`✖ shutdown failed: ${(error as Error).message}`);
          process.exit(1);
        });
    },
    force: () => void worker.stop(0),
  });
  for (const signal of ["SIGINT", "SIGTERM", "SIGQUIT"] as const) process.on(signal, () => shutdown(signal));
}

main().catch((error: unknown) => {
  console.error(`✖ ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
