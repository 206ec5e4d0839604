import { describe, expect, it } from "vitest";
import { AppError } from "@/server/errors";
import { exportFileName, parseExportRequest } from "./export-request";

describe("parseExportRequest", () => {
  it("uses the original export's defaults", () => {
    const request = parseExportRequest(new URLSearchParams(""));
    expect(request).toMatchObject({ format: "trees", gzip: false, filters: { states: ["ready_for_export"], promptsOnly: false } });
  });

  it("reads every filter of the form", () => {
    const params = new URLSearchParams("format=messages&state=growing&state=ranking&lang=de&deleted=include&spam=only&synthetic=include&from=2023-01-01&to=2023-02-01&labels=on&events=on&limit=10&anonymize=s3cret&gzip=on");
    const { format, filters, gzip } = parseExportRequest(params);
    expect(format).toBe("messages");
    expect(gzip).toBe(true);
    expect(filters).toMatchObject({
      states: ["growing", "ranking"], lang: "de", deleted: "include", spam: "only", synthetic: "include",
      labels: true, events: true, limit: 10, anonymizerSeed: "s3cret",
    });
    expect(filters.createdFrom?.toISOString()).toBe("2023-01-01T00:00:00.000Z");
  });

  it("takes 'all' states and ignores empty optional fields", () => {
    const { filters } = parseExportRequest(new URLSearchParams("state=all&lang=&userId=&limit=&from=&to=&anonymize="));
    expect(filters).toMatchObject({ states: "all", lang: undefined, userId: undefined, limit: undefined, createdFrom: undefined, createdTo: undefined, anonymizerSeed: undefined });
  });

  it.each([["format=csv", /format/], ["state=lost", /state/], ["limit=-3", /limit/], ["userId=bob", /userId/], ["from=yesterday", /from/]])(
    "refuses %s with a typed error naming the field",
    (query, field) => {
      expect(() => parseExportRequest(new URLSearchParams(query))).toThrow(AppError);
      expect(() => parseExportRequest(new URLSearchParams(query))).toThrow(field);
    },
  );

  it("names the file after the format and date", () => {
    const request = parseExportRequest(new URLSearchParams("format=sft&gzip=1"));
    expect(exportFileName(request, new Date("2026-11-24T10:00:00Z"))).toBe("oasst-sft-2026-11-24.jsonl.gz");
  });
});
