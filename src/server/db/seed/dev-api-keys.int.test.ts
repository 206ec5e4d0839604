import { describe, expect, it } from "vitest";
import { authenticateApiKey } from "@/server/domain/api-clients/keys";
import { setupTestDatabase } from "@/test/database";
import { seedDevApiKeys, wantsDevApiKeys } from "./dev-api-keys";

const t = setupTestDatabase();

describe("development API keys", () => {
  it("seeds 1234 (trusted backend) and 0000 (inference) once, stored hashed", async () => {
    expect(await seedDevApiKeys(t.db)).toBe(2);
    expect(await seedDevApiKeys(t.db)).toBe(0);
    expect((await authenticateApiKey(t.db, "1234")).trusted).toBe(true);
    expect((await authenticateApiKey(t.db, "0000")).trusted).toBe(false);
  });

  it("exist only for next dev on the embedded database", () => {
    expect(wantsDevApiKeys(["next", "dev", "-p", "3000"], true)).toBe(true);
    expect(wantsDevApiKeys(["next", "start", "-p", "3000"], true)).toBe(false);
    expect(wantsDevApiKeys(["next", "dev"], false)).toBe(false);
    expect(wantsDevApiKeys(["tsx", "src/worker/main.ts"], true)).toBe(false);
  });
});
