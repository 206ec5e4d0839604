import { z } from "zod";
import type { Viewer } from "@/server/domain/messages/dto";
import { isModerator } from "@/server/domain/users/access";
import type { UserRow } from "@/server/domain/users/dto";

/** Moderators and trusted API clients see what moderators see (deleted and spam messages, author ids). */
export function viewerOf(ctx: { user: UserRow; apiClient: { trusted: boolean } | null }): Viewer {
  return { userId: ctx.user.id, isModerator: isModerator(ctx.user) || Boolean(ctx.apiClient?.trusted) };
}

export const ZMessageIdInput = z.object({ messageId: z.uuid() });

export const ZPageInput = {
  cursor: z.string().max(200).optional(),
  limit: z.number().int().min(1).max(100).default(20),
};
