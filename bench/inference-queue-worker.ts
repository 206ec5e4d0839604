/**
 * The worker side of `bench/inference-queue.ts`, in its own process as `npm run worker` runs it (the app and the
 * workers do not share an event loop in a deployment, and must not in the measurement either). Started with `fork`:
 * a mock OpenAI-compatible server and `--workers` in-process workers (each its own pool); every finished job's timings
 * go to the parent over IPC. The parent sends "stop" when done.
 *
 *   (forked) bench/inference-queue-worker.ts --url postgres://… --workers 4 --engine-ms 0 [--polling]
 */
import { parseArgs } from "node:util";
import { connectDatabase } from "../src/server/db/client";
import { POLLING_WAKEUPS } from "../src/server/domain/chat/wakeups";
import { OpenAiCompatibleEngine } from "../src/worker/engines/openai-compatible";
import { startMockOpenAiServer } from "../src/worker/test-support/mock-openai-server";
import { InferenceWorker } from "../src/worker/worker";

const { values: args } = parseArgs({
  options: {
    url: { type: "string" },
    workers: { type: "string", default: "4" },
    "engine-ms": { type: "string", default: "0" },
    model: { type: "string", default: "_lorem" },
    polling: { type: "boolean", default: false },
  },
});

async function main() {
  const send = (message: unknown) => process.send?.(message);
  const mock = await startMockOpenAiServer({ tokens: ["Hello", " world", "!"], firstTokenDelayMs: Number(args["engine-ms"]), tokenDelayMs: 5 });
  const pools = Array.from({ length: Number(args.workers) }, () => connectDatabase(args.url!, { max: 3 }));
  const workers = pools.map(
    (pool, i) =>
      new InferenceWorker(
        pool.db,
        new OpenAiCompatibleEngine({ baseUrl: mock.baseUrl, model: "mock", api: "chat", timeoutMs: 30_000 }),
        { name: `bench-${i}`, models: [args.model!], concurrency: 1, leaseMs: 30_000, heartbeatMs: 5_000, pollMs: 100, flushMs: 100, promptFormat: "oasst", useStopSequences: true },
        { log: () => {}, onJob: (_outcome, timings) => send({ type: "timings", timings }), wakeups: args.polling ? POLLING_WAKEUPS : undefined },
      ),
  );
  await Promise.all(workers.map((worker) => worker.start()));
  send({ type: "ready" });
  process.on("message", async (message) => {
    if (message !== "stop") return;
    await Promise.all(workers.map((worker) => worker.stop(5_000)));
    await Promise.all(pools.map((pool) => pool.close()));
    await mock.close();
    process.exit(0);
  });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
