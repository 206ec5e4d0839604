/**
 * The one check every API input passes before any procedure's schema or the domain sees it (applied by the base
 * tRPC procedure, so no procedure can forget it). It walks the decoded input once and decides per case:
 *
 * - **NUL (`\u0000`) in any string or key → rejected.** PostgreSQL cannot store it in `text` or `jsonb`; silently
 *   deleting it would change what the caller wrote, and no human text needs it.
 * - **Lone surrogates → replaced by U+FFFD.** This is the web's own rule for text (WHATWG "USVString", what
 *   `TextEncoder` and every browser form does); `text` columns already received U+FFFD through UTF-8 encoding, and
 *   now `jsonb` columns (which refuse `\ud800` escapes) get the same text instead of an error.
 * - **Sizes → rejected**: a string longer than `MAX_STRING_LENGTH` characters, a list longer than
 *   `MAX_COLLECTION_ITEMS`, nesting deeper than `MAX_DEPTH`. Field limits stay in each procedure's schema; these
 *   bound the work any input can cause before those run (the request body itself is capped by `body-limit.ts`).
 * - **Dates outside the years 1–9999, or invalid → rejected**: JavaScript dates reach ±275,760 years, PostgreSQL
 *   timestamps do not.
 */

export const MAX_STRING_LENGTH = 200_000;
export const MAX_COLLECTION_ITEMS = 10_000;
export const MAX_DEPTH = 32;
const MIN_DATE = Date.parse("0001-01-01T00:00:00.000Z");
const MAX_DATE = Date.parse("9999-12-31T23:59:59.999Z");

export type InputRejectionReason = "nul_character" | "string_too_long" | "too_many_items" | "too_deep" | "date_out_of_range";

/** Why an input was refused, with the field it was found in (e.g. `labels.quality`, `messages[2].text`). */
export class InputRejection extends Error {
  constructor(
    readonly reason: InputRejectionReason,
    readonly path: string,
    message: string,
  ) {
    super(message);
    this.name = "InputRejection";
  }
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** `String.prototype.toWellFormed` (ES2024): every lone surrogate becomes U+FFFD. */
export function toWellFormed(value: string): string {
  return value.replace(LONE_SURROGATE, "\uFFFD");
}

function describe(path: string): string {
  return path ? `The field "${path}"` : "The input";
}

function childPath(path: string, key: string | number): string {
  if (typeof key === "number") return `${path}[${key}]`;
  return path ? `${path}.${key}` : key;
}

function cleanString(value: string, path: string): string {
  if (value.includes("\u0000")) {
    throw new InputRejection("nul_character", path, `${describe(path)} contains a NUL character (\\u0000), which cannot be stored. Remove it and try again.`);
  }
  if (value.length > MAX_STRING_LENGTH) {
    throw new InputRejection("string_too_long", path, `${describe(path)} is too long (at most ${MAX_STRING_LENGTH.toLocaleString("en")} characters).`);
  }
  return toWellFormed(value);
}

function isPlainObject(value: object): value is Record<string, unknown> {
  const prototype = Object.getPrototypeOf(value) as unknown;
  return prototype === Object.prototype || prototype === null;
}

function clean(value: unknown, path: string, depth: number): unknown {
  if (typeof value === "string") return cleanString(value, path);
  if (value === null || typeof value !== "object") return value;
  if (depth >= MAX_DEPTH) throw new InputRejection("too_deep", path, `${describe(path)} is nested too deeply (at most ${MAX_DEPTH} levels).`);
  if (value instanceof Date) {
    const time = value.getTime();
    if (Number.isNaN(time) || time < MIN_DATE || time > MAX_DATE) {
      throw new InputRejection("date_out_of_range", path, `${describe(path)} must be a valid date between the years 1 and 9999.`);
    }
    return value;
  }
  if (Array.isArray(value)) {
    if (value.length > MAX_COLLECTION_ITEMS) {
      throw new InputRejection("too_many_items", path, `${describe(path)} has too many items (at most ${MAX_COLLECTION_ITEMS.toLocaleString("en")}).`);
    }
    return value.map((item, index) => clean(item, childPath(path, index), depth + 1));
  }
  if (value instanceof Map || value instanceof Set) {
    // superjson can decode these; walk their contents the same way (schemas decide whether they are acceptable).
    const entries = [...value.entries()];
    if (entries.length > MAX_COLLECTION_ITEMS) {
      throw new InputRejection("too_many_items", path, `${describe(path)} has too many items (at most ${MAX_COLLECTION_ITEMS.toLocaleString("en")}).`);
    }
    const cleaned = entries.map(([key, item], index) => [clean(key, childPath(path, index), depth + 1), clean(item, childPath(path, index), depth + 1)] as const);
    return value instanceof Map ? new Map(cleaned) : new Set(cleaned.map(([key]) => key));
  }
  if (!isPlainObject(value)) return value; // FormData, streams, class instances: schemas refuse what they do not expect
  const keys = Object.keys(value);
  if (keys.length > MAX_COLLECTION_ITEMS) {
    throw new InputRejection("too_many_items", path, `${describe(path)} has too many fields (at most ${MAX_COLLECTION_ITEMS.toLocaleString("en")}).`);
  }
  const result: Record<string, unknown> = {};
  for (const key of keys) {
    const cleanKey = cleanString(key, childPath(path, toWellFormed(key)));
    // defineProperty, not assignment: a "__proto__" key stays a plain own property.
    Object.defineProperty(result, cleanKey, { value: clean(value[key], childPath(path, cleanKey), depth + 1), enumerable: true, writable: true, configurable: true });
  }
  return result;
}

/** Returns the input with lone surrogates made well-formed, or throws `InputRejection` (see the module comment). */
export function sanitizeInput(value: unknown): unknown {
  return clean(value, "", 0);
}
