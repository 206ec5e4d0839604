import { describe, expect, it } from "vitest";
import { parseCron } from "./cron";
import { JOBS } from "./functions";
import { isCronJob } from "./job";

const at = (iso: string) => new Date(iso);

describe("parseCron", () => {
  it("matches steps, ranges and lists in UTC", () => {
    const every5 = parseCron("*/5 * * * *");
    expect(every5.matches(at("2025-03-01T10:05:00Z"))).toBe(true);
    expect(every5.matches(at("2025-03-01T10:06:00Z"))).toBe(false);
    const quarter = parseCron("2-59/15 * * * *");
    expect([2, 17, 32, 47].every((m) => quarter.matches(at(`2025-03-01T10:${String(m).padStart(2, "0")}:00Z`)))).toBe(true);
    expect(quarter.matches(at("2025-03-01T10:00:00Z"))).toBe(false);
    const fourHourly = parseCron("11 */4 * * *");
    expect(fourHourly.matches(at("2025-03-01T08:11:00Z"))).toBe(true);
    expect(fourHourly.matches(at("2025-03-01T09:11:00Z"))).toBe(false);
    expect(parseCron("0 9 * * 1,5").matches(at("2025-03-07T09:00:00Z"))).toBe(true); // a Friday
    expect(parseCron("0 0 * * 7").matches(at("2025-03-02T00:00:00Z"))).toBe(true); // Sunday as 7
  });

  it("treats two restricted day fields as either-or, like cron", () => {
    const firstOrMonday = parseCron("0 0 1 * 1");
    expect(firstOrMonday.matches(at("2025-03-01T00:00:00Z"))).toBe(true); // the 1st, a Saturday
    expect(firstOrMonday.matches(at("2025-03-03T00:00:00Z"))).toBe(true); // a Monday
    expect(firstOrMonday.matches(at("2025-03-04T00:00:00Z"))).toBe(false);
  });

  it("rejects what it does not understand", () => {
    expect(() => parseCron("* * * *")).toThrow(/five-field/);
    expect(() => parseCron("61 * * * *")).toThrow(/out of range/);
    expect(() => parseCron("@hourly * * * *")).toThrow(/Unsupported/);
  });

  it("parses every job's schedule", () => {
    for (const job of JOBS.filter(isCronJob)) expect(() => parseCron(job.trigger.cron)).not.toThrow();
  });
});
