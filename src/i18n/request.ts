import { cookies, headers } from "next/headers";
import { getRequestConfig } from "next-intl/server";
import { DEFAULT_LOCALE, isLocale, LOCALE_COOKIE, NAMESPACES, negotiateLocale, resolveTimeZone, TIME_ZONE_COOKIE, type Locale } from "./config";

async function loadNamespace(locale: Locale, namespace: string): Promise<Record<string, unknown>> {
  try {
    return (await import(`./messages/${locale}/${namespace}.json`)).default;
  } catch (error) {
    // A namespace not translated yet falls back to English below instead of breaking every page of that locale.
    if (locale === DEFAULT_LOCALE) throw error;
    return {};
  }
}

async function loadMessages(locale: Locale) {
  const entries = await Promise.all(NAMESPACES.map(async (namespace) => [namespace, await loadNamespace(locale, namespace)]));
  return Object.fromEntries(entries) as Record<string, Record<string, unknown>>;
}

// The UI language comes from the user's choice (cookie), else the browser's preference; URLs carry no locale.
export default getRequestConfig(async () => {
  const cookieStore = await cookies();
  const chosen = cookieStore.get(LOCALE_COOKIE)?.value;
  const locale = isLocale(chosen) ? chosen : negotiateLocale((await headers()).get("accept-language"));
  const messages = await loadMessages(locale);
  // Missing keys in a partial catalogue fall back to English rather than showing a key.
  if (locale !== DEFAULT_LOCALE) {
    const fallback = await loadMessages(DEFAULT_LOCALE);
    for (const namespace of NAMESPACES) messages[namespace] = { ...fallback[namespace], ...messages[namespace] };
  }
  // A time zone and a "now" configured for the request (passed on to client components by NextIntlClientProvider):
  // server and browser format dates and relative times alike, so there is no hydration mismatch and no
  // ENVIRONMENT_FALLBACK error from next-intl.
  return { locale, messages, timeZone: resolveTimeZone(cookieStore.get(TIME_ZONE_COOKIE)?.value), now: new Date() };
});
