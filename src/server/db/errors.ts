/** The PostgreSQL error behind a failed query (drizzle wraps the driver's error in `cause`). */
export type PostgresErrorInfo = { code: string; constraint?: string };

export function postgresErrorOf(error: unknown): PostgresErrorInfo | null {
  for (let current = error; current && typeof current === "object"; current = (current as { cause?: unknown }).cause) {
    const candidate = current as { code?: unknown; constraint_name?: unknown };
    if (typeof candidate.code === "string" && /^[0-9A-Z]{5}$/.test(candidate.code)) {
      return { code: candidate.code, constraint: typeof candidate.constraint_name === "string" ? candidate.constraint_name : undefined };
    }
  }
  return null;
}

export const isUniqueViolation = (error: unknown, constraint?: string) => {
  const info = postgresErrorOf(error);
  return info?.code === "23505" && (constraint === undefined || info.constraint === constraint);
};
