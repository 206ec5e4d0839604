import { describe, expect, it } from "vitest";
import { type CpuProfile, groupOf, phaseShares } from "./profile-phases";

const frame = (functionName: string, url: string) => ({ functionName, url, lineNumber: 9 });

/** Six samples one millisecond apart, from 1,000 µs: two in a package, one in the app, one idle, one GC, one late. */
const profile: CpuProfile = {
  nodes: [
    { id: 1, callFrame: frame("(root)", ""), children: [2, 3, 4, 5] },
    { id: 2, callFrame: frame("build", "file:///app/node_modules/drizzle-orm/sql/sql.js") },
    { id: 3, callFrame: frame("finishTask", "file:///app/src/server/domain/tasks/lifecycle.ts") },
    { id: 4, callFrame: frame("(idle)", "") },
    { id: 5, callFrame: frame("(garbage collector)", "") },
  ],
  startTime: 0,
  samples: [2, 2, 3, 4, 5, 2],
  timeDeltas: [1000, 1000, 1000, 1000, 1000, 5000],
};

describe("bench/profile-phases.ts", () => {
  it("charges each window's samples to their group, idle samples and samples outside every window left out", () => {
    const [first, second] = phaseShares(profile, [{ name: "a", startUs: 1000, endUs: 3000 }, { name: "b", startUs: 3500, endUs: 6000 }]);
    expect(first).toEqual({ phase: "a", samples: 3, self: [{ key: "drizzle-orm", share: 2 / 3 }, { key: "src/server/domain", share: 1 / 3 }] });
    // The idle sample at 4,000 µs is not counted; the last one (10,000 µs) falls in no window.
    expect(second).toEqual({ phase: "b", samples: 1, self: [{ key: "(garbage collector)", share: 1 }] });
  });

  it("names packages, scoped packages, the app's folders and functions", () => {
    expect(groupOf(frame("x", "file:///a/node_modules/@trpc/server/dist/index.mjs"), "package")).toBe("@trpc/server");
    expect(groupOf(frame("x", "file:///a/node_modules/.pnpm/postgres/node_modules/postgres/src/connection.js"), "package")).toBe("postgres");
    expect(groupOf(frame("x", "file:///a/src/server/api/trpc.ts"), "package")).toBe("src/server/api");
    expect(groupOf(frame("writeBuffer", ""), "package")).toBe("writeBuffer");
    expect(groupOf(frame("is", "file:///a/node_modules/drizzle-orm/entity.js"), "function")).toBe("is drizzle-orm/entity.js:10");
    expect(groupOf(frame("", "file:///a/src/server/db/client.ts"), "function")).toBe("(anonymous) src/server/db/client.ts:10");
  });
});
