import { z } from "zod";
import { contributorProcedure } from "@/server/api/trpc";
import { ZMessage } from "@/server/domain/messages/dto";
import { EMOJI_OPS, setMessageEmoji } from "@/server/domain/messages/emojis";
import { viewerOf } from "./viewer";

/** Adds, removes or toggles one of the caller's reactions; the emoji code is checked by the domain (error 5000). */
export const setEmojiRoute = contributorProcedure
  .input(z.object({ messageId: z.uuid(), emoji: z.string().min(1).max(128), op: z.enum(EMOJI_OPS).default("toggle") }))
  .output(ZMessage)
  .mutation(({ ctx, input }) => setMessageEmoji(ctx.db, viewerOf(ctx), input, ctx.treeDeps));
