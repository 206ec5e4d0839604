import { createHash } from "node:crypto";

/**
 * Replaces ids in an export with stable pseudonyms (port of OA `oasst_shared/utils.py Anonymizer`, which hashes
 * `sha256(f"{collection}:{id}{seed}")`). Two fixes over the original (spec backend §8.11):
 * - the hash is formatted as a version-4-style UUID, so an anonymised export can be imported again;
 * - tree ids use the `message` collection, so the tree-level `message_tree_id` (which the original left in clear)
 *   equals the anonymised id of its root prompt, exactly as in a non-anonymised export.
 * No id→pseudonym map is kept (the original kept one to detect collisions); with 122 random bits a collision is
 * not a practical concern and the exporter stays constant in memory.
 */
export type Anonymizer = {
  message: (id: string) => string;
  user: (id: string) => string;
};

export type AnonymizerCollection = "message" | "user";

/** The pseudonym of `id` in `collection` for `seed`: the first 128 bits of the hash with RFC 4122 v4 bits set. */
export function anonymizedUuid(collection: AnonymizerCollection, id: string, seed: string): string {
  const hex = createHash("sha256").update(`${collection}:${id}${seed}`, "utf8").digest("hex");
  const variant = ((parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16);
  return [hex.slice(0, 8), hex.slice(8, 12), `4${hex.slice(13, 16)}`, `${variant}${hex.slice(17, 20)}`, hex.slice(20, 32)].join("-");
}

const IDENTITY: Anonymizer = { message: (id) => id, user: (id) => id };

/** An anonymizer for `seed`, or the identity when no seed is given (no anonymisation). */
export function createAnonymizer(seed: string | number | undefined | null): Anonymizer {
  if (seed === undefined || seed === null || seed === "") return IDENTITY;
  const text = String(seed);
  return {
    message: (id) => anonymizedUuid("message", id, text),
    user: (id) => anonymizedUuid("user", id, text),
  };
}
