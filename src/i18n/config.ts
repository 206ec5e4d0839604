/**
 * Locales with a complete message catalogue (src/i18n/catalogues.test.ts checks that). The first is the fallback.
 * Tags are BCP-47 tags as stored on messages: a primary tag, or language-region where the data is regional ("pt-BR",
 * as in the original dataset). The UI locale is also the data language of tasks, so "zh" tasks are Chinese ones.
 */
export const LOCALES = ["en", "zh", "es", "de", "fr", "ru", "ja", "ar", "hi", "id", "it", "ko", "pl", "pt-BR", "tr", "uk", "vi"] as const;
export type Locale = (typeof LOCALES)[number];
export const DEFAULT_LOCALE: Locale = "en";

/** Scripts written right to left; the layout sets `dir` from this, so adding e.g. "ar" to LOCALES is all RTL needs. */
const RTL_LOCALES = new Set(["ar", "fa", "he", "ur"]);

export const LOCALE_COOKIE = "NEXT_LOCALE";

/** The browser's IANA time zone, written by `TimeZoneCookie`, so dates render in it on the server too. */
export const TIME_ZONE_COOKIE = "oa-time-zone";
/** Until the browser has told us (its first page), dates render in UTC: the same on server and client. */
export const DEFAULT_TIME_ZONE = "UTC";

/** The time zone to format dates in: the cookie's if it names a zone this runtime knows, else UTC. */
export function resolveTimeZone(value: string | undefined | null): string {
  if (!value || value.length > 64) return DEFAULT_TIME_ZONE;
  try {
    return new Intl.DateTimeFormat("en", { timeZone: value }).resolvedOptions().timeZone;
  } catch {
    return DEFAULT_TIME_ZONE;
  }
}

/** Catalogue namespaces, one JSON file each under messages/<locale>/. */
export const NAMESPACES = ["common", "auth", "dashboard", "tasks", "labels", "leaderboard", "stats", "messages", "account", "admin", "chat", "quality", "arena"] as const;

export function isLocale(value: string | undefined | null): value is Locale {
  return !!value && (LOCALES as readonly string[]).includes(value);
}

export function textDirection(locale: string): "ltr" | "rtl" {
  return RTL_LOCALES.has(locale.split("-")[0]!.toLowerCase()) ? "rtl" : "ltr";
}

/**
 * Each shipped locale's name as its speakers write it in a language menu. Spelled out rather than taken from
 * `Intl.DisplayNames`, whose answer depends on the runtime's ICU data: Node says "Indonesia" where browsers say
 * "Bahasa Indonesia", which would also make the server-rendered menu differ from the hydrated one.
 */
const LOCALE_NAMES: Record<Locale, string> = {
  en: "English",
  zh: "中文",
  es: "Español",
  de: "Deutsch",
  fr: "Français",
  ru: "Русский",
  ja: "日本語",
  ar: "العربية",
  hi: "हिन्दी",
  id: "Bahasa Indonesia",
  it: "Italiano",
  ko: "한국어",
  pl: "Polski",
  "pt-BR": "Português (Brasil)",
  tr: "Türkçe",
  uk: "Українська",
  vi: "Tiếng Việt",
};

/** A language's name in that language, capitalised for a menu: "Deutsch", "Español", "中文". */
export function localeName(locale: string): string {
  if (isLocale(locale)) return LOCALE_NAMES[locale];
  let name = locale;
  try {
    name = new Intl.DisplayNames([locale], { type: "language" }).of(locale) ?? locale;
  } catch {
    // An invalid tag keeps its own spelling.
  }
  return name.charAt(0).toLocaleUpperCase(locale) + name.slice(1);
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
