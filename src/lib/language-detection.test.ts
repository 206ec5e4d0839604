import { describe, expect, it } from "vitest";
import { detectLanguage, looksLikeOtherLanguage } from "./language-detection";

describe("language detection for the mismatch warning", () => {
  it("recognises common languages from a sentence or two", () => {
    expect(detectLanguage("Could you explain how photosynthesis works in simple terms for a child?")).toBe("en");
    expect(detectLanguage("¿Podrías explicarme cómo funciona la fotosíntesis en términos sencillos para un niño?")).toBe("es");
    expect(detectLanguage("Kannst du mir bitte erklären, wie die Photosynthese bei Pflanzen genau funktioniert?")).toBe("de");
  });

  it("stays silent on short text and ignores code and links", () => {
    expect(detectLanguage("Hola amigo")).toBeNull();
    expect(looksLikeOtherLanguage("```\nconst x = 1;\n``` https://example.com/a/very/long/path/that/is/not/language", "en")).toBeNull();
  });

  it("warns only when another language is clearly detected", () => {
    expect(looksLikeOtherLanguage("¿Podrías explicarme cómo funciona la fotosíntesis en términos sencillos para un niño?", "en")).toBe("es");
    expect(looksLikeOtherLanguage("Could you explain how photosynthesis works in simple terms for a child?", "en-GB")).toBeNull();
  });
});
