"use server";

import { revalidatePath } from "next/cache";
import { getCurrentUser } from "@/server/auth/guards";
import { getDatabase } from "@/server/db";
import { buildRelease, DEFAULT_RELEASE_ROOT } from "@/server/domain/dataset/release";
import { isActiveUser } from "@/server/domain/users/access";
import { AppError } from "@/server/errors";

export type ReleaseActionState = { status: "idle" } | { status: "done"; name: string } | { status: "error"; message: string };

/**
 * Builds a dataset release (release.ts) from the admin dataset page and answers when it is done; the page then
 * lists it. Admins only. Typed domain errors (a bad or taken name) come back as a message, never a 500.
 */
export async function buildReleaseAction(_previous: ReleaseActionState, form: FormData): Promise<ReleaseActionState> {
  const user = await getCurrentUser();
  if (!user || !isActiveUser(user) || user.role !== "admin") return { status: "error", message: "Only admins can build releases." };
  const name = String(form.get("name") ?? "").trim();
  try {
    await buildRelease(getDatabase(), { name, root: DEFAULT_RELEASE_ROOT });
  } catch (error) {
    if (error instanceof AppError) return { status: "error", message: error.message };
    throw error;
  }
  revalidatePath("/admin/dataset");
  return { status: "done", name };
}
