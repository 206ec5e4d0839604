import type { Actor } from "@/server/domain/moderation/users";
import type { UserRow } from "@/server/domain/users/dto";

/** The acting moderator; a trusted API client acting for a user has moderator (not admin) rights. */
export const actorOf = (ctx: { user: UserRow }): Actor => ({ userId: ctx.user.id, isAdmin: ctx.user.role === "admin" });
