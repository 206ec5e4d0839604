import { z } from "zod";
import { USER_ROLES, type users } from "@/server/db/schema";

/** What a user may see of their own account (never another user's email or moderator notes). */
export const ZMyProfile = z.object({
  id: z.uuid(),
  displayName: z.string(),
  email: z.string().nullable(),
  image: z.string().nullable(),
  role: z.enum(USER_ROLES),
  tosAcceptedAt: z.date().nullable(),
  showOnLeaderboard: z.boolean(),
  streakDays: z.number().int().nullable(),
  createdAt: z.date(),
});
export type MyProfile = z.infer<typeof ZMyProfile>;

export type UserRow = typeof users.$inferSelect;

/** Name shown in the UI: the chosen display name, else the email's local part, else a short id. */
export function displayNameOf(user: Pick<UserRow, "name" | "email" | "id">): string {
  return user.name?.trim() || user.email?.split("@")[0] || `user-${user.id.slice(0, 8)}`;
}

export function toMyProfile(user: UserRow): MyProfile {
  return {
    id: user.id,
    displayName: displayNameOf(user),
    email: user.email,
    image: user.image,
    role: user.role,
    tosAcceptedAt: user.tosAcceptanceDate,
    showOnLeaderboard: user.showOnLeaderboard,
    streakDays: user.streakDays,
    createdAt: user.createdAt,
  };
}
