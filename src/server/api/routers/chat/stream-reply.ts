import { tracked, TRPCError } from "@trpc/server";
import { z } from "zod";
import { contributorProcedure } from "@/server/api/trpc";
import { getChatConfig } from "@/server/domain/chat/config";
import { ZReplyStreamEvent } from "@/server/domain/chat/dto";
import { streamReply } from "@/server/domain/chat/stream";
import { AppError } from "@/server/errors";

export const ZStreamReplyRequest = z.object({
  messageId: z.uuid(),
  /** Set by `httpSubscriptionLink` on a reconnect (the last event's id): the stream resumes after it. */
  lastEventId: z.string().max(32).nullish(),
});

/**
 * SSE subscription for one reply: `queued` (position) while waiting, `started`, `token`s, then `message` or `error`,
 * after which it ends. Every event is `tracked` with the sequence number of the last chunk sent, so a reconnect
 * (`lastEventId`) neither repeats nor skips text. Subscriptions have no `.output()` in tRPC; each event is parsed
 * against its DTO schema instead.
 */
export const streamReplyRoute = contributorProcedure.input(ZStreamReplyRequest).subscription(async function* ({ ctx, input, signal }) {
  try {
    const items = streamReply(ctx.db, ctx.user.id, input.messageId, { config: getChatConfig(), lastEventId: input.lastEventId, signal });
    for await (const item of items) yield tracked(item.id, ZReplyStreamEvent.parse(item.event));
  } catch (error) {
    // Errors raised inside a subscription skip the procedure middleware, so map domain errors here.
    if (error instanceof AppError) throw new TRPCError({ code: error.trpcCode, message: error.message, cause: error });
    throw error;
  }
});
