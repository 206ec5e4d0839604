import { createWriteStream } from "node:fs";
import { Readable, type Writable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { createGzip } from "node:zlib";

/**
 * Writes JSON Lines to a file (gzipped when the name ends in `.gz`, like OA `backend/export.py`) or to a stream
 * such as stdout. The lines are pulled one at a time with backpressure, so memory stays constant.
 */
export async function writeLines(
  lines: AsyncIterable<string>,
  target: string | Writable,
  onLine?: (linesWritten: number) => void,
): Promise<number> {
  let written = 0;
  async function* withNewlines() {
    for await (const line of lines) {
      yield `${line}\n`;
      written++;
      onLine?.(written);
    }
  }
  const source = Readable.from(withNewlines());
  if (typeof target !== "string") {
    // Leave stdout open for whoever owns it.
    await pipeline(source, target, { end: false });
  } else if (target.endsWith(".gz")) {
    await pipeline(source, createGzip(), createWriteStream(target));
  } else {
    await pipeline(source, createWriteStream(target));
  }
  return written;
}
