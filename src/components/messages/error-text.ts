type ErrorLike = {
  message?: string;
  data?: { zodError?: { formErrors: string[]; fieldErrors: Record<string, string[] | undefined> } | null } | null;
} | null;

/**
 * A tRPC error as a sentence for the user: the server's typed message (AppError), or the first validation message
 * instead of the raw zod JSON; the fallback only for errors without any message (network failures).
 */
export function errorText(error: unknown, fallback: string): string {
  const typed = error as ErrorLike;
  const zod = typed?.data?.zodError;
  if (zod) {
    const first = zod.formErrors[0] ?? Object.values(zod.fieldErrors).flat().find(Boolean);
    if (first) return first;
  }
  return typed?.message?.trim() || fallback;
}
