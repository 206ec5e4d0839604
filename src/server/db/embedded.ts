import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync, writeSync } from "node:fs";
import { type AddressInfo, createServer } from "node:net";
import path from "node:path";
import { ProtocolAwareQueryQueue } from "./embedded-queue";

/**
 * The zero-setup database: a real PostgreSQL wire-protocol server backed by PGlite, so the app, scripts, tests
 * and the worker all connect with postgres.js exactly as they would in production.
 *
 * Limits (see DESIGN.md): PostgreSQL 18 inside, transactions from different connections run one at a time,
 * LISTEN/NOTIFY is not delivered across connections, and exactly one process may own a data directory.
 */
export type EmbeddedPostgres = {
  /** postgres:// URL clients connect to. */
  url: string;
  stop: () => Promise<void>;
  /** A tarball of the data directory (used by tests to clone a migrated database quickly). */
  dump: () => Promise<Blob>;
};

export type EmbeddedPostgresOptions = {
  /** Where the data lives; omit for an in-memory database. */
  dataDir?: string;
  /** Start from a tarball made by `dump()` instead of an empty cluster. */
  loadDataDir?: Blob;
  /** 0 picks a free port. */
  port?: number;
  /** Connections served at once (they are multiplexed onto the single PGlite session). */
  maxConnections?: number;
};

export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions = {}): Promise<EmbeddedPostgres> {
  const { PGlite } = await import("@electric-sql/pglite");
  const { PGLiteSocketHandler } = await import("@electric-sql/pglite-socket");
  if (options.dataDir) mkdirSync(path.dirname(path.resolve(options.dataDir)), { recursive: true });
  const { pg_trgm } = await import("@electric-sql/pglite/contrib/pg_trgm");
  // pg_trgm backs the moderators' substring search (migration admin_search); PostgreSQL servers ship it as contrib.
  const pglite = await PGlite.create({ dataDir: options.dataDir, loadDataDir: options.loadDataDir, extensions: { pg_trgm } });
  const queryQueue = new ProtocolAwareQueryQueue(pglite);
  const maxConnections = options.maxConnections ?? 32;
  const handlers = new Set<InstanceType<typeof PGLiteSocketHandler>>();

  // pglite-socket's server, with our queue in place of its own (see ProtocolAwareQueryQueue for why).
  const server = createServer((socket) => {
    if (handlers.size >= maxConnections) {
      socket.end();
      return;
    }
    const handler = new PGLiteSocketHandler({
      queryQueue: queryQueue as unknown as ConstructorParameters<typeof PGLiteSocketHandler>[0]["queryQueue"],
      closeOnDetach: true,
    });
    handlers.add(handler);
    handler.addEventListener("close", () => handlers.delete(handler));
    handler.addEventListener("error", () => handlers.delete(handler));
    void handler.attach(socket);
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
  let stopped = false;
  return {
    url,
    dump: () => pglite.dumpDataDir("none") as Promise<Blob>,
    stop: async () => {
      if (stopped) return;
      stopped = true;
      await Promise.all([...handlers].map((handler) => handler.detach(true)));
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await pglite.close();
    },
  };
}

export type DataDirLock = {
  /** Records where the server listens, so that other processes can reuse it. */
  publish: (url: string) => void;
  release: () => void;
};

/** Who owns a data directory right now, as written in its lock file; `url` is null while it is starting. */
export type DataDirOwner = { pid: number; url: string | null };

export class DataDirBusyError extends Error {
  constructor(readonly owner: DataDirOwner, dataDir: string) {
    super(
      owner.url
        ? `The embedded database in ${dataDir} is already served by process ${owner.pid} at ${owner.url}`
        : `The embedded database in ${dataDir} is being started by process ${owner.pid}; try again in a moment`,
    );
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * PGlite has no lock of its own: two processes opening one directory silently diverge and can corrupt it
 * (stack-notes G4). The lock file is created atomically (`wx`); a lock left by a dead process is taken over.
 */
export function lockDataDir(dataDir: string): DataDirLock {
  const lockPath = `${path.resolve(dataDir)}.lock`;
  mkdirSync(path.dirname(lockPath), { recursive: true });
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(lockPath, "wx");
      writeSync(fd, JSON.stringify({ pid: process.pid, url: null } satisfies DataDirOwner));
      closeSync(fd);
      return {
        publish: (url) => writeFileSync(lockPath, JSON.stringify({ pid: process.pid, url } satisfies DataDirOwner)),
        release: () => rmSync(lockPath, { force: true }),
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      const owner = readDataDirOwner(dataDir);
      if (owner && isAlive(owner.pid)) throw new DataDirBusyError(owner, dataDir);
      rmSync(lockPath, { force: true });
    }
  }
  throw new Error(`Could not lock ${dataDir}`);
}

export function readDataDirOwner(dataDir: string): DataDirOwner | null {
  try {
    const owner = JSON.parse(readFileSync(`${path.resolve(dataDir)}.lock`, "utf8")) as DataDirOwner;
    return typeof owner.pid === "number" ? owner : null;
  } catch {
    return null;
  }
}
