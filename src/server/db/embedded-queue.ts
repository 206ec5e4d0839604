import type { PGlite } from "@electric-sql/pglite";

type QueuedMessage = {
  handlerId: number;
  message: Uint8Array;
  onData: (data: Uint8Array) => void;
  resolve: (bytes: number) => void;
  reject: (error: unknown) => void;
};

/** Protocol messages after which a connection may hand PGlite over to another one (unless in a transaction). */
const SYNC = 0x53; // 'S' ends an extended-protocol batch (Parse/Bind/Describe/Execute…)
const QUERY = 0x51; // 'Q' simple query
const TERMINATE = 0x58; // 'X'

/**
 * Decides which connection's message PGlite (a single session) runs next.
 *
 * pglite-socket's own queue only keeps a connection exclusive while PGlite is inside a transaction, so two
 * connections' extended-protocol batches interleave (Parse of A, Parse of B, Bind of A…) and clobber each
 * other's unnamed statements ("bind message supplies 2 parameters, but prepared statement "" requires 6"),
 * which breaks any concurrent use from postgres.js. Here a connection keeps PGlite from its first message
 * until its batch ends with Sync (or a simple Query) and no transaction is open.
 */
export class ProtocolAwareQueryQueue {
  private queue: QueuedMessage[] = [];
  private processing = false;
  /** The connection that owns the session until its batch or transaction ends. */
  private owner: number | null = null;

  constructor(private readonly db: PGlite) {}

  enqueue(handlerId: number, message: Uint8Array, onData: (data: Uint8Array) => void): Promise<number> {
    return new Promise((resolve, reject) => {
      this.queue.push({ handlerId, message, onData, resolve, reject });
      void this.processQueue();
    });
  }

  private takeNext(): QueuedMessage | undefined {
    if (this.owner === null) return this.queue.shift();
    const index = this.queue.findIndex((item) => item.handlerId === this.owner);
    return index === -1 ? undefined : this.queue.splice(index, 1)[0];
  }

  private async processQueue(): Promise<void> {
    if (this.processing) return;
    this.processing = true;
    try {
      for (let item = this.takeNext(); item; item = this.takeNext()) {
        const current = item;
        let bytes = 0;
        try {
          await this.db.runExclusive(() =>
            this.db.execProtocolRawStream(current.message, {
              onRawData: (data: Uint8Array) => {
                bytes += data.length;
                current.onData(data);
              },
            }),
          );
        } catch (error) {
          current.reject(error);
          continue;
        }
        const type = current.message[0];
        const batchEnded = type === SYNC || type === QUERY || type === TERMINATE || isStartupMessage(current.message);
        this.owner = batchEnded && !this.db.isInTransaction() ? null : current.handlerId;
        current.resolve(bytes);
      }
    } finally {
      this.processing = false;
    }
  }

  getQueueLength(): number {
    return this.queue.length;
  }

  clearQueueForHandler(handlerId: number): void {
    this.queue = this.queue.filter((item) => {
      if (item.handlerId !== handlerId) return true;
      item.reject(new Error("Handler disconnected"));
      return false;
    });
  }

  /** A connection that drops while it owns the session must not leave a transaction open for everyone else. */
  async clearTransactionIfNeeded(handlerId: number): Promise<void> {
    if (this.owner !== handlerId) return;
    if (this.db.isInTransaction()) await this.db.exec("ROLLBACK");
    this.owner = null;
    await this.processQueue();
  }
}

/** Startup packets carry no type byte: length, then protocol version 3.0 (196608). */
function isStartupMessage(message: Uint8Array): boolean {
  if (message.length < 8) return false;
  const view = new DataView(message.buffer, message.byteOffset, message.byteLength);
  return view.getInt32(4) === 196608;
}
