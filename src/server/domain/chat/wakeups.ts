import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import { type Database, listenTargetOf } from "@/server/db/client";

/**
 * Wake-ups for the inference queue (issue 15 #7). On PostgreSQL a trigger on `inference_jobs`
 * (drizzle/0001_chat_queue_notify.sql) sends `NOTIFY inference_job, <reply message id>` on every change of a job and
 * `NOTIFY inference_queue, <model>` when a job enters or leaves the queue. One listening connection per process
 * (postgres.js `listen`, which re-listens after a reconnect) fans them out to waiters: reply streams wait for their
 * own job, idle workers for their models, and nothing polls. The embedded server does not deliver notifications
 * across connections (stack-notes): it is recognised by its version string. Behind a transaction-mode pooler LISTEN
 * goes to `DATABASE_DIRECT_URL` (the server itself), or is not tried at all (`listenTargetOf`). Elsewhere a probe
 * decides: a notification sent through the pool must come back on the listening connection within a second,
 * otherwise this process polls as before ("poll" mode).
 *
 * A chunk append notifies with the chunk itself (`{"m": reply id, "s": seq, "t": text}`, queue.ts `appendChunk`): a
 * stream's watch keeps those in arrival order (which is commit order), so the stream can show the tokens without a
 * read. Any other change of the job (a plain id: claimed, requeued, finished, stop requested) or a chunk announced
 * without its text spoils that batch: the stream must read the job again.
 */
export type WakeupMode = "notify" | "poll";

/** What ended a wait: a notification for what is watched, the timeout, or the caller's abort signal. */
export type WakeReason = "job" | "queue" | "timeout" | "aborted";

export interface Watch {
  /**
   * Resolves at once when something watched changed since the previous `wait` returned (nothing is lost between two
   * waits), else at the next change, after `ms`, or when `signal` aborts. In poll mode it simply sleeps `ms`.
   */
  wait(ms: number, signal?: AbortSignal): Promise<WakeReason>;
  /**
   * The chunks notified since the previous call, in commit order, when nothing else happened to the job meanwhile;
   * `null` when something did (or a chunk came without its text, or notifications are not delivered): read the job.
   */
  takeChunks(): NotifiedChunk[] | null;
  /** The models whose queue is watched (a reply stream watches its model only while it waits in the queue). */
  setModels(models: readonly string[]): void;
  close(): void;
}

export type NotifiedChunk = { seq: number; text: string };

export interface QueueWakeups {
  readonly mode: WakeupMode;
  /** `messageId`: a reply whose job is watched; `models`: queues whose arrivals and departures are watched. */
  watch(filter: { messageId?: string; models?: readonly string[] }): Watch;
}

const JOB_CHANNEL = "inference_job";
const QUEUE_CHANNEL = "inference_queue";
const LISTEN_TIMEOUT_MS = 2_000;
const PROBE_TIMEOUT_MS = 1_000;

function sleep(ms: number, signal?: AbortSignal): Promise<WakeReason> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve("aborted");
    const timer = setTimeout(() => finish("timeout"), Math.max(0, ms));
    const onAbort = () => finish("aborted");
    function finish(reason: WakeReason) {
      clearTimeout(timer);
      signal?.removeEventListener("abort", onAbort);
      resolve(reason);
    }
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

/** Polling: every wait is a plain sleep; callers pass their poll interval. */
export const POLLING_WAKEUPS: QueueWakeups = {
  mode: "poll",
  watch: () => ({ wait: (ms, signal) => sleep(ms, signal), takeChunks: () => null, setModels: () => {}, close: () => {} }),
};

class HubWatch implements Watch {
  pending: WakeReason | null = null;
  private chunks: NotifiedChunk[] = [];
  /** Something arrived that the chunk payloads don't describe: the next `takeChunks` says "read". */
  private spoiled = false;
  private wake: ((reason: WakeReason) => void) | null = null;
  models: ReadonlySet<string>;

  constructor(
    private readonly hub: NotifyHub,
    readonly messageId: string | undefined,
    models: readonly string[],
  ) {
    this.models = new Set(models);
  }

  /** A change of the job: `chunk` when it was a chunk append with its text, else `null`. */
  onJob(chunk: NotifiedChunk | null) {
    if (chunk && !this.spoiled) this.chunks.push(chunk);
    else {
      this.spoiled = true;
      this.chunks = [];
    }
    this.fire("job");
  }

  takeChunks(): NotifiedChunk[] | null {
    const chunks = this.spoiled ? null : this.chunks;
    this.chunks = [];
    this.spoiled = false;
    return chunks;
  }

  fire(reason: WakeReason) {
    // A job event outranks a queue event: the caller re-reads its job either way.
    if (this.pending !== "job") this.pending = reason;
    this.wake?.(reason);
  }

  wait(ms: number, signal?: AbortSignal): Promise<WakeReason> {
    if (this.pending) {
      const reason = this.pending;
      this.pending = null;
      return Promise.resolve(reason);
    }
    return new Promise((resolve) => {
      if (signal?.aborted) return resolve("aborted");
      const timer = setTimeout(() => finish("timeout"), Math.max(0, ms));
      const onAbort = () => finish("aborted");
      const finish = (reason: WakeReason) => {
        clearTimeout(timer);
        signal?.removeEventListener("abort", onAbort);
        this.wake = null;
        this.pending = null;
        resolve(reason);
      };
      this.wake = finish;
      signal?.addEventListener("abort", onAbort, { once: true });
    });
  }

  setModels(models: readonly string[]) {
    this.models = new Set(models);
  }

  close() {
    this.hub.remove(this);
    this.wake?.("aborted");
  }
}

class NotifyHub implements QueueWakeups {
  readonly mode = "notify";
  private readonly watches = new Set<HubWatch>();
  probe: ((payload: string) => void) | null = null;

  watch(filter: { messageId?: string; models?: readonly string[] }): Watch {
    const watch = new HubWatch(this, filter.messageId, filter.models ?? []);
    this.watches.add(watch);
    return watch;
  }

  remove(watch: HubWatch) {
    this.watches.delete(watch);
  }

  /** `payload`: the reply's id (trigger), or a chunk append's JSON `{"m", "s", "t"?}` (appendChunk). */
  onJob(payload: string) {
    this.probe?.(payload);
    const { messageId, chunk } = parseJobPayload(payload);
    for (const watch of this.watches) if (watch.messageId === messageId) watch.onJob(chunk);
  }

  onQueue(model: string) {
    for (const watch of this.watches) if (watch.models.has(model)) watch.fire("queue");
  }

  /** After a reconnect notifications may have been missed: everyone looks again. */
  wakeAll() {
    for (const watch of this.watches) watch.onJob(null);
  }
}

/** A plain reply id, or a chunk append's JSON; a chunk without text (too long for a payload) means "read it". */
export function parseJobPayload(payload: string): { messageId: string; chunk: NotifiedChunk | null } {
  if (!payload.startsWith("{")) return { messageId: payload, chunk: null };
  try {
    const parsed = JSON.parse(payload) as { m?: unknown; s?: unknown; t?: unknown };
    const messageId = typeof parsed.m === "string" ? parsed.m : "";
    const chunk = typeof parsed.s === "number" && typeof parsed.t === "string" ? { seq: parsed.s, text: parsed.t } : null;
    return { messageId, chunk };
  } catch {
    return { messageId: "", chunk: null };
  }
}

type ListenClient = {
  listen: (channel: string, onNotify: (payload: string) => void, onListen?: () => void) => Promise<{ unlisten: () => Promise<void> }>;
};

function within<T>(promise: Promise<T>, ms: number): Promise<T | "timeout"> {
  let timer: NodeJS.Timeout;
  return Promise.race([promise, new Promise<"timeout">((resolve) => (timer = setTimeout(() => resolve("timeout"), ms)))]).finally(() => clearTimeout(timer));
}

/** Sets up listening on the database's own client and checks that notifications really arrive. */
export async function detectQueueWakeups(db: Database): Promise<QueueWakeups> {
  const target = listenTargetOf(db);
  if (target.kind === "none") return POLLING_WAKEUPS;
  const client = target.kind === "direct" ? (target.client() as unknown as Partial<ListenClient>) : (db as unknown as { $client?: Partial<ListenClient> }).$client;
  if (typeof client?.listen !== "function") return POLLING_WAKEUPS;
  // The embedded server (PGlite) never delivers them across connections; don't spend one of its few connections.
  const [server] = await db.execute<{ version: string }>(sql`select version()`);
  if (server?.version.includes("PGlite")) return POLLING_WAKEUPS;
  const listen = client.listen.bind(client) as ListenClient["listen"];
  const hub = new NotifyHub();
  const probeId = `probe-${randomUUID()}`;
  const arrived = new Promise<true>((resolve) => (hub.probe = (payload) => payload === probeId && resolve(true)));
  const subscriptions: { unlisten: () => Promise<void> }[] = [];
  try {
    const listening = Promise.all([
      listen(JOB_CHANNEL, (payload) => hub.onJob(payload), () => hub.wakeAll()),
      listen(QUEUE_CHANNEL, (payload) => hub.onQueue(payload), () => hub.wakeAll()),
    ]).then((subs) => subscriptions.push(...subs));
    if ((await within(listening, LISTEN_TIMEOUT_MS)) === "timeout") return POLLING_WAKEUPS;
    await db.execute(sql`select pg_notify(${JOB_CHANNEL}, ${probeId})`);
    if ((await within(arrived, PROBE_TIMEOUT_MS)) === "timeout") {
      await Promise.all(subscriptions.map((sub) => sub.unlisten().catch(() => {})));
      return POLLING_WAKEUPS;
    }
    hub.probe = null;
    return hub;
  } catch {
    await Promise.all(subscriptions.map((sub) => sub.unlisten().catch(() => {})));
    return POLLING_WAKEUPS;
  }
}

const perClient = new WeakMap<object, Promise<QueueWakeups>>();

/** The wake-ups of this database client, detected once per client (process) and shared by every stream and slot. */
export function getQueueWakeups(db: Database): Promise<QueueWakeups> {
  const client = (db as unknown as { $client?: object }).$client;
  if (!client) return Promise.resolve(POLLING_WAKEUPS);
  let wakeups = perClient.get(client);
  if (!wakeups) {
    wakeups = detectQueueWakeups(db);
    perClient.set(client, wakeups);
  }
  return wakeups;
}
