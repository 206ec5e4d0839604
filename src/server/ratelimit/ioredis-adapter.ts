import { createHash } from "node:crypto";
import type { Redis as UpstashRedis } from "@upstash/redis";
import type { Redis as IORedis } from "ioredis";

const sha1 = (text: string) => createHash("sha1").update(text).digest("hex");
const asArgument = (value: unknown) =>
  value == null ? "" : typeof value === "object" ? JSON.stringify(value) : String(value);

/**
 * Gives @upstash/ratelimit the part of the Upstash client it needs, on a plain Redis server through ioredis
 * (stack-notes G8). Every algorithm only calls `evalsha`/`eval`. Since ratelimit 2.1 each script starts with
 * `#!lua flags=allow-key-locking`, which OSS Redis 7 rejects ("Unexpected flag in script shebang"); we strip that
 * line and remember which local sha belongs to the upstream sha, so EVALSHA keeps hitting the script cache.
 */
export function upstashRedisOverIORedis(redis: IORedis): UpstashRedis {
  const localSha = new Map<string, string>();
  const strip = (script: string) => script.replace(/^#!lua[^\n]*\n/, "");
  const adapter = {
    evalsha: (sha: string, keys: string[], args: unknown[]) =>
      redis.evalsha(localSha.get(sha) ?? sha, keys.length, ...keys, ...args.map(asArgument)),
    eval: (script: string, keys: string[], args: unknown[]) => {
      const stripped = strip(script);
      localSha.set(sha1(script), sha1(stripped));
      return redis.eval(stripped, keys.length, ...keys, ...args.map(asArgument));
    },
  };
  // The ratelimit types ask for the whole Upstash client; these two calls are all it uses on this path.
  return adapter as unknown as UpstashRedis;
}
