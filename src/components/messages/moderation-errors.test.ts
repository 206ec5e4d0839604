import { describe, expect, it } from "vitest";
import { moderationErrorText } from "./moderation-errors";

const t = (key: string, values?: Record<string, string | number>) => `${key}${values ? JSON.stringify(values) : ""}`;

describe("moderationErrorText", () => {
  it("says in the UI language that a restore would overfill the parent, with the tree's limit", () => {
    const error = { message: "This reply can't be restored…", data: { appCode: "UNDELETE_PARENT_FULL", details: { parentId: "p", maxReplies: 3 } } };
    expect(moderationErrorText(t, error)).toBe('errors.undeleteParentFull{"max":3}');
  });

  it("keeps the server's typed message for other errors, and the generic text when there is none", () => {
    expect(moderationErrorText(t, { message: "The message was not found.", data: { appCode: "MESSAGE_NOT_FOUND" } })).toBe("The message was not found.");
    expect(moderationErrorText(t, new TypeError(""))).toBe("errors.generic");
  });
});
