import type { Database } from "@/server/db/client";
import { type ClaimedJob, failJob, finishJob, type LeaseState, releaseJob, renewLease } from "@/server/domain/chat/queue";
import { AppError } from "@/server/errors";
import { ChunkWriter } from "./chunk-writer";
import { ENGINE_FAILURES, type Engine, EngineError, type FinishReason, storableText } from "./engines/engine";
import { prepareRequest } from "./prepare";
import { StopSequenceBuffer } from "./stop-buffer";

/** Runs one claimed job from prompt to final message, honouring stop requests, lease loss and shutdown. */

export type JobOutcome = "done" | "stopped" | "failed" | "requeued" | "released" | "lost";

/** Wall-clock milliseconds (sub-ms precision) of the steps, reported for the benchmark. */
export type JobTimings = { jobId: string; claimedAt: number; engineStartAt: number | null; engineFirstTokenAt: number | null; firstChunkAt: number | null };

export type RunJobDeps = {
  db: Database;
  engine: Engine;
  settings: { leaseMs: number; flushMs: number; promptFormat: "oasst" | "chatml"; useStopSequences: boolean };
  /** Aborted when the shutdown grace period is over: the job is given back unfinished. */
  hardStop: AbortSignal;
  log: (message: string) => void;
  onTimings?: (timings: JobTimings) => void;
};

const now = () => performance.timeOrigin + performance.now();

export async function runJob(deps: RunJobDeps, job: ClaimedJob, claimedAt = now()): Promise<JobOutcome> {
  const { db, engine, settings, log } = deps;
  const abort = new AbortController();
  let reason: "stop" | "lost" | "shutdown" | "unstorable" | null = null;
  const end = (why: "stop" | "lost" | "shutdown" | "unstorable") => {
    if (reason) return;
    reason = why;
    abort.abort();
  };
  const onState = (state: LeaseState) => (state === null ? end("lost") : state.stopRequested ? end("stop") : undefined);
  const onHardStop = () => end("shutdown");
  if (deps.hardStop.aborted) onHardStop();
  deps.hardStop.addEventListener("abort", onHardStop);

  const writer = new ChunkWriter(db, job, job.lastSeq, settings.flushMs, onState, log, () => end("unstorable"));
  // While nothing is written (a slow first token), a heartbeat keeps the lease and picks up stop requests, so a
  // stop is seen within ~0.5 s whatever the engine does.
  const controlMs = Math.min(500, settings.leaseMs / 3);
  let renewing = false;
  const control = setInterval(() => {
    if (renewing || Date.now() - writer.lastTouchAt < controlMs) return;
    renewing = true;
    renewLease(db, job)
      .then((state) => {
        writer.lastTouchAt = Date.now();
        onState(state);
      })
      .catch((error: unknown) => log(`lease renewal failed: ${(error as Error).message}`))
      .finally(() => (renewing = false));
  }, controlMs / 2);

  const timings: JobTimings = { jobId: job.jobId, claimedAt, engineStartAt: null, engineFirstTokenAt: null, firstChunkAt: null };
  try {
    const prepared = prepareRequest(job.workParameters, job.thread, engine, settings);
    const buffer = new StopSequenceBuffer(prepared.stop);
    let content = "";
    // OA strips the reply's surrounding whitespace. Both ends are cut before anything is streamed: leading whitespace
    // is dropped, trailing whitespace is held back until more text follows. So the streamed text is always exactly
    // the stored reply (issue 12 #7).
    let held = "";
    const emit = (text: string) => {
      const piece = held + (content === "" ? text.trimStart() : text);
      const shown = piece.trimEnd();
      held = piece.slice(shown.length);
      if (!shown) return;
      content += shown;
      writer.push(shown);
    };
    timings.engineStartAt = now();
    const generation = engine.generate({ ...prepared, signal: abort.signal });
    let finish: FinishReason = "eos";
    for (let step = await generation.next(); ; step = await generation.next()) {
      if (step.done) {
        finish = step.value;
        break;
      }
      timings.engineFirstTokenAt ??= now();
      const { emit: safe, stopped } = buffer.push(storableText(step.value));
      if (safe) emit(safe);
      if (stopped) {
        finish = "stop_sequence";
        await generation.return("stop_sequence");
        break;
      }
    }
    if (finish !== "stop_sequence") emit(buffer.flush());
    if (reason === "shutdown") return await giveBack(deps, job, writer);
    await writer.close();
    timings.firstChunkAt = writer.firstChunkAt;
    if (writer.unstorable) throw writer.unstorable;
    if (reason === "lost" || writer.lost) return "lost";
    const stopped = reason === "stop";
    const finished = await finishJob(db, job, { content, stopped });
    if (finished) log(`job ${job.jobId} ${stopped ? "stopped by the user" : `done (${finish})`}, ${content.length} characters`);
    return finished ? (stopped ? "stopped" : "done") : "lost";
  } catch (error) {
    if (reason === "lost") return "lost";
    if (reason === "shutdown") return await giveBack(deps, job, writer);
    await writer.close();
    // A chunk the database refused ends the generation (the engine then throws its abort): that is the failure.
    const failure = writer.unstorable ?? error;
    // The user reads a sentence without internals; the details (URLs, codes, upstream bodies, stacks) go to the log.
    const message = failure instanceof EngineError || failure instanceof AppError ? failure.message : ENGINE_FAILURES.internal;
    const detail = failure instanceof EngineError ? failure.detail : ((failure as Error).stack ?? String(failure));
    const outcome = await failJob(db, job, { error: message, retry: failure instanceof EngineError && failure.retryable });
    log(`job ${job.jobId} ${outcome ?? "lost"}: ${message} — ${detail}`);
    return outcome ?? "lost";
  } finally {
    clearInterval(control);
    deps.hardStop.removeEventListener("abort", onHardStop);
    deps.onTimings?.(timings);
  }
}

/** Shutdown before the job finished: the partial text is dropped and the job goes back to the queue as it was. */
async function giveBack(deps: RunJobDeps, job: ClaimedJob, writer: ChunkWriter): Promise<JobOutcome> {
  await writer.close();
  const released = await releaseJob(deps.db, job);
  deps.log(`job ${job.jobId} ${released ? "given back to the queue" : "was already taken over"}`);
  return released ? "released" : "lost";
}
