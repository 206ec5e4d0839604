import { describe, expect, it } from "vitest";
import { isLocale, LOCALES, localeName, negotiateLocale, resolveTimeZone, textDirection } from "./config";

describe("textDirection", () => {
  it("is rtl for right-to-left scripts, so the layout sets <html dir=\"rtl\"> for them", () => {
    for (const locale of ["ar", "fa", "he", "ur", "ar-EG", "he-IL", "AR"]) expect(textDirection(locale), locale).toBe("rtl");
  });

  it("is ltr for every shipped locale but Arabic, and for other left-to-right ones", () => {
    for (const locale of [...LOCALES.filter((l) => l !== "ar"), "pt-PT", "uk-UA", "ko-KR"]) expect(textDirection(locale), locale).toBe("ltr");
    expect(textDirection("ar")).toBe("rtl");
  });
});

describe("locales", () => {
  it("ships seventeen UI languages with English as fallback", () => {
    expect(LOCALES).toEqual(["en", "zh", "es", "de", "fr", "ru", "ja", "ar", "hi", "id", "it", "ko", "pl", "pt-BR", "tr", "uk", "vi"]);
    expect(isLocale("zh")).toBe(true);
    expect(isLocale("pt-BR")).toBe(true);
    expect(isLocale("pt")).toBe(false);
    expect(isLocale("xx")).toBe(false);
    expect(isLocale(undefined)).toBe(false);
  });

  it("names each language in that language", () => {
    expect(LOCALES.map(localeName)).toEqual([
      "English", "中文", "Español", "Deutsch", "Français", "Русский", "日本語", "العربية", "हिन्दी", "Bahasa Indonesia",
      "Italiano", "한국어", "Polski", "Português (Brasil)", "Türkçe", "Українська", "Tiếng Việt",
    ]);
    // A tag we do not ship still gets its own name from Intl, capitalised.
    expect(localeName("nl")).toBe("Nederlands");
  });

  it("negotiates the browser's preference", () => {
    expect(negotiateLocale("zh-CN,zh;q=0.9,en;q=0.8")).toBe("zh");
    expect(negotiateLocale("de-AT, en;q=0.5")).toBe("de");
    expect(negotiateLocale("nl, ja;q=0.7")).toBe("ja");
    expect(negotiateLocale("nl")).toBe("en");
    expect(negotiateLocale("ko-KR,ko;q=0.9")).toBe("ko");
    expect(negotiateLocale("pt-BR,pt;q=0.9")).toBe("pt-BR");
    expect(negotiateLocale("pt-PT")).toBe("pt-BR");
    expect(negotiateLocale("ar-EG")).toBe("ar");
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
