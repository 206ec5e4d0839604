import { beforeEach, describe, expect, it, vi } from "vitest";
import type { Database } from "@/server/db/client";
import { DEFAULT_CHAT_CONFIG } from "@/server/domain/chat/config";
import { DEV_ECHO_MODEL } from "@/server/domain/chat/model-configs";
import { appendChunk, type ClaimedJob, failJob, finishJob } from "@/server/domain/chat/queue";
import { buildWorkParameters } from "@/server/domain/chat/replies";
import { ENGINE_FAILURES, type Engine, type EngineRequest, type FinishReason } from "./engines/engine";
import { runJob } from "./run-job";

/**
 * A chunk the database refuses for its data (SQLSTATE class 22) fails the same way on every retry and on every worker.
 * The job must fail at once with a clear sentence and no retry, and the model must be stopped — not be retried for a
 * whole lease and then handed to the next worker, attempt after attempt.
 */
vi.mock("@/server/domain/chat/queue", () => ({
  appendChunk: vi.fn(),
  renewLease: vi.fn(async () => ({ stopRequested: false })),
  finishJob: vi.fn(async () => true),
  failJob: vi.fn(async () => "failed"),
  releaseJob: vi.fn(async () => true),
}));

/** A model that writes until it is stopped, as a long reply does. */
function endlessEngine(seen: { aborted: boolean }): Engine {
  return {
    kind: "openai",
    promptKind: "chat",
    eosText: null,
    contextSize: null,
    tokenizer: { encode: (text: string) => Array.from(text), decode: (tokens: readonly string[]) => tokens.join("") },
    async *generate(request: EngineRequest): AsyncGenerator<string, FinishReason, undefined> {
      for (;;) {
        if (request.signal?.aborted) {
          seen.aborted = true;
          return "aborted";
        }
        yield "word ";
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    },
    close: async () => {},
  } as unknown as Engine;
}

const job: ClaimedJob = {
  jobId: "00000000-0000-4000-8000-000000000001",
  workerId: "worker-1",
  attempt: 1,
  leaseMs: 60_000,
  chatMessageId: "00000000-0000-4000-8000-000000000002",
  chatId: "00000000-0000-4000-8000-000000000003",
  parentId: "00000000-0000-4000-8000-000000000004",
  modelConfigName: DEV_ECHO_MODEL,
  workParameters: buildWorkParameters(DEFAULT_CHAT_CONFIG, { modelConfigName: DEV_ECHO_MODEL }),
  maxAttempts: 3,
  lastSeq: 0,
  thread: [{ role: "prompter", content: "Hello" }],
};

beforeEach(() => vi.clearAllMocks());

describe("a chunk the database refuses for its data", () => {
  it("fails the job at once, without retrying the write or the job, and stops the model", async () => {
    vi.mocked(appendChunk).mockRejectedValue(Object.assign(new Error('invalid byte sequence for encoding "UTF8": 0xc3 0x28'), { code: "22021" }));
    const seen = { aborted: false };
    const logs: string[] = [];
    const outcome = await runJob(
      {
        db: {} as Database,
        engine: endlessEngine(seen),
        settings: { leaseMs: job.leaseMs, flushMs: 20, promptFormat: "oasst", useStopSequences: true },
        hardStop: new AbortController().signal,
        log: (line) => logs.push(line),
      },
      job,
    );

    expect(outcome).toBe("failed");
    expect(appendChunk).toHaveBeenCalledTimes(1);
    expect(seen.aborted).toBe(true);
    expect(finishJob).not.toHaveBeenCalled();
    expect(failJob).toHaveBeenCalledWith(expect.anything(), job, { error: ENGINE_FAILURES.unstorable, retry: false });
    // The log keeps the database's reason for the operator; the user's sentence has none of it.
    expect(logs.join("\n")).toContain("22021");
    expect(ENGINE_FAILURES.unstorable).not.toContain("UTF8");
  }, 10_000);

  it("still retries a write that failed for the connection, as before", async () => {
    vi.mocked(appendChunk)
      .mockRejectedValueOnce(Object.assign(new Error("connection closed"), { code: "CONNECTION_CLOSED" }))
      .mockResolvedValue({ stopRequested: false } as never);
    const seen = { aborted: false };
    const engine = endlessEngine(seen);
    const stopAfter = new AbortController();
    setTimeout(() => stopAfter.abort(), 300);
    const outcome = await runJob(
      {
        db: {} as Database,
        engine,
        settings: { leaseMs: job.leaseMs, flushMs: 20, promptFormat: "oasst", useStopSequences: true },
        hardStop: stopAfter.signal,
        log: () => {},
      },
      job,
    );

    // Shut down after 300 ms: the job is given back, having written more chunks after the failed one.
    expect(outcome).toBe("released");
    expect(vi.mocked(appendChunk).mock.calls.length).toBeGreaterThan(2);
    expect(failJob).not.toHaveBeenCalled();
  }, 10_000);
});
