import { z } from "zod";

/** A BCP-47 language tag as used for message languages (`en`, `pt-BR`, `zh-Hans`). */
export const ZLang = z
  .string()
  .trim()
  .regex(/^[a-zA-Z]{2,3}(-[a-zA-Z0-9]{2,8})*$/, "Not a language code (expected something like en or pt-BR).")
  .max(32);

export const ZTaskId = z.uuid("Not a task id.");
