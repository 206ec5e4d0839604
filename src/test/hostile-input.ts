import fc from "fast-check";
import { z } from "zod";

/**
 * Inputs for any procedure, derived from its zod input schema (through `z.toJSONSchema`): mostly the shape the
 * schema asks for, with every leaf sometimes replaced by something hostile — NUL characters, lone surrogates, huge
 * and exotic unicode strings, boundary and non-finite numbers, dates PostgreSQL cannot store — and now and then a
 * value of a different shape altogether.
 */

type JsonSchema = {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  items?: JsonSchema;
  prefixItems?: JsonSchema[];
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  enum?: unknown[];
  const?: unknown;
  format?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  minItems?: number;
  maxItems?: number;
  default?: unknown;
};

export const HOSTILE_STRINGS = [
  "\u0000",
  "before\u0000after",
  "\ud800",
  "lone \udfff low",
  "x\ud83d",
  "𝔥𝔢𝔩𝔩𝔬 🙂‍↔️ 👩🏽‍💻",
  "\u202eevil\u202c",
  "Ω≈ç√∫˜µ≤≥÷ 日本語 العربية",
  "' OR 1=1 --",
  "<script>alert(1)</script>",
  "%00%ff",
  "\\x00",
  "   ",
  "",
  "a".repeat(70_000),
  "é".repeat(5_000),
  "🙂".repeat(30_000),
] as const;

export const BOUNDARY_NUMBERS = [0, -0, 1, -1, 0.5, 2 ** 31 - 1, 2 ** 31, -(2 ** 31) - 1, Number.MAX_SAFE_INTEGER, Number.MIN_SAFE_INTEGER, 1e308, -1e308, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY];

export const BOUNDARY_DATES = [
  new Date(-8.64e15), // -271821-04-20, the smallest JavaScript date
  new Date(8.64e15),
  new Date(Number.NaN),
  new Date(0),
  new Date("0001-01-01T00:00:00Z"),
  new Date("9999-12-31T23:59:59Z"),
  new Date(),
];

const hostileLeaf: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(...HOSTILE_STRINGS),
  fc.constantFrom(...BOUNDARY_NUMBERS),
  fc.constantFrom(...BOUNDARY_DATES),
  fc.constantFrom(null, true, false, [], {}),
  fc.string({ unit: "binary", maxLength: 40 }),
);

/**
 * Real ids to aim at, by the kind of field: `message`, `chat`, `user`, `task`, `client` and `*` for the rest. A
 * field's kind comes from its name (`chatId` → chat, `rankedMessageIds` → message, `parentId` → message).
 */
export type IdPool = Partial<Record<"message" | "chat" | "user" | "task" | "client" | "*", readonly string[]>>;

function idsFor(pool: IdPool, key: string | undefined): readonly string[] {
  const name = (key ?? "").toLowerCase();
  const kind = name.includes("chat")
    ? "chat"
    : name.includes("user")
      ? "user"
      : name.includes("task")
        ? "task"
        : name.includes("message") || name.includes("parent")
          ? "message"
          : name === "id"
            ? "client"
            : "*";
  const ids = pool[kind] ?? [];
  return ids.length > 0 ? ids : (pool["*"] ?? []);
}

function bounded(min: number | undefined, max: number | undefined, fallbackMax: number) {
  const low = min ?? 0;
  return { minLength: low, maxLength: Math.max(low, Math.min(max ?? fallbackMax, low + fallbackMax)) };
}

function numberArbitrary(schema: JsonSchema, integer: boolean): fc.Arbitrary<unknown> {
  const min = schema.minimum ?? (schema.exclusiveMinimum !== undefined ? schema.exclusiveMinimum + 1 : -1000);
  const max = schema.maximum ?? (schema.exclusiveMaximum !== undefined ? schema.exclusiveMaximum - 1 : 1000);
  const low = Math.max(min, -1e9);
  const high = Math.min(Math.max(max, low), 1e9);
  const inRange = integer ? fc.integer({ min: Math.ceil(low), max: Math.floor(high) }) : fc.double({ min: low, max: high, noNaN: true });
  return fc.oneof({ weight: 3, arbitrary: inRange }, { weight: 1, arbitrary: fc.constantFrom(min, max, min - 1, max + 1, ...BOUNDARY_NUMBERS) });
}

function stringArbitrary(schema: JsonSchema, pool: IdPool, key: string | undefined): fc.Arbitrary<unknown> {
  if (schema.format === "uuid") {
    const ids = idsFor(pool, key);
    const real = ids.length > 0 ? [fc.constantFrom(...ids)] : [];
    return fc.oneof(...real, ...real, fc.uuid(), fc.constant("00000000-0000-0000-0000-000000000000"));
  }
  const size = bounded(schema.minLength, schema.maxLength, 60);
  return fc.oneof(
    { weight: 3, arbitrary: fc.string({ ...size, unit: "grapheme" }) },
    { weight: 1, arbitrary: fc.string({ ...size, unit: "binary" }) },
    { weight: 1, arbitrary: fc.constantFrom("en", "de", "zh", "en-US", "random", "day", "total", "a") },
  );
}

function schemaArbitrary(schema: JsonSchema, uuidPool: IdPool, depth: number, key: string | undefined): fc.Arbitrary<unknown> {
  const shaped = shapedArbitrary(schema, uuidPool, depth, key);
  // Every leaf and every node is now and then something hostile instead.
  return fc.oneof({ weight: 5, arbitrary: shaped }, { weight: 1, arbitrary: hostileLeaf });
}

function shapedArbitrary(schema: JsonSchema, uuidPool: IdPool, depth: number, key?: string): fc.Arbitrary<unknown> {
  if (depth > 6) return hostileLeaf;
  const next = (child: JsonSchema, childKey: string | undefined = key) => schemaArbitrary(child, uuidPool, depth + 1, childKey);
  if (schema.const !== undefined) return fc.constant(schema.const);
  if (schema.enum) return fc.constantFrom(...schema.enum);
  const variants = schema.anyOf ?? schema.oneOf;
  if (variants && variants.length > 0) return fc.oneof(...variants.map((variant) => next(variant)));
  if (schema.allOf && schema.allOf.length > 0) return next(schema.allOf[0]!);
  const types = Array.isArray(schema.type) ? schema.type : schema.type ? [schema.type] : [];
  if (types.length > 1) return fc.oneof(...types.map((type) => shapedArbitrary({ ...schema, type }, uuidPool, depth, key)));
  switch (types[0]) {
    case "null":
      return fc.constant(null);
    case "boolean":
      return fc.boolean();
    case "integer":
      return numberArbitrary(schema, true);
    case "number":
      return numberArbitrary(schema, false);
    case "string":
      return stringArbitrary(schema, uuidPool, key);
    case "array": {
      const item = schema.items ?? {};
      const size = bounded(schema.minItems, schema.maxItems, 4);
      return fc.oneof({ weight: 4, arbitrary: fc.array(next(item), size) }, { weight: 1, arbitrary: fc.constant(Array.from({ length: 10_001 }, () => "x")) });
    }
    case "object": {
      const properties = Object.entries(schema.properties ?? {});
      const record = fc.record(Object.fromEntries(properties.map(([name, child]) => [name, next(child, name)])), {
        requiredKeys: (schema.required ?? []).filter((key) => schema.properties?.[key]),
      });
      const extra =
        typeof schema.additionalProperties === "object"
          ? fc.dictionary(fc.oneof(fc.string({ maxLength: 12 }), fc.constantFrom(...HOSTILE_STRINGS.slice(0, 5))), next(schema.additionalProperties), { maxKeys: 4 })
          : fc.constant({});
      return fc.tuple(record, extra).map(([known, more]) => ({ ...more, ...known }));
    }
    default:
      // No JSON Schema form (z.date(), z.any()): dates at the edges of time, or anything at all.
      return fc.oneof(fc.constantFrom(...BOUNDARY_DATES), fc.anything({ maxDepth: 2 }));
  }
}

/** Arbitrary inputs for a procedure's input schema (`null`: it takes none — then anything at all is sent). */
export function inputArbitrary(schema: z.ZodType | null, pools: readonly IdPool[]): fc.Arbitrary<unknown> {
  if (!schema) return fc.oneof(fc.constant(undefined), fc.anything({ maxDepth: 2 }), hostileLeaf);
  const json = z.toJSONSchema(schema, { io: "input", unrepresentable: "any" }) as JsonSchema;
  const shaped = fc.oneof(...pools.map((pool) => shapedArbitrary(json, pool, 0)));
  return fc.oneof({ weight: 8, arbitrary: shaped }, { weight: 1, arbitrary: hostileLeaf }, { weight: 1, arbitrary: fc.anything({ maxDepth: 3 }) });
}

type Leaf = { path: (string | number)[]; kind: "string" | "number" | "date" | "other" };

/** A plausible input with every optional field present, so every leaf of the schema can be aimed at. */
function fullSample(schema: JsonSchema, uuidPool: IdPool, path: (string | number)[], leaves: Leaf[], depth = 0, requiredOnly = false): unknown {
  if (depth > 6) return null;
  if (schema.const !== undefined) return schema.const;
  if (schema.enum) return schema.enum[0];
  const variants = schema.anyOf ?? schema.oneOf;
  if (variants && variants.length > 0) {
    const variant = variants.find((candidate) => candidate.type !== "null") ?? variants[0]!;
    return fullSample(variant, uuidPool, path, leaves, depth + 1, requiredOnly);
  }
  if (schema.allOf && schema.allOf.length > 0) return fullSample(schema.allOf[0]!, uuidPool, path, leaves, depth + 1, requiredOnly);
  const type = Array.isArray(schema.type) ? schema.type.find((candidate) => candidate !== "null") : schema.type;
  switch (type) {
    case "null":
      return null;
    case "boolean":
      return typeof schema.default === "boolean" ? schema.default : false;
    case "integer":
    case "number": {
      leaves.push({ path, kind: "number" });
      const min = schema.minimum ?? (schema.exclusiveMinimum !== undefined ? schema.exclusiveMinimum + 1 : 1);
      return Math.min(Math.max(min, 1), schema.maximum ?? Number.MAX_SAFE_INTEGER);
    }
    case "string": {
      leaves.push({ path, kind: "string" });
      if (schema.format === "uuid") {
        const name = [...path].reverse().find((part): part is string => typeof part === "string");
        return idsFor(uuidPool, name)[0] ?? "00000000-0000-4000-8000-000000000000";
      }
      return "en".padEnd(schema.minLength ?? 0, "a");
    }
    case "array":
      return [fullSample(schema.items ?? {}, uuidPool, [...path, 0], leaves, depth + 1, requiredOnly)];
    case "object": {
      const result: Record<string, unknown> = {};
      for (const [key, child] of Object.entries(schema.properties ?? {})) {
        if (requiredOnly && !schema.required?.includes(key)) continue;
        result[key] = fullSample(child, uuidPool, [...path, key], leaves, depth + 1, requiredOnly);
      }
      if (typeof schema.additionalProperties === "object") {
        leaves.push({ path: [...path, "__key__"], kind: "other" });
        result.spam = fullSample(schema.additionalProperties, uuidPool, [...path, "spam"], leaves, depth + 1, requiredOnly);
      }
      return result;
    }
    default:
      leaves.push({ path, kind: "date" });
      return new Date();
  }
}

function withLeaf(sample: unknown, path: (string | number)[], value: unknown): unknown {
  if (path.length === 0) return value;
  const [head, ...rest] = path;
  if (head === "__key__") {
    const copy = { ...(sample as Record<string, unknown>) };
    copy[value as string] = 0;
    return copy;
  }
  const container = (Array.isArray(sample) ? [...sample] : { ...(sample as Record<string, unknown>) }) as Record<string | number, unknown>;
  container[head!] = withLeaf(container[head!], rest, value);
  return container;
}

/**
 * Deterministic boundary cases: one plausible input with every field present, then that input with each leaf in
 * turn replaced by what broke the server before (a NUL character, a lone surrogate, a 300,000-character string,
 * non-finite and huge numbers, dates outside PostgreSQL's range).
 */
export function boundaryCases(schema: z.ZodType | null, pools: readonly IdPool[]): unknown[] {
  if (!schema) return [undefined, null, {}, "\u0000"];
  const json = z.toJSONSchema(schema, { io: "input", unrepresentable: "any" }) as JsonSchema;
  // Each base twice: with every optional field (to reach them all) and with only the required ones (so an optional
  // field that fails early, such as an unknown model name, does not hide the rest).
  return pools.flatMap((pool) => [...leafCases(json, pool, false), ...leafCases(json, pool, true)]);
}

const REPLACEMENTS: Record<Leaf["kind"], readonly unknown[]> = {
  string: ["en\u0000", "x\ud800y", "a".repeat(300_000)],
  number: [Number.NaN, 1e308],
  date: [new Date(-8.64e15), new Date(Number.NaN)],
  other: ["label\u0000", "\ud800"],
};

function leafCases(json: JsonSchema, pool: IdPool, requiredOnly: boolean): unknown[] {
  const leaves: Leaf[] = [];
  const base = fullSample(json, pool, [], leaves, 0, requiredOnly);
  const cases: unknown[] = [base];
  for (const leaf of leaves) {
    for (const value of REPLACEMENTS[leaf.kind]) cases.push(withLeaf(base, leaf.path, value));
  }
  return cases;
}
