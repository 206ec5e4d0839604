import { describe, expect, it } from "vitest";
import { parseEnv, pickEnv } from "./env";

const valid = {
  DATABASE_URL: "postgres://postgres@127.0.0.1:5432/test",
  AUTH_SECRET: "a".repeat(32),
};

describe("parseEnv", () => {
  it("accepts a minimal configuration and fills defaults", () => {
    const env = parseEnv(valid);
    expect(env.AUTH_DEV_LOGIN).toBe(false);
    expect(env.DATABASE_POOL_SIZE).toBe(10);
  });

  it("names a missing variable in one line", () => {
    expect(() => parseEnv({ AUTH_SECRET: valid.AUTH_SECRET })).toThrow(
      /^Invalid environment variable DATABASE_URL: is missing$/,
    );
  });

  it.each([
    ["DATABASE_URL", { DATABASE_URL: "mysql://localhost/x" }, /postgres/],
    ["AUTH_SECRET", { AUTH_SECRET: "short" }, /at least 32/],
    ["AUTH_DEV_LOGIN", { AUTH_DEV_LOGIN: "yes" }, /AUTH_DEV_LOGIN/],
    ["REDIS_URL", { REDIS_URL: "http://localhost" }, /REDIS_URL/],
  ])("rejects an invalid %s", (name, override, message) => {
    expect(() => parseEnv({ ...valid, ...override })).toThrow(new RegExp(`Invalid environment variable ${name}`));
    expect(() => parseEnv({ ...valid, ...override })).toThrow(message);
  });

  it("requires OAuth ids and secrets in pairs", () => {
    expect(() => parseEnv({ ...valid, AUTH_DISCORD_ID: "id" })).toThrow(/AUTH_DISCORD_SECRET/);
  });

  it("reads boolean flags", () => {
    expect(parseEnv({ ...valid, AUTH_DEV_LOGIN: "true" }).AUTH_DEV_LOGIN).toBe(true);
    expect(parseEnv({ ...valid, AUTH_DEV_LOGIN: "0" }).AUTH_DEV_LOGIN).toBe(false);
  });
});

describe("pickEnv", () => {
  it("validates only the named variables, so partial configurations (tests, scripts) work", () => {
    expect(pickEnv(["EMBEDDINGS_PROVIDER", "NEAR_DUPLICATE_THRESHOLD"], {})).toEqual({ EMBEDDINGS_PROVIDER: "none", NEAR_DUPLICATE_THRESHOLD: 0.92 });
    expect(pickEnv(["INNGEST_DEV"], { INNGEST_DEV: "1" })).toEqual({ INNGEST_DEV: true });
    expect(() => pickEnv(["TOXICITY_FLAG_THRESHOLD"], { TOXICITY_FLAG_THRESHOLD: "2" })).toThrow(/TOXICITY_FLAG_THRESHOLD/);
  });

  it("validates each distinct set of values once, and reads the variables again on every call", () => {
    const source: Record<string, string | undefined> = { TOXICITY_FLAG_THRESHOLD: "0.5" };
    const first = pickEnv(["TOXICITY_FLAG_THRESHOLD"], source);
    expect(pickEnv(["TOXICITY_FLAG_THRESHOLD"], source)).toBe(first);
    source.TOXICITY_FLAG_THRESHOLD = "0.7";
    expect(pickEnv(["TOXICITY_FLAG_THRESHOLD"], source)).toEqual({ TOXICITY_FLAG_THRESHOLD: 0.7 });
    source.TOXICITY_FLAG_THRESHOLD = "2";
    expect(() => pickEnv(["TOXICITY_FLAG_THRESHOLD"], source)).toThrow(/TOXICITY_FLAG_THRESHOLD/);
    expect(() => pickEnv(["TOXICITY_FLAG_THRESHOLD"], source)).toThrow(/TOXICITY_FLAG_THRESHOLD/);
    source.TOXICITY_FLAG_THRESHOLD = "0.5";
    expect(pickEnv(["TOXICITY_FLAG_THRESHOLD"], source)).toBe(first);
    // An empty value means unset, as before: the default.
    expect(pickEnv(["TOXICITY_FLAG_THRESHOLD"], { TOXICITY_FLAG_THRESHOLD: "" })).toEqual(pickEnv(["TOXICITY_FLAG_THRESHOLD"], {}));
  });

  it("requires an endpoint for text-embeddings-inference", () => {
    expect(() => parseEnv({ ...valid, EMBEDDINGS_PROVIDER: "tei" })).toThrow(/EMBEDDINGS_API_URL/);
  });
});
