import { describe, expect, it } from "vitest";
import { activeBranch, pathTo } from "./tree";

const at = (s: number) => new Date(2024, 0, 1, 0, 0, s);
//        root
//       /    \
//     a1      a2 (newer)
//     |       /  \
//     p1    p2    p3 (newest)
const nodes = [
  { id: "root", parentId: null, createdAt: at(0) },
  { id: "a1", parentId: "root", createdAt: at(1) },
  { id: "a2", parentId: "root", createdAt: at(2) },
  { id: "p1", parentId: "a1", createdAt: at(3) },
  { id: "p2", parentId: "a2", createdAt: at(4) },
  { id: "p3", parentId: "a2", createdAt: at(5) },
];

describe("activeBranch", () => {
  it("follows the newest child at each level without a remembered tail", () => {
    expect(activeBranch(nodes, null)).toEqual(["root", "a2", "p3"]);
  });

  it("shows the branch of the remembered tail", () => {
    expect(activeBranch(nodes, "p1")).toEqual(["root", "a1", "p1"]);
    expect(activeBranch(nodes, "p2")).toEqual(["root", "a2", "p2"]);
  });

  it("continues below a tail that is not a leaf, and ignores an unknown tail", () => {
    expect(activeBranch(nodes, "a1")).toEqual(["root", "a1", "p1"]);
    expect(activeBranch(nodes, "gone")).toEqual(["root", "a2", "p3"]);
  });

  it("is empty for an empty chat", () => {
    expect(activeBranch([], null)).toEqual([]);
    expect(pathTo(nodes, "p2")).toEqual(["root", "a2", "p2"]);
  });
});
