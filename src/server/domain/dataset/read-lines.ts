import { createReadStream } from "node:fs";
import { type Readable, Transform } from "node:stream";
import { StringDecoder } from "node:string_decoder";
import { createGunzip } from "node:zlib";

/**
 * Lines of a stream, one at a time, with constant memory. (node:readline's async iterator drops lines when the
 * consumer awaits slow work between lines, so it is not used here.)
 */
export async function* splitLines(input: AsyncIterable<Buffer | string>): AsyncGenerator<string> {
  const decoder = new StringDecoder("utf8");
  let carry = "";
  for await (const chunk of input) {
    carry += typeof chunk === "string" ? chunk : decoder.write(chunk);
    let newline = carry.indexOf("\n");
    while (newline >= 0) {
      yield carry.slice(0, newline).replace(/\r$/, "");
      carry = carry.slice(newline + 1);
      newline = carry.indexOf("\n");
    }
  }
  carry += decoder.end();
  if (carry.length > 0) yield carry.replace(/\r$/, "");
}

/**
 * Lines of a JSON Lines file, gunzipped when the name ends in `.gz`. `onBytesRead` receives the bytes read from
 * disk so far (compressed bytes for `.gz`), which against the file size gives a progress fraction.
 */
export function readLines(filePath: string, onBytesRead?: (bytes: number) => void): AsyncGenerator<string> {
  const raw: Readable = createReadStream(filePath);
  let bytes = 0;
  const counted = raw.pipe(
    new Transform({
      transform(chunk: Buffer, _encoding, callback) {
        bytes += chunk.length;
        onBytesRead?.(bytes);
        callback(null, chunk);
      },
    }),
  );
  raw.on("error", (error) => counted.destroy(error));
  if (!filePath.endsWith(".gz")) return splitLines(counted);
  const gunzip = createGunzip();
  counted.on("error", (error) => gunzip.destroy(error));
  return splitLines(counted.pipe(gunzip));
}
