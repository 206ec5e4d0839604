/**
 * Words in a text, for the editor's counter. Uses the locale's word segmentation, so Chinese and Japanese (written
 * without spaces) are counted by words rather than as one long "word".
 */
export function countWords(text: string, locale = "en"): number {
  if (!text.trim()) return 0;
  const segmenter = new Intl.Segmenter(locale, { granularity: "word" });
  let words = 0;
  for (const segment of segmenter.segment(text)) if (segment.isWordLike) words++;
  return words;
}
