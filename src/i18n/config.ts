/** Locales with a complete message catalogue. The first is the fallback. */
export const LOCALES = ["en"] as const;
export type Locale = (typeof LOCALES)[number];
export const DEFAULT_LOCALE: Locale = "en";

/** Scripts written right to left; the layout sets `dir` from this. */
const RTL_LOCALES = new Set(["ar", "fa", "he", "ur"]);

export const LOCALE_COOKIE = "NEXT_LOCALE";

/** Catalogue namespaces, one JSON file each under messages/<locale>/. */
export const NAMESPACES = ["common", "auth", "dashboard", "tasks", "labels"] as const;

export function isLocale(value: string | undefined | null): value is Locale {
  return !!value && (LOCALES as readonly string[]).includes(value);
}

export function textDirection(locale: string): "ltr" | "rtl" {
  return RTL_LOCALES.has(locale.split("-")[0]!) ? "rtl" : "ltr";
}

/** Picks the best supported locale from an Accept-Language header. */
export function negotiateLocale(acceptLanguage: string | null): Locale {
  for (const part of (acceptLanguage ?? "").split(",")) {
    const tag = part.split(";")[0]!.trim().toLowerCase();
    const exact = LOCALES.find((locale) => locale.toLowerCase() === tag);
    if (exact) return exact;
    const base = LOCALES.find((locale) => locale.split("-")[0] === tag.split("-")[0]);
    if (base) return base;
  }
  return DEFAULT_LOCALE;
}
