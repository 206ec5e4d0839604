import { z } from "zod";
import { contributorProcedure } from "@/server/api/trpc";
import { chooseDraft } from "@/server/domain/chat/messages";

export const ZChooseDraftRequest = z.object({
  /** The draft the user picked… */
  messageId: z.uuid(),
  /** …over these siblings (recorded as a preference unless the chat is opted out). */
  otherMessageIds: z.array(z.uuid()).max(16),
});

export const chooseDraftRoute = contributorProcedure
  .input(ZChooseDraftRequest)
  .output(z.object({ ok: z.literal(true) }))
  .mutation(async ({ ctx, input }) => {
    await chooseDraft(ctx.db, ctx.user.id, input.messageId, input.otherMessageIds);
    return { ok: true as const };
  });
