import { z } from "zod";
import { LOCALES } from "@/i18n/config";
import { treeConfigForLanguage, type TreeManagerConfig } from "@/server/domain/trees/config";
import { RATE_LIMIT_POLICIES } from "@/server/ratelimit/policies";

export const ZParameters = z.object({
  treeManager: z.array(z.object({ lang: z.string(), overridden: z.boolean(), settings: z.record(z.string(), z.unknown()) })),
  rateLimits: z.array(z.object({ name: z.string(), attempts: z.number().int(), window: z.string() })),
});
export type Parameters = z.infer<typeof ZParameters>;

/**
 * The effective tree-manager settings per language (defaults with the language's overrides applied) and the
 * rate-limit policy table. Neither holds secrets; the page is read-only, settings change through the environment.
 */
export function effectiveParameters(config: TreeManagerConfig): Parameters {
  const overrides = config.languageOverrides ?? {};
  const langs = [...new Set([...LOCALES, ...Object.keys(overrides)])].sort();
  return {
    treeManager: [
      { lang: "*", overridden: false, settings: { ...treeConfigForLanguage(config, "*") } },
      ...langs.map((lang) => ({ lang, overridden: lang in overrides, settings: { ...treeConfigForLanguage(config, lang) } })),
    ],
    rateLimits: Object.entries(RATE_LIMIT_POLICIES).map(([name, policy]) => ({ name, attempts: policy.attempts, window: policy.window })),
  };
}
