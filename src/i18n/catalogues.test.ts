/**
 * Every shipped locale has exactly the English catalogue: the same files, the same nested key paths (no missing, no
 * extra keys) and, per message, valid ICU syntax with the same placeholders. When English grows, the failure lists
 * the keys to add per file, with the English text to translate.
 */
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import IntlMessageFormat from "intl-messageformat";
import { describe, expect, it } from "vitest";
import { DEFAULT_LOCALE, LOCALES, NAMESPACES } from "./config";

const MESSAGES_DIR = path.join(import.meta.dirname, "messages");
const OTHER_LOCALES = LOCALES.filter((locale) => locale !== DEFAULT_LOCALE);

type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

function namespacesIn(locale: string): string[] {
  return readdirSync(path.join(MESSAGES_DIR, locale))
    .filter((file) => file.endsWith(".json"))
    .map((file) => file.slice(0, -".json".length))
    .sort();
}

function readCatalogue(locale: string, namespace: string): Json | undefined {
  try {
    return JSON.parse(readFileSync(path.join(MESSAGES_DIR, locale, `${namespace}.json`), "utf8")) as Json;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
}

/** Leaf messages by dotted key path; arrays count as objects keyed by index ("tos.points.0"). */
function flatten(value: Json | undefined, prefix = "", out = new Map<string, unknown>()): Map<string, unknown> {
  if (value !== null && typeof value === "object") {
    for (const [key, child] of Object.entries(value)) flatten(child, prefix ? `${prefix}.${key}` : key, out);
  } else if (value !== undefined) {
    out.set(prefix, value);
  }
  return out;
}

// Element types of @formatjs/icu-messageformat-parser's AST (its TYPE enum).
const TYPE = { literal: 0, argument: 1, number: 2, date: 3, time: 4, select: 5, plural: 6, pound: 7, tag: 8 } as const;
const TYPE_NAMES = Object.fromEntries(Object.entries(TYPE).map(([name, type]) => [type, name]));

interface AstElement {
  type: number;
  value?: string;
  options?: Record<string, { value: AstElement[] }>;
  pluralType?: "cardinal" | "ordinal";
  children?: AstElement[];
}

/** Plural categories a language actually uses for whole numbers (fr/es "many" only applies to millions). */
const pluralCategoryCache = new Map<string, Set<string>>();
function usedPluralCategories(locale: string, type: "cardinal" | "ordinal"): Set<string> {
  const cacheKey = `${locale}:${type}`;
  let categories = pluralCategoryCache.get(cacheKey);
  if (!categories) {
    const rules = new Intl.PluralRules(locale, { type });
    categories = new Set<string>();
    for (let n = 0; n <= 1000; n++) categories.add(rules.select(n));
    pluralCategoryCache.set(cacheKey, categories);
  }
  return categories;
}

interface Shape {
  /** "name:type" for every argument, tag and plural/select anywhere in the message. */
  placeholders: Set<string>;
  /** Problems that do not depend on the English text (plural forms the language needs). */
  problems: string[];
  /** Options of each select ("name" → keys), which must match English, and exact plural matches ("=0"), which must be kept. */
  fixedOptions: Map<string, string[]>;
}

function shapeOf(message: string, locale: string): Shape {
  const ast = new IntlMessageFormat(message, locale).getAst() as AstElement[];
  const shape: Shape = { placeholders: new Set(), problems: [], fixedOptions: new Map() };
  const walk = (elements: AstElement[]) => {
    for (const element of elements) {
      if (element.type === TYPE.literal || element.type === TYPE.pound) continue;
      shape.placeholders.add(`${element.value}:${TYPE_NAMES[element.type]}`);
      if (element.type === TYPE.tag) walk(element.children ?? []);
      if (!element.options) continue;
      const keys = Object.keys(element.options);
      if (!keys.includes("other")) shape.problems.push(`{${element.value}} has no "other" case`);
      if (element.type === TYPE.select) shape.fixedOptions.set(`{${element.value}, select}`, [...keys].sort());
      if (element.type === TYPE.plural) {
        const exact = keys.filter((key) => key.startsWith("="));
        if (exact.length) shape.fixedOptions.set(`{${element.value}, plural} exact cases`, exact.sort());
        const needed = usedPluralCategories(locale, element.pluralType ?? "cardinal");
        const missing = [...needed].filter((category) => !keys.includes(category));
        const unused = keys.filter((key) => !key.startsWith("=") && key !== "other" && !needed.has(key));
        if (missing.length) shape.problems.push(`{${element.value}, plural} lacks the ${locale} forms: ${missing.join(", ")}`);
        if (unused.length) shape.problems.push(`{${element.value}, plural} has forms ${locale} never uses: ${unused.join(", ")}`);
      }
      for (const option of Object.values(element.options)) walk(option.value);
    }
  };
  walk(ast);
  return shape;
}

function describeMessageProblems(key: string, english: unknown, translated: unknown, locale: string): string[] {
  if (typeof english !== "string" || typeof translated !== "string") {
    return typeof english === typeof translated ? [] : [`${key}: is a ${typeof translated}, English has a ${typeof english}`];
  }
  let expected: Shape;
  let actual: Shape;
  try {
    expected = shapeOf(english, DEFAULT_LOCALE);
  } catch (error) {
    return [`${key}: the English message does not parse (${(error as Error).message})`];
  }
  try {
    actual = shapeOf(translated, locale);
  } catch (error) {
    return [`${key}: does not parse as ICU (${(error as Error).message}): ${JSON.stringify(translated)}`];
  }
  const problems = actual.problems.map((problem) => `${key}: ${problem}`);
  const missing = [...expected.placeholders].filter((p) => !actual.placeholders.has(p));
  const extra = [...actual.placeholders].filter((p) => !expected.placeholders.has(p));
  if (missing.length) problems.push(`${key}: lacks placeholders ${missing.join(", ")} (English: ${JSON.stringify(english)})`);
  if (extra.length) problems.push(`${key}: has placeholders English does not: ${extra.join(", ")}`);
  for (const [what, keys] of expected.fixedOptions) {
    const theirs = actual.fixedOptions.get(what) ?? [];
    // Exact plural matches ("=0") must be kept, and a language may add its own ("=1" where "one" also covers 21).
    const ok = what.endsWith("exact cases") ? keys.every((k) => theirs.includes(k)) : theirs.join() === keys.join();
    if (!ok) problems.push(`${key}: ${what} should ${what.endsWith("exact cases") ? "include" : "be"} ${keys.join(", ")}, not ${theirs.join(", ") || "none"}`);
  }
  return problems;
}

describe("message catalogues", () => {
  const englishNamespaces = namespacesIn(DEFAULT_LOCALE);

  it("every listed namespace has an English catalogue and every English catalogue is listed (and so loaded)", () => {
    expect(englishNamespaces, "src/i18n/messages/en/*.json vs NAMESPACES in src/i18n/config.ts").toEqual([...NAMESPACES].sort());
  });

  it("every English message is valid ICU", () => {
    const problems = englishNamespaces.flatMap((namespace) =>
      [...flatten(readCatalogue(DEFAULT_LOCALE, namespace))].flatMap(([key, message]) =>
        describeMessageProblems(`${namespace}.${key}`, message, message, DEFAULT_LOCALE),
      ),
    );
    expect(problems).toEqual([]);
  });

  describe.each(OTHER_LOCALES)("%s", (locale) => {
    it("has no catalogue files English lacks", () => {
      const extra = namespacesIn(locale).filter((namespace) => !englishNamespaces.includes(namespace));
      expect(extra, `delete or rename these files in src/i18n/messages/${locale}/`).toEqual([]);
    });

    it.each(englishNamespaces)(`${locale}/%s.json has exactly the English keys, each a valid ICU message with the same placeholders`, (namespace) => {
      const file = `src/i18n/messages/${locale}/${namespace}.json`;
      const english = flatten(readCatalogue(DEFAULT_LOCALE, namespace));
      const catalogue = readCatalogue(locale, namespace);
      const translated = flatten(catalogue);
      const missing = [...english.keys()].filter((key) => !translated.has(key));
      const extra = [...translated.keys()].filter((key) => !english.has(key));
      const report: string[] = [];
      if (catalogue === undefined) report.push(`${file} does not exist: copy src/i18n/messages/en/${namespace}.json and translate it.`);
      else if (missing.length) {
        report.push(`${file} is missing ${missing.length} key(s) — add and translate:`);
        for (const key of missing) report.push(`  ${key}: ${JSON.stringify(english.get(key))}`);
      }
      if (extra.length) report.push(`${file} has ${extra.length} key(s) English does not — remove: ${extra.join(", ")}`);
      const shared = [...english.keys()].filter((key) => translated.has(key));
      const invalid = shared.flatMap((key) => describeMessageProblems(key, english.get(key), translated.get(key), locale));
      if (invalid.length) report.push(`${file} has message problems:`, ...invalid.map((problem) => `  ${problem}`));
      if (report.length) throw new Error(report.join("\n"));
    });
  });
});
