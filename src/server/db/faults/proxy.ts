import net from "node:net";
import { Transform, type TransformCallback } from "node:stream";

/**
 * A TCP proxy on 127.0.0.1 in front of PostgreSQL that fault tests and the soak benchmark put between the app's
 * pool and the database, to make the database unreachable on demand:
 * - `refuse()`: stop listening (new connections get ECONNREFUSED) and cut the open ones;
 * - `stall()`: accept connections but never answer (a database that hangs; the connect timeout must fire);
 * - `cut()`: drop every open connection at once (a network blip, a crashed pooler);
 * - `accept()`: back to normal;
 * - `holdReplies()` / `releaseReplies()`: keep what the server sends in the meantime, then deliver it at once, also
 *   when the server closes the connection first (two messages sent apart arrive in one read, as on a busy network).
 *
 * `lingerAfterServerCloseMs` holds a connection open towards the client for that long after the server closed its
 * side, delivering everything the server sent before: a backend's last message (a FATAL error) then reaches the
 * pool well before the socket closes, as it does for a moment on any network when a backend exits.
 */
export type FaultProxy = {
  /** postgres:// URL that goes through the proxy (same user, password and database as the target). */
  readonly url: string;
  readonly port: number;
  readonly mode: "accept" | "refuse" | "stall";
  /** Connections opened through the proxy since it started. */
  readonly connectionsSeen: number;
  accept(): Promise<void>;
  refuse(): Promise<void>;
  stall(): Promise<void>;
  cut(): void;
  holdReplies(): void;
  releaseReplies(): void;
  close(): Promise<void>;
};

export async function startFaultProxy(targetUrl: string, { lingerAfterServerCloseMs = 0 } = {}): Promise<FaultProxy> {
  const target = new URL(targetUrl);
  const targetHost = target.hostname || "127.0.0.1";
  const targetPort = Number(target.port || 5432);
  const open = new Set<net.Socket>();
  const gates = new Set<ReplyGate>();
  let holding = false;
  let mode: FaultProxy["mode"] = "accept";
  let connectionsSeen = 0;
  let port = 0;

  const server = net.createServer((client) => {
    connectionsSeen++;
    open.add(client);
    client.on("close", () => open.delete(client));
    client.on("error", () => client.destroy());
    if (mode === "stall") return; // accepted, never answered
    const upstream = net.connect(targetPort, targetHost);
    open.add(upstream);
    const gate = new ReplyGate(holding);
    gates.add(gate);
    upstream.on("close", () => {
      open.delete(upstream);
      gates.delete(gate);
      if (lingerAfterServerCloseMs > 0) setTimeout(() => client.destroy(), lingerAfterServerCloseMs).unref();
      else client.destroy();
    });
    upstream.on("error", () => upstream.destroy());
    client.on("close", () => upstream.destroy());
    client.pipe(upstream);
    upstream.pipe(gate).pipe(client, { end: lingerAfterServerCloseMs === 0 });
  });

  const listen = () =>
    new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(port, "127.0.0.1", () => {
        server.off("error", reject);
        port = (server.address() as net.AddressInfo).port;
        resolve();
      });
    });
  const stopListening = () => new Promise<void>((resolve) => (server.listening ? server.close(() => resolve()) : resolve()));
  const cut = () => {
    for (const socket of open) socket.destroy();
    open.clear();
  };

  await listen();
  const url = new URL(targetUrl);
  url.hostname = "127.0.0.1";
  url.port = String(port);

  return {
    url: url.toString(),
    get port() {
      return port;
    },
    get mode() {
      return mode;
    },
    get connectionsSeen() {
      return connectionsSeen;
    },
    async accept() {
      mode = "accept";
      if (!server.listening) await listen();
    },
    async refuse() {
      mode = "refuse";
      const closing = stopListening();
      cut();
      await closing;
    },
    async stall() {
      mode = "stall";
      cut();
      if (!server.listening) await listen();
    },
    cut,
    holdReplies() {
      holding = true;
      for (const gate of gates) gate.hold();
    },
    releaseReplies() {
      holding = false;
      for (const gate of gates) gate.release();
    },
    async close() {
      const closing = stopListening();
      cut();
      await closing;
    },
  };
}

/**
 * Passes what the server sends through, or keeps it while held and passes it on as one chunk when released (or when
 * the server closes the connection).
 */
class ReplyGate extends Transform {
  private held: Buffer[] = [];
  constructor(private holding: boolean) {
    super();
  }
  hold() {
    this.holding = true;
  }
  release() {
    this.holding = false;
    if (this.held.length > 0) this.push(Buffer.concat(this.held.splice(0)));
  }
  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback) {
    if (this.holding) this.held.push(chunk);
    else this.push(chunk);
    done();
  }
  override _flush(done: TransformCallback) {
    this.release();
    done();
  }
}
