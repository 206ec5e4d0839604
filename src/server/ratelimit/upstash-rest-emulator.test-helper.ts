import { createHash } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Redis as IORedis } from "ioredis";

/**
 * Test support: a local HTTP server that speaks the part of the Upstash REST protocol @upstash/redis uses
 * (POST a command array, answer `{ result }` or `{ error }`, base64 strings when asked), backed by a real Redis.
 * It lets the production Upstash path run offline. Like Upstash it accepts ratelimit's `#!lua flags=…` shebang,
 * which plain Redis 7 refuses, so it strips it and maps the caller's script sha to the stripped script's sha.
 */
export async function startUpstashRestEmulator(redis: IORedis, token: string): Promise<{ url: string; close: () => Promise<void> }> {
  const sha1 = (text: string) => createHash("sha1").update(text).digest("hex");
  const localSha = new Map<string, string>();
  const encode = (value: unknown): unknown =>
    typeof value === "string" ? Buffer.from(value).toString("base64") : Array.isArray(value) ? value.map(encode) : value;

  const server: Server = createServer((request, response) => {
    let body = "";
    request.on("data", (chunk: Buffer) => (body += chunk.toString()));
    request.on("end", async () => {
      const reply = (status: number, payload: unknown) => {
        response.writeHead(status, { "content-type": "application/json" });
        response.end(JSON.stringify(payload));
      };
      if (request.headers.authorization !== `Bearer ${token}`) return reply(401, { error: "Unauthorized" });
      const base64 = request.headers["upstash-encoding"] === "base64";
      const run = async (commandArgs: string[]) => {
        const [command, ...args] = commandArgs.map(String) as [string, ...string[]];
        const name = command.toLowerCase();
        if (name === "eval") {
          const stripped = args[0]!.replace(/^#!lua[^\n]*\n/, "");
          localSha.set(sha1(args[0]!), sha1(stripped));
          args[0] = stripped;
        } else if (name === "evalsha") {
          args[0] = localSha.get(args[0]!) ?? args[0]!;
        }
        try {
          const result = await redis.call(name, ...args);
          return { result: base64 ? encode(result) : result };
        } catch (error) {
          return { error: (error as Error).message };
        }
      };
      const parsed = JSON.parse(body) as string[] | string[][];
      // /pipeline (the client's auto-pipelining) sends a list of commands and gets a list of answers.
      if (request.url?.startsWith("/pipeline")) return reply(200, await Promise.all((parsed as string[][]).map(run)));
      const answer = await run(parsed as string[]);
      reply("error" in answer ? 400 : 200, answer);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}
