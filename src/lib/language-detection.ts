import { franc } from "franc-min";

/** ISO 639-3 codes franc returns → the BCP-47 primary tags we store on messages. */
const ISO3_TO_TAG: Record<string, string> = {
  eng: "en", cmn: "zh", spa: "es", deu: "de", fra: "fr", rus: "ru", jpn: "ja", por: "pt", ita: "it", nld: "nl",
  pol: "pl", ukr: "uk", tur: "tr", kor: "ko", arb: "ar", vie: "vi", ind: "id", ces: "cs", swe: "sv", hin: "hi",
};

/** Too little text gives unreliable guesses; below this we say nothing. */
const MIN_LENGTH = 40;

/**
 * The language a text seems to be written in (primary tag, e.g. "es"), or null when unsure. Used only to warn a
 * contributor before they submit in the wrong language; the tree's language is what gets stored.
 */
export function detectLanguage(text: string): string | null {
  const plain = text.replace(/```[\s\S]*?```|`[^`]*`|https?:\/\/\S+/g, " ").trim();
  if (plain.length < MIN_LENGTH) return null;
  const code = franc(plain, { minLength: MIN_LENGTH });
  return ISO3_TO_TAG[code] ?? null;
}

/** True when the text clearly looks like another language than `expected` (a BCP-47 tag such as pt-BR). */
export function looksLikeOtherLanguage(text: string, expected: string): string | null {
  const detected = detectLanguage(text);
  const primary = expected.split("-")[0]!.toLowerCase();
  return detected && detected !== primary ? detected : null;
}
