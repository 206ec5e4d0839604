import { z } from "zod";
import type { UserRow } from "@/server/domain/users/dto";

/** The original's FrontEndUser JSON. */
export const ZFrontEndUserJson = z
  .object({
    user_id: z.uuid(),
    id: z.string().nullable().meta({ description: "Your id of the user (the `id` you sent in `user`)." }),
    display_name: z.string(),
    auth_method: z.string(),
    enabled: z.boolean(),
    deleted: z.boolean(),
    notes: z.string(),
    show_on_leaderboard: z.boolean(),
    created_date: z.string(),
    streak_days: z.number().int().nullable(),
    streak_last_day_date: z.string().nullable(),
    last_activity_date: z.string().nullable(),
    tos_acceptance_date: z.string().nullable(),
  })
  .meta({ id: "FrontEndUser" });
export type FrontEndUserJson = z.infer<typeof ZFrontEndUserJson>;

export function toUserJson(user: UserRow): FrontEndUserJson {
  return {
    user_id: user.id,
    id: user.username,
    display_name: user.deleted ? "Deleted User" : (user.name ?? ""),
    auth_method: user.authMethod,
    enabled: user.enabled,
    deleted: user.deleted,
    notes: user.notes,
    show_on_leaderboard: user.showOnLeaderboard,
    created_date: user.createdAt.toISOString(),
    streak_days: user.streakDays,
    streak_last_day_date: user.streakLastDayDate?.toISOString() ?? null,
    last_activity_date: user.lastActivityDate.toISOString(),
    tos_acceptance_date: user.tosAcceptanceDate?.toISOString() ?? null,
  };
}

/** OA `FrontEndUserPage` / `MessagePage`: a page with the cursors to pass as `after` (next) and `before` (prev). */
export const pageOf = <T extends z.ZodType>(item: T, id: string) =>
  z
    .object({
      prev: z.string().nullable().meta({ description: "Pass as `before` for the previous page." }),
      next: z.string().nullable().meta({ description: "Pass as `after` for the next page." }),
      sort_key: z.string(),
      order: z.enum(["asc", "desc"]),
      items: z.array(item),
    })
    .meta({ id });
