import { z } from "zod";
import { moderatorProcedure } from "@/server/api/trpc";
import { getGoldItem, removeGoldItem, setGoldItem, ZGoldItem, ZGoldItemInput } from "@/server/domain/quality/gold";

const ZMessageId = z.object({ messageId: z.uuid() });

/** The gold item of a message (expected labels and how reviewers did), or null (moderators only). */
export const getGoldItemRoute = moderatorProcedure
  .input(ZMessageId)
  .output(ZGoldItem.nullable())
  .query(({ ctx, input }) => getGoldItem(ctx.db, input.messageId));

/** Marks a message as a gold item with the labels reviewers are expected to give it (journalled). */
export const setGoldItemRoute = moderatorProcedure
  .input(ZGoldItemInput)
  .output(ZGoldItem)
  .mutation(({ ctx, input }) => setGoldItem(ctx.db, ctx.user.id, input));

/** Takes the gold mark off a message (journalled). */
export const removeGoldItemRoute = moderatorProcedure
  .input(ZMessageId)
  .output(z.object({ ok: z.literal(true) }))
  .mutation(async ({ ctx, input }) => {
    await removeGoldItem(ctx.db, ctx.user.id, input.messageId);
    return { ok: true as const };
  });
