import { describe, expect, it } from "vitest";
import { createShutdownHandler } from "./shutdown";

function harness() {
  let clock = 0;
  const calls: string[] = [];
  const handle = createShutdownHandler({ drain: () => calls.push("drain"), force: () => calls.push("force"), repeatWindowMs: 3_000, log: () => {}, now: () => clock });
  return { calls, handle, advance: (ms: number) => (clock += ms) };
}

describe("worker shutdown signals (issue 12 #6)", () => {
  it("treats repeats within the window as the same request: the running reply is not given back", () => {
    const { calls, handle, advance } = harness();
    expect(handle("SIGTERM")).toBe("drain");
    expect(handle("SIGTERM")).toBe("ignored"); // the process manager's own repeat
    advance(50);
    expect(handle("SIGINT")).toBe("ignored"); // Ctrl-C reaching the group and forwarded by npm/tsx
    advance(2_900);
    expect(handle("SIGTERM")).toBe("ignored");
    expect(calls).toEqual(["drain"]);
  });

  it("forces on a repeat after the window, once", () => {
    const { calls, handle, advance } = harness();
    handle("SIGINT");
    advance(3_000);
    expect(handle("SIGINT")).toBe("force");
    expect(handle("SIGINT")).toBe("force");
    expect(calls).toEqual(["drain", "force"]);
  });

  it("forces at once on SIGQUIT, first or later", () => {
    const first = harness();
    expect(first.handle("SIGQUIT")).toBe("force");
    expect(first.calls).toEqual(["drain", "force"]);
    const later = harness();
    later.handle("SIGTERM");
    expect(later.handle("SIGQUIT")).toBe("force");
    expect(later.calls).toEqual(["drain", "force"]);
  });
});
