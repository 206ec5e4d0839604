import { z } from "zod";
import { rateLimited } from "@/server/api/rate-limit";
import { ZLang } from "@/server/api/routers/tasks/schemas";
import { contributorProcedure } from "@/server/api/trpc";
import { similarPromptsFor } from "@/server/domain/embeddings/near-duplicates";
import { MESSAGE_SIZE_LIMIT } from "@/server/domain/tasks/types";

const ZSimilarPrompts = z.object({
  /** False when embeddings are off or the endpoint failed: show no warning. */
  enabled: z.boolean(),
  threshold: z.number().nullable(),
  matches: z.array(z.object({ messageId: z.uuid(), text: z.string(), similarity: z.number() })),
});

/**
 * Existing prompts that a draft initial prompt nearly duplicates, for a warning before submitting. Each check
 * calls the embeddings API once, hence its own rate limit.
 */
export const similarPromptsRoute = contributorProcedure
  .input(z.object({ text: z.string().trim().min(1).max(MESSAGE_SIZE_LIMIT), lang: ZLang.default("en") }))
  .use(rateLimited("similarPrompts"))
  .output(ZSimilarPrompts)
  .query(({ ctx, input }) => similarPromptsFor(ctx.db, input.text, input.lang));
