import type { Database } from "@/server/db/client";
import { postgresErrorOf } from "@/server/db/errors";
import { appendChunk, type JobLease, type LeaseState } from "@/server/domain/chat/queue";
import { EngineError } from "./engines/engine";

/**
 * Writes generated text to the database in small batches: the first piece at once (time to first token matters most),
 * then at most one write per `flushMs`, each a numbered chunk that a reply stream can resume from. Each write also
 * renews the lease and reads the stop request, so a busy job needs no separate heartbeat. A failed write is retried
 * with the next batch; when writes keep failing for a whole lease, the job is given up (another worker takes it over).
 * A write the database refuses for its data (SQLSTATE class 22: an invalid byte, a value out of range) would fail
 * the same way on every retry and on every worker: the writer stops at once and reports it (`unstorable`, then
 * `onUnstorable`), so the job fails with a clear error instead of being retried for a lease and then attempt after
 * attempt.
 */
export class ChunkWriter {
  private pending = "";
  private seq: number;
  private flushing: Promise<void> | null = null;
  private timer: NodeJS.Timeout | null = null;
  private lastFlushAt = 0;
  private failingSince: number | null = null;
  /** When the database last heard from this job (for the heartbeat of a job that streams nothing for a while). */
  lastTouchAt = Date.now();
  /** Wall-clock time (ms, sub-ms precision) of the first committed chunk, for the benchmark. */
  firstChunkAt: number | null = null;
  lost = false;
  /** Set when the database refused a chunk for its data; nothing more is written. */
  unstorable: EngineError | null = null;
  private closing = false;
  /** Nothing more is written: the lease is gone, or the database refused a chunk for its data. */
  private get stopped(): boolean {
    return this.lost || this.unstorable !== null;
  }

  constructor(
    private readonly db: Database,
    private readonly lease: JobLease,
    startSeq: number,
    private readonly flushMs: number,
    private readonly onState: (state: LeaseState) => void,
    private readonly log: (message: string) => void,
    private readonly onUnstorable: () => void = () => {},
  ) {
    this.seq = startSeq;
  }

  push(text: string): void {
    if (this.stopped || text === "") return;
    this.pending += text;
    this.schedule();
  }

  /** Writes what is left; resolves when everything is committed or the job was lost. */
  async close(): Promise<void> {
    this.closing = true;
    while (!this.stopped) {
      if (this.timer) clearTimeout(this.timer);
      this.timer = null;
      if (this.flushing) {
        await this.flushing;
        continue;
      }
      if (!this.pending) break;
      if (this.failingSince !== null) await new Promise((resolve) => setTimeout(resolve, Math.min(this.flushMs, 100) || 20));
      this.startFlush();
    }
  }

  private schedule(): void {
    if (this.closing || this.flushing || this.timer || this.stopped || !this.pending) return;
    const wait = this.lastFlushAt + this.flushMs - Date.now();
    if (wait <= 0) this.startFlush();
    else
      this.timer = setTimeout(() => {
        this.timer = null;
        this.startFlush();
      }, wait);
  }

  /** One write at a time, so chunks commit in sequence order. */
  private startFlush(): void {
    const flushing = this.flush().finally(() => {
      if (this.flushing === flushing) this.flushing = null;
      this.schedule();
    });
    this.flushing = flushing;
  }

  private async flush(): Promise<void> {
    const text = this.pending;
    this.pending = "";
    try {
      if (!text) return;
      const state = await appendChunk(this.db, this.lease, this.seq + 1, text);
      const now = Date.now();
      if (state) {
        this.seq++;
        this.firstChunkAt ??= performance.timeOrigin + performance.now();
      } else this.lost = true;
      this.lastFlushAt = this.lastTouchAt = now;
      this.failingSince = null;
      this.onState(state);
    } catch (error) {
      const sqlState = postgresErrorOf(error)?.code;
      if (sqlState?.startsWith("22")) {
        this.pending = "";
        this.unstorable = new EngineError("unstorable", `chunk ${this.seq + 1} refused (${sqlState}): ${(error as Error).message}`, false);
        this.log(`writing a chunk failed for its data, not retrying: ${(error as Error).message}`);
        this.onUnstorable();
        return;
      }
      this.pending = text + this.pending;
      this.lastFlushAt = Date.now();
      this.failingSince ??= Date.now();
      this.log(`writing a chunk failed, retrying: ${(error as Error).message}`);
      if (Date.now() - this.failingSince > this.lease.leaseMs) {
        this.lost = true;
        this.onState(null);
      }
    }
  }
}
