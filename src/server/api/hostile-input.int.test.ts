import { TRPCError } from "@trpc/server";
import { sql } from "drizzle-orm";
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/server/db/client";
import { createApiClient } from "@/server/domain/api-clients/keys";
import { registerWorker } from "@/server/domain/chat/workers";
import { AppError } from "@/server/errors";
import { setupTestDatabase } from "@/test/database";
import { callerFor, createTestUser, testTreeDeps } from "@/test/factories";
import { boundaryCases, HOSTILE_STRINGS, type IdPool, inputArbitrary } from "@/test/hostile-input";
import { callProcedure, listProcedures, type RouterProcedure } from "@/test/router-procedures";
import { Contributor } from "@/test/task-driver";
import { handleTrpcHttpRequest } from "./http-handler";
import { createTRPCContext } from "./trpc";

/**
 * The hostile-input suite (issue 12): every procedure of the router — read from the router, so a new one is
 * covered without anyone remembering to — called as an admin with generated inputs (the schema's shape with
 * hostile leaves, boundary values and garbage). Every answer must be a result or a typed error, never an
 * INTERNAL_SERVER_ERROR; a mutation that fails must leave the database exactly as it was. Then every procedure over
 * HTTP with a malformed and with an oversized body. Bounded: a fixed seed and a few runs per procedure.
 */

const t = setupTestDatabase();
const RUNS_PER_PROCEDURE = Number(process.env.HOSTILE_RUNS ?? 4);
const SEED = Number(process.env.HOSTILE_SEED ?? 20_261_130);
const MODEL = "OA_SFT_Llama_30B_6";

/** Two pools: tree messages and chat messages are both "messageId" in their procedures. */
let idPools: IdPool[] = [];
let tables: string[] = [];

/** One hash over the content of every table: equal before and after means nothing was written. */
async function fingerprint(db: Database): Promise<string> {
  const parts = tables.map((table) => sql`select ${table}::text as t, md5(coalesce(string_agg(md5(x::text), '' order by md5(x::text)), '')) as h from ${sql.identifier(table)} x`);
  const rows = (await db.execute(sql.join(parts, sql` union all `))) as unknown as { t: string; h: string }[];
  return rows.map((row) => `${row.t}:${row.h}`).join(",");
}

beforeAll(async () => {
  const listed = (await t.db.execute(sql`select tablename from pg_tables where schemaname = 'public' order by tablename`)) as unknown as { tablename: string }[];
  tables = listed.map((row) => row.tablename);

  // Real ids to aim at, so generated inputs reach past "not found": a tree with replies, open tasks, a chat.
  const deps = testTreeDeps({ numReviewsInitialPrompt: 1, numReviewsReply: 1 });
  const [alice, bob, carol] = await Promise.all(["Alice", "Bob", "Carol"].map((name) => Contributor.create(t.db, deps, `${name} hostile`)));
  const { result: promptId } = await alice!.requestAndComplete("initial_prompt", "en");
  await bob!.requestAndComplete("label_initial_prompt", "en").catch(() => null);
  const openTask = await carol!.request("random", "en").catch(() => null);
  await registerWorker(t.db, { name: "hostile", engine: "test", models: [MODEL], hostname: "here" });
  const chatOwner = await createTestUser(t.db);
  const chat = callerFor(t.db, chatOwner.id).chat;
  const { id: chatId } = await chat.create();
  const { prompt, reply } = await chat.postMessage({ chatId, parentId: null, content: "Hello there", reply: { modelConfigName: MODEL } });
  const { client } = await createApiClient(t.db, { description: "hostile target", frontendType: "test", trusted: false });
  const present = (...ids: (string | null | undefined)[]) => ids.filter((id): id is string => Boolean(id));
  const shared = { chat: [chatId], user: present(alice!.id, bob!.id, chatOwner.id), task: present(openTask?.id), client: [client.id] };
  idPools = [
    { ...shared, message: present(promptId), "*": present(promptId) },
    { ...shared, message: present(prompt.id, reply?.id), "*": present(prompt.id) },
  ];
});

type Failure = { path: string; input: string; problem: string };

function describeInput(input: unknown): string {
  const text = (() => {
    try {
      return JSON.stringify(input, (_key, value: unknown) => (typeof value === "string" && value.length > 60 ? `${value.slice(0, 20)}…(${value.length} chars)` : value));
    } catch {
      return String(input);
    }
  })();
  return (text ?? "undefined").slice(0, 300);
}

/**
 * The database fingerprint before the next call: kept from the previous call when nothing can have changed since
 * (a failure), recomputed after a successful mutation. Only failures past input validation are compared, since a
 * rejected input never reaches procedure code.
 */
let knownState: string | null = null;

/** Calls the procedure and reports what went wrong, if anything. */
async function probe(caller: unknown, procedure: RouterProcedure, input: unknown): Promise<string | null> {
  const isMutation = procedure.type === "mutation";
  if (isMutation) knownState ??= await fingerprint(t.db);
  try {
    await callProcedure(caller, procedure, input);
    knownState = null; // a success may write; an unknown state until measured again
    return null;
  } catch (error) {
    if (!(error instanceof TRPCError)) return `threw a non-tRPC error: ${String(error)}`;
    if (error.code === "INTERNAL_SERVER_ERROR") return `INTERNAL_SERVER_ERROR: ${String(error.cause ?? error.message).slice(0, 300)}`;
    if (!error.message || /^\s*[[{]/.test(error.message)) return `${error.code} without a human message: ${error.message.slice(0, 200)}`;
    const rejectedInput = error.cause?.name === "ZodError" || error.cause?.name === "$ZodError" || (error.cause instanceof AppError && error.cause.details?.reason !== undefined);
    if (error.code === "BAD_REQUEST" && !(error.cause instanceof AppError) && !rejectedInput) return `BAD_REQUEST without a typed cause: ${error.message}`;
    if (isMutation && !rejectedInput && knownState !== null) {
      const after = await fingerprint(t.db);
      if (after !== knownState) {
        knownState = after;
        return `failed (${error.code}: ${error.message}) but changed the database (partial write)`;
      }
    }
    return null;
  }
}

describe("hostile input, every procedure", () => {
  const procedures = listProcedures();

  it("covers the whole router", () => {
    expect(procedures.length).toBeGreaterThan(60);
  });

  it.each(procedures.map((procedure) => [procedure.path, procedure] as const))(
    "%s: random, boundary and hostile inputs get a result or a typed error, and failures write nothing",
    async (_path, procedure) => {
      const admin = await createTestUser(t.db, { role: "admin" });
      const key = await createApiClient(t.db, { description: `hostile caller ${procedure.path}`, frontendType: "test", trusted: true });
      // Signed in as an admin, so every guard lets the input through to the procedure; the key serves apiClient calls.
      const caller = callerFor(t.db, admin.id, { "x-api-key": key.key }, testTreeDeps());
      // The caller's own chat and task, so chat and task procedures get past "not yours".
      const own = callerFor(t.db, admin.id, {}, testTreeDeps());
      const { id: chatId } = await own.chat.create();
      const { prompt } = await own.chat.postMessage({ chatId, parentId: null, content: "Mine" });
      const task = await own.tasks.request({ type: "random", lang: "en" }).catch(() => null);
      const ownPool: IdPool = { ...idPools[1], chat: [chatId], message: [prompt.id], task: task ? [task.id] : [], "*": [prompt.id] };
      const pools: IdPool[] = [...idPools, ownPool];
      const failures: Failure[] = [];
      knownState = null; // the setup above wrote

      // Boundary cases first (every leaf of the schema in turn made hostile), then generated ones.
      for (const input of [undefined, null, [], ...boundaryCases(procedure.input, [idPools[0]!, ownPool])]) {
        const problem = await probe(caller, procedure, input);
        if (problem) failures.push({ path: procedure.path, input: describeInput(input), problem });
      }
      await fc.assert(
        fc.asyncProperty(inputArbitrary(procedure.input, pools), async (input) => {
          const problem = await probe(caller, procedure, input);
          if (problem) failures.push({ path: procedure.path, input: describeInput(input), problem });
          return problem === null;
        }),
        { numRuns: RUNS_PER_PROCEDURE, seed: SEED, endOnFailure: true },
      ).catch(() => {
        // The failures list below says what went wrong, with the inputs.
      });
      expect(failures).toEqual([]);
    },
  );
});

describe("hostile bodies over HTTP, every procedure", () => {
  async function send(procedure: RouterProcedure, userId: string, init: { body?: BodyInit; query?: string; headers?: Record<string, string> }) {
    const isQuery = procedure.type !== "mutation";
    const url = `http://localhost/api/trpc/${procedure.path}${init.query ? `?input=${init.query}` : ""}`;
    const request = new Request(url, {
      method: isQuery ? "GET" : "POST",
      headers: { "content-type": "application/json", ...init.headers },
      body: isQuery ? undefined : init.body,
    });
    const response = await handleTrpcHttpRequest(request, {
      createContext: async (req) => createTRPCContext({ db: t.db, headers: req.headers, sessionUserId: userId }),
    });
    const text = await response.text();
    const json = (() => {
      try {
        return JSON.parse(text) as { error?: { json?: { data?: { appCode?: string } } } };
      } catch {
        return {};
      }
    })();
    return { status: response.status, appCode: json.error?.json?.data?.appCode };
  }

  it("refuses a malformed body (or query input) with a typed 400 before anything runs, for every procedure", async () => {
    const admin = await createTestUser(t.db, { role: "admin" });
    const before = await fingerprint(t.db);
    const wrong: string[] = [];
    for (const procedure of listProcedures().filter((p) => p.type !== "subscription")) {
      const answer = await send(procedure, admin.id, { body: "{not json", query: encodeURIComponent("{not json") });
      if (answer.status !== 400 || answer.appCode !== "INVALID_INPUT") wrong.push(`${procedure.path}: ${answer.status} ${answer.appCode}`);
    }
    expect(wrong).toEqual([]);
    expect(await fingerprint(t.db), "nothing was written").toBe(before);
  });

  it("answers an oversized body with a typed 413 for every mutation", async () => {
    const admin = await createTestUser(t.db, { role: "admin" });
    const huge = JSON.stringify({ json: { text: HOSTILE_STRINGS.at(-1)!.repeat(40) } });
    const wrong: string[] = [];
    for (const procedure of listProcedures().filter((p) => p.type === "mutation")) {
      const answer = await send(procedure, admin.id, { body: huge });
      if (answer.status !== 413 || answer.appCode !== "PAYLOAD_TOO_LARGE") wrong.push(`${procedure.path}: ${answer.status} ${answer.appCode}`);
    }
    expect(wrong).toEqual([]);
  });
});
