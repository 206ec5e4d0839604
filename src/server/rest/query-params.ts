import { z } from "zod";

/** Query-string values as FastAPI read them: booleans `true/false/1/0/yes/no/on/off`, ISO dates. */
export const ZQueryBool = z
  .enum(["true", "false", "1", "0", "yes", "no", "on", "off"])
  .transform((v) => v === "true" || v === "1" || v === "yes" || v === "on");

export const ZQueryDate = z.iso
  .datetime({ offset: true, local: true })
  .or(z.iso.date())
  // A date or time without an offset is UTC (OA `unaware_to_utc`).
  .transform((v) => new Date(/[zZ]|[+-]\d{2}:?\d{2}$/.test(v) || !v.includes("T") ? v : `${v}Z`))
  .meta({ description: "ISO 8601 date or date-time (UTC when no offset is given)." });
