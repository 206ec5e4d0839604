import { createReadStream } from "node:fs";
import { type Readable } from "node:stream";
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

/** Lines of a JSON Lines file, gunzipped when the name ends in `.gz`. */
export function readLines(filePath: string): AsyncGenerator<string> {
  const raw: Readable = createReadStream(filePath);
  return splitLines(filePath.endsWith(".gz") ? raw.pipe(createGunzip()) : raw);
}
