import { TRPCError } from "@trpc/server";
import { beforeAll, describe, expect, it } from "vitest";
import { users } from "@/server/db/schema";
import { createApiClient } from "@/server/domain/api-clients/keys";
import { AppError } from "@/server/errors";
import { setupTestDatabase } from "@/test/database";
import { callerFor } from "@/test/factories";
import { callProcedure, listProcedures } from "@/test/router-procedures";
import { ACCESS_POLICY, type AccessLevel } from "./access-policy";

/**
 * The access-control matrix (issue 12): every procedure of the router × every kind of caller, against the one
 * declaration in `access-policy.ts`. Each procedure gets fresh identities, so a call that changes its caller
 * (deleting the account, accepting the terms) cannot leak into another cell.
 */

const t = setupTestDatabase();

const IDENTITIES = [
  "anonymous",
  "contributorWithoutTos",
  "contributor",
  "banned",
  "disabled",
  "moderator",
  "admin",
  "apiClient",
  "trustedApiClient",
] as const;
type Identity = (typeof IDENTITIES)[number];

/** "allowed", or the appCode the guard must answer with. */
type Outcome = "allowed" | "UNAUTHENTICATED" | "USER_DISABLED" | "TOS_NOT_ACCEPTED" | "FORBIDDEN" | "API_CLIENT_NOT_AUTHORIZED";

const signedInRule = (identity: Identity): Outcome =>
  identity === "anonymous" ? "UNAUTHENTICATED" : identity === "banned" || identity === "disabled" ? "USER_DISABLED" : "allowed";

/** What each access level means for each kind of caller. */
const EXPECTED: Record<AccessLevel, (identity: Identity) => Outcome> = {
  public: () => "allowed",
  signedIn: signedInRule,
  contributor: (identity) => (signedInRule(identity) !== "allowed" ? signedInRule(identity) : identity === "contributorWithoutTos" ? "TOS_NOT_ACCEPTED" : "allowed"),
  moderator: (identity) =>
    signedInRule(identity) !== "allowed"
      ? signedInRule(identity)
      : ["moderator", "admin", "trustedApiClient"].includes(identity)
        ? "allowed"
        : "FORBIDDEN",
  admin: (identity) => (signedInRule(identity) !== "allowed" ? signedInRule(identity) : identity === "admin" ? "allowed" : "FORBIDDEN"),
  apiClient: (identity) => (identity === "apiClient" || identity === "trustedApiClient" ? "allowed" : "API_CLIENT_NOT_AUTHORIZED"),
};

const ACCESS_CODES = new Set<string>(["UNAUTHENTICATED", "USER_DISABLED", "TOS_NOT_ACCEPTED", "FORBIDDEN", "API_CLIENT_NOT_AUTHORIZED"]);

let keys: { plain: string; trusted: string };

beforeAll(async () => {
  const plain = await createApiClient(t.db, { description: "matrix client", frontendType: "discord", trusted: false });
  const trusted = await createApiClient(t.db, { description: "matrix trusted client", frontendType: "discord", trusted: true });
  keys = { plain: plain.key, trusted: trusted.key };
});

async function callersFor(path: string) {
  const suffix = `${path}-${crypto.randomUUID().slice(0, 8)}`;
  const now = new Date();
  const rows = await t.db
    .insert(users)
    .values([
      { name: `noTos ${suffix}`, tosAcceptanceDate: null },
      { name: `contributor ${suffix}`, tosAcceptanceDate: now },
      { name: `banned ${suffix}`, tosAcceptanceDate: now, role: "banned" },
      { name: `disabled ${suffix}`, tosAcceptanceDate: now, enabled: false },
      { name: `moderator ${suffix}`, tosAcceptanceDate: now, role: "moderator" },
      { name: `admin ${suffix}`, tosAcceptanceDate: now, role: "admin" },
    ])
    .returning({ id: users.id });
  const [noTos, contributor, banned, disabled, moderator, admin] = rows.map((row) => row.id);
  const actingFor = { "x-oasst-user": `matrix:${suffix}`, "x-oasst-user-name": "Matrix user" };
  return {
    anonymous: callerFor(t.db, null),
    contributorWithoutTos: callerFor(t.db, noTos!),
    contributor: callerFor(t.db, contributor!),
    banned: callerFor(t.db, banned!),
    disabled: callerFor(t.db, disabled!),
    moderator: callerFor(t.db, moderator!),
    admin: callerFor(t.db, admin!),
    apiClient: callerFor(t.db, null, { "x-api-key": keys.plain, ...actingFor }),
    trustedApiClient: callerFor(t.db, null, { "x-api-key": keys.trusted, ...actingFor }),
  } satisfies Record<Identity, unknown>;
}

async function outcomeOf(promise: Promise<unknown>): Promise<{ outcome: Outcome | "other"; detail: string }> {
  try {
    await promise;
    return { outcome: "allowed", detail: "ok" };
  } catch (error) {
    if (!(error instanceof TRPCError)) return { outcome: "other", detail: `not a TRPCError: ${String(error)}` };
    if (error.code === "INTERNAL_SERVER_ERROR") return { outcome: "other", detail: `INTERNAL: ${String(error.cause ?? error.message)}` };
    const appCode = error.cause instanceof AppError ? error.cause.code : error.code;
    // Any typed answer past the guard (bad input, not found, conflict…) means the caller was let in.
    return ACCESS_CODES.has(appCode) ? { outcome: appCode as Outcome, detail: error.message } : { outcome: "allowed", detail: `${appCode}: ${error.message}` };
  }
}

describe("access-control matrix", () => {
  const procedures = listProcedures();

  it("has a declaration for every procedure of the router, and none for a procedure that does not exist", () => {
    const paths = procedures.map((procedure) => procedure.path);
    expect(paths.filter((path) => !(path in ACCESS_POLICY)), "procedures without an entry in access-policy.ts").toEqual([]);
    expect(Object.keys(ACCESS_POLICY).filter((path) => !paths.includes(path)), "entries for unknown procedures").toEqual([]);
  });

  it.each(procedures.map((procedure) => [procedure.path, procedure] as const))("%s answers every kind of caller as declared", async (path, procedure) => {
    const level = (ACCESS_POLICY as Record<string, AccessLevel | undefined>)[path];
    expect(level, `${path} has no entry in access-policy.ts`).toBeDefined();
    const callers = await callersFor(path);
    // An empty input: the guards run before input validation, and an allowed caller gets at most BAD_REQUEST.
    const input = procedure.input ? {} : undefined;
    const answers = await Promise.all(
      IDENTITIES.map(async (identity) => {
        const expected = EXPECTED[level!](identity);
        const { outcome, detail } = await outcomeOf(callProcedure(callers[identity], procedure, input));
        return outcome === expected ? null : `${identity}: expected ${expected}, got ${outcome} (${detail})`;
      }),
    );
    expect(answers.filter(Boolean), `${path} (${level})`).toEqual([]);
  });
});
