import { describe, expect, it } from "vitest";
import { isLocale, LOCALES, localeName, negotiateLocale, resolveTimeZone, textDirection } from "./config";

describe("textDirection", () => {
  it("is rtl for right-to-left scripts, so the layout sets <html dir=\"rtl\"> for them", () => {
    for (const locale of ["ar", "fa", "he", "ur", "ar-EG", "he-IL", "AR"]) expect(textDirection(locale), locale).toBe("rtl");
  });

  it("is ltr for every shipped locale and other left-to-right ones", () => {
    for (const locale of [...LOCALES, "pt-BR", "uk-UA", "ko"]) expect(textDirection(locale), locale).toBe("ltr");
  });
});

describe("locales", () => {
  it("ships English, Simplified Chinese, Spanish, German, French, Russian and Japanese with English as fallback", () => {
    expect(LOCALES).toEqual(["en", "zh", "es", "de", "fr", "ru", "ja"]);
    expect(isLocale("zh")).toBe(true);
    expect(isLocale("xx")).toBe(false);
    expect(isLocale(undefined)).toBe(false);
  });

  it("names each language in that language", () => {
    expect(LOCALES.map(localeName)).toEqual(["English", "中文", "Español", "Deutsch", "Français", "Русский", "日本語"]);
  });

  it("negotiates the browser's preference", () => {
    expect(negotiateLocale("zh-CN,zh;q=0.9,en;q=0.8")).toBe("zh");
    expect(negotiateLocale("de-AT, en;q=0.5")).toBe("de");
    expect(negotiateLocale("ko, ja;q=0.7")).toBe("ja");
    expect(negotiateLocale("ko")).toBe("en");
    expect(negotiateLocale(null)).toBe("en");
  });
});

describe("resolveTimeZone", () => {
  it("keeps a zone the runtime knows and falls back to UTC for anything else", () => {
    expect(resolveTimeZone("Europe/Berlin")).toBe("Europe/Berlin");
    expect(resolveTimeZone("Asia/Tokyo")).toBe("Asia/Tokyo");
    for (const value of [undefined, null, "", "Mars/Olympus", "x".repeat(100), "../../etc"]) expect(resolveTimeZone(value), String(value)).toBe("UTC");
  });
});
