/**
 * The one rule for "where to go after sign-in / accepting the terms": only a path on this site, never another
 * origin. Browsers read `/\evil.example`, `//evil.example`, `/\t/evil.example` and `https://evil.example` as other
 * sites, so the value is resolved the way a browser would and kept only when it stays on our origin; the result is
 * the normalised path (backslashes, tabs and newlines already resolved), so what we redirect to is what we checked.
 */
const BASE = "http://same-origin.invalid";

export function safeRedirectPath(value: unknown, fallback = "/dashboard"): string {
  const raw = Array.isArray(value) ? (value[0] as unknown) : value;
  if (typeof raw !== "string" || !raw.startsWith("/") || raw.length > 2048) return fallback;
  let url: URL;
  try {
    url = new URL(raw, BASE);
  } catch {
    return fallback;
  }
  if (url.origin !== BASE) return fallback;
  const path = `${url.pathname}${url.search}${url.hash}`;
  // "/.//evil.example" resolves to the path "//evil.example", which a browser would again read as another host.
  if (path.startsWith("//") || path.startsWith("/\\")) return fallback;
  return path;
}
