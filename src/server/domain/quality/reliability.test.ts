import { describe, expect, it } from "vitest";
import { analyseSiblingGroup } from "./compute-quality";

describe("reliability weighting of the Bradley–Terry fit", () => {
  // One reliable ranker says a > b > c; three rankers whose orders look random mostly put c first.
  const rankings = [["a", "b", "c"], ["c", "b", "a"], ["c", "a", "b"], ["b", "c", "a"]];

  it("unweighted, the three others outvote the reliable ranker", () => {
    const { strengths } = analyseSiblingGroup(rankings, 7);
    expect(strengths.c!.strength).toBeGreaterThan(strengths.a!.strength);
  });

  it("weighted by agreement scores, a reliable ranker outweighs random ones", () => {
    const { strengths, kendallW } = analyseSiblingGroup(rankings, 7, [0.9, 0.05, 0.05, 0.05]);
    expect(strengths.a!.strength).toBeGreaterThan(strengths.b!.strength);
    expect(strengths.b!.strength).toBeGreaterThan(strengths.c!.strength);
    // Agreement figures are about the rankers, not their weights.
    expect(kendallW).toBe(analyseSiblingGroup(rankings, 7).kendallW);
  });

  it("equal weights give the unweighted fit", () => {
    const plain = analyseSiblingGroup(rankings, 7).strengths;
    const equal = analyseSiblingGroup(rankings, 7, [1, 1, 1, 1]).strengths;
    for (const id of ["a", "b", "c"]) expect(equal[id]!.strength).toBeCloseTo(plain[id]!.strength, 9);
  });
});
