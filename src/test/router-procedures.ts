import type { z } from "zod";
import { appRouter } from "@/server/api/root";

/** Every procedure of the app router, read from the router itself, so suites that walk it miss none. */
export type RouterProcedure = {
  path: string;
  type: "query" | "mutation" | "subscription";
  /** The procedure's input schema, or null when it takes no input. */
  input: z.ZodType | null;
};

type ProcedureDef = { _def: { type: RouterProcedure["type"]; inputs: unknown[] } };

export function listProcedures(): RouterProcedure[] {
  const procedures = appRouter._def.procedures as unknown as Record<string, ProcedureDef>;
  return Object.entries(procedures)
    .map(([path, procedure]) => ({
      path,
      type: procedure._def.type,
      input: (procedure._def.inputs[0] as z.ZodType | undefined) ?? null,
    }))
    .sort((a, b) => a.path.localeCompare(b.path));
}

/** Calls `path` on a caller (`createCaller(...)`) with `input`; a subscription is opened and its first event awaited briefly. */
export async function callProcedure(caller: unknown, procedure: RouterProcedure, input: unknown): Promise<unknown> {
  let target = caller as Record<string, unknown>;
  const parts = procedure.path.split(".");
  for (const part of parts.slice(0, -1)) target = target[part] as Record<string, unknown>;
  const fn = target[parts.at(-1)!] as (input: unknown) => Promise<unknown>;
  const result = await fn(input);
  if (procedure.type !== "subscription") return result;
  const iterator = (result as AsyncIterable<unknown>)[Symbol.asyncIterator]();
  try {
    return await Promise.race([iterator.next(), new Promise((resolve) => setTimeout(resolve, 150))]);
  } finally {
    void iterator.return?.();
  }
}
