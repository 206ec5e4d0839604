/**
 * Agreement statistics for the quality job (issue 14). Pure functions, no database; each is checked against
 * published reference values or hand computations in agreement.test.ts.
 */

export type AlphaMetric = "nominal" | "interval";

export type AlphaResult = {
  /** null when it is undefined: fewer than two pairable values, or no variation at all (expected disagreement 0). */
  alpha: number | null;
  /** Units (e.g. messages) with at least two values: only these can show agreement. */
  units: number;
  /** Values in those units. */
  values: number;
};

/**
 * Sum over ordered pairs i ≠ j of δ(v_i, v_j) within one list of values, in O(n):
 * nominal δ = [v_i ≠ v_j] gives n² − Σ_c n_c²; interval δ = (v_i − v_j)² gives 2n·Σv² − 2(Σv)².
 */
function pairDisagreement(values: number[], metric: AlphaMetric): number {
  const n = values.length;
  if (metric === "interval") {
    let sum = 0;
    let squares = 0;
    for (const value of values) {
      sum += value;
      squares += value * value;
    }
    return Math.max(0, 2 * n * squares - 2 * sum * sum);
  }
  const counts = new Map<number, number>();
  for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
  let same = 0;
  for (const count of counts.values()) same += count * count;
  return n * n - same;
}

/**
 * Krippendorff's α (Krippendorff 2011, "Computing Krippendorff's Alpha-Reliability") for values grouped by unit,
 * any number of coders, missing values allowed (a unit simply lists the values it got):
 * α = 1 − D_o / D_e, with D_o = (1/n) Σ_u Σ_{i≠j∈u} δ / (m_u − 1) and D_e = Σ_{i≠j} δ / (n(n − 1)) over all n
 * pairable values. An accumulator, so that the quality job can stream millions of units through it in constant
 * memory (it keeps sums, and for nominal data one count per category).
 */
export class AlphaAccumulator {
  private observed = 0;
  private unitCount = 0;
  private n = 0;
  private sum = 0;
  private squares = 0;
  private readonly categories = new Map<number, number>();

  constructor(readonly metric: AlphaMetric) {}

  addUnit(values: number[]): void {
    if (values.length < 2) return;
    this.unitCount++;
    this.observed += pairDisagreement(values, this.metric) / (values.length - 1);
    this.n += values.length;
    for (const value of values) {
      if (this.metric === "interval") {
        this.sum += value;
        this.squares += value * value;
      } else {
        this.categories.set(value, (this.categories.get(value) ?? 0) + 1);
      }
    }
  }

  result(): AlphaResult {
    const { n } = this;
    if (n < 2) return { alpha: null, units: this.unitCount, values: n };
    let expectedPairs: number;
    if (this.metric === "interval") {
      expectedPairs = Math.max(0, 2 * n * this.squares - 2 * this.sum * this.sum);
    } else {
      let same = 0;
      for (const count of this.categories.values()) same += count * count;
      expectedPairs = n * n - same;
    }
    const expected = expectedPairs / (n * (n - 1));
    // Floating-point noise on constant interval data must not pass for variation.
    if (expected <= 1e-12) return { alpha: null, units: this.unitCount, values: n };
    return { alpha: 1 - this.observed / n / expected, units: this.unitCount, values: n };
  }
}

export function krippendorffAlpha(units: Iterable<number[]>, metric: AlphaMetric): AlphaResult {
  const accumulator = new AlphaAccumulator(metric);
  for (const values of units) accumulator.addUnit(values);
  return accumulator.result();
}

/**
 * Kendall's coefficient of concordance W between m complete rankings of the same n items (no ties):
 * W = 12·S / (m²(n³ − n)), S = Σ_i (R_i − m(n + 1)/2)², R_i the sum of item i's ranks. 1 = all rankers agree,
 * 0 = no agreement. Only items every ranking contains are compared; null with fewer than 2 rankings or items.
 */
export function kendallW(rankings: string[][]): number | null {
  if (rankings.length < 2) return null;
  const common = rankings[0]!.filter((item) => rankings.every((ranking) => ranking.includes(item)));
  const n = common.length;
  const m = rankings.length;
  if (n < 2) return null;
  const rankSums = new Map<string, number>(common.map((item) => [item, 0]));
  for (const ranking of rankings) {
    const restricted = ranking.filter((item) => rankSums.has(item));
    restricted.forEach((item, index) => rankSums.set(item, rankSums.get(item)! + index + 1));
  }
  const mean = (m * (n + 1)) / 2;
  let s = 0;
  for (const sum of rankSums.values()) s += (sum - mean) ** 2;
  return (12 * s) / (m * m * (n ** 3 - n));
}

/** How many rankings put `a` before `b` and `b` before `a` (rankings without both say nothing). */
export function pairwiseVotes(rankings: string[][], a: string, b: string): { ab: number; ba: number } {
  let ab = 0;
  let ba = 0;
  for (const ranking of rankings) {
    const i = ranking.indexOf(a);
    const j = ranking.indexOf(b);
    if (i < 0 || j < 0) continue;
    if (i < j) ab++;
    else ba++;
  }
  return { ab, ba };
}

/**
 * The consensus margin of a sibling group: along the consensus order, the smallest net share of rankers that put
 * a reply before the next one, (before − after) / (before + after), in [−1, 1]. 1 = every ranker agrees on every
 * adjacent step; near 0 = at least one step is a coin toss. null for fewer than two replies or no votes.
 */
export function consensusMargin(consensus: string[], rankings: string[][]): number | null {
  let margin: number | null = null;
  for (let k = 0; k + 1 < consensus.length; k++) {
    const { ab, ba } = pairwiseVotes(rankings, consensus[k]!, consensus[k + 1]!);
    if (ab + ba === 0) continue;
    const step = (ab - ba) / (ab + ba);
    margin = margin === null ? step : Math.min(margin, step);
  }
  return margin;
}

/**
 * Lower bound of the Wilson score interval for a proportion (Wilson 1927): a reviewer with 3 of 3 agreements
 * scores 0.44 at 95 %, one with 95 of 100 scores 0.89, so a few lucky answers don't make an expert. 0 for no trials.
 */
export function wilsonLowerBound(successes: number, trials: number, z = 1.959963984540054): number {
  if (trials <= 0) return 0;
  const p = successes / trials;
  const z2 = z * z;
  const centre = p + z2 / (2 * trials);
  const spread = z * Math.sqrt((p * (1 - p)) / trials + z2 / (4 * trials * trials));
  return Math.max(0, (centre - spread) / (1 + z2 / trials));
}
