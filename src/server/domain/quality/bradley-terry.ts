/**
 * Bradley–Terry strengths with bootstrap confidence intervals (issue 14: a second consensus with uncertainty per
 * sibling group, and the model arena). Pure functions; bradley-terry.test.ts checks them against closed forms and
 * simulated data with known strengths.
 */

/** One comparison: `winner` was preferred to `loser`, `weight` times (default 1). */
export type Comparison = { winner: string; loser: string; weight?: number };

export type FitOptions = {
  /**
   * Virtual games against a reference item of strength 1: each item gets `prior` wins and `prior` losses. It keeps
   * every strength finite (a reply that won every comparison would otherwise be infinitely strong) and pulls items
   * with little evidence towards the average. 0 gives the plain maximum-likelihood fit.
   */
  prior?: number;
  maxIterations?: number;
  tolerance?: number;
};

/**
 * Log-strengths (natural log, centred on mean 0) fitted by Hunter's (2004) MM algorithm:
 * p_i ← (W_i + a) / (Σ_j n_ij / (p_i + p_j) + 2a / (p_i + 1)). P(i beats j) = 1 / (1 + exp(s_j − s_i)).
 */
export function fitBradleyTerry(items: string[], comparisons: Comparison[], options: FitOptions = {}): Map<string, number> {
  const prior = options.prior ?? 0.5;
  const maxIterations = options.maxIterations ?? 10_000;
  const tolerance = options.tolerance ?? 1e-10;
  const index = new Map(items.map((item, i) => [item, i]));
  const k = items.length;
  const wins = new Float64Array(k);
  // Games between each pair, as a sparse list (sibling groups are small; the arena has few models).
  const games = new Map<number, number>();
  for (const { winner, loser, weight = 1 } of comparisons) {
    const w = index.get(winner);
    const l = index.get(loser);
    if (w === undefined || l === undefined || w === l) continue;
    wins[w]! += weight;
    const key = w < l ? w * k + l : l * k + w;
    games.set(key, (games.get(key) ?? 0) + weight);
  }
  const pairs = [...games].map(([key, n]) => ({ i: Math.floor(key / k), j: key % k, n }));
  let p = new Float64Array(k).fill(1);
  for (let iteration = 0; iteration < maxIterations; iteration++) {
    const denominators = new Float64Array(k);
    for (const { i, j, n } of pairs) {
      const share = n / (p[i]! + p[j]!);
      denominators[i]! += share;
      denominators[j]! += share;
    }
    const next = new Float64Array(k);
    let change = 0;
    for (let i = 0; i < k; i++) {
      const denominator = denominators[i]! + (2 * prior) / (p[i]! + 1);
      // An item without games and without a prior keeps its strength.
      next[i] = denominator > 0 ? (wins[i]! + prior) / denominator : p[i]!;
      if (prior === 0) next[i] = Math.max(next[i]!, 1e-300);
      change = Math.max(change, Math.abs(Math.log(next[i]!) - Math.log(p[i]!)));
    }
    p = next;
    if (change < tolerance) break;
  }
  const logs = Array.from(p, (value) => Math.log(value));
  const mean = logs.reduce((sum, value) => sum + value, 0) / Math.max(1, k);
  return new Map(items.map((item, i) => [item, logs[i]! - mean]));
}

/** Deterministic pseudo-random numbers in [0, 1) (mulberry32), so a fit is reproducible from its seed. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export type Strength = { strength: number; lower: number; upper: number };

export type BootstrapOptions = FitOptions & { samples?: number; level?: number; seed?: number; replicateTolerance?: number };

/**
 * Strengths with percentile bootstrap intervals. `units` are resampled with replacement: one unit per
 * independent judgement (a ranking with all the pairs it implies, or one arena vote), so that the pairs of one
 * ranking are not treated as independent evidence.
 */
export function bootstrapBradleyTerry(items: string[], units: Comparison[][], options: BootstrapOptions = {}): Map<string, Strength> {
  const samples = options.samples ?? 200;
  const level = options.level ?? 0.95;
  const random = seededRandom(options.seed ?? 1);
  const point = fitBradleyTerry(items, units.flat(), options);
  const draws = new Map(items.map((item) => [item, [] as number[]]));
  for (let s = 0; s < samples && units.length > 0; s++) {
    const resampled: Comparison[] = [];
    for (let u = 0; u < units.length; u++) resampled.push(...units[Math.floor(random() * units.length)]!);
    // Replicates only feed percentiles: 1e-6 in log-strength is far below any interval's width, and an order of
    // magnitude fewer MM iterations than the point fit's tolerance.
    for (const [item, value] of fitBradleyTerry(items, resampled, { ...options, tolerance: options.replicateTolerance ?? 1e-6 })) {
      draws.get(item)!.push(value);
    }
  }
  const quantile = (sorted: number[], q: number) => {
    if (sorted.length === 0) return Number.NaN;
    const position = q * (sorted.length - 1);
    const low = Math.floor(position);
    const high = Math.ceil(position);
    return sorted[low]! + (sorted[high]! - sorted[low]!) * (position - low);
  };
  const tail = (1 - level) / 2;
  return new Map(
    items.map((item) => {
      const sorted = draws.get(item)!.sort((a, b) => a - b);
      const strength = point.get(item)!;
      return [item, { strength, lower: sorted.length ? quantile(sorted, tail) : strength, upper: sorted.length ? quantile(sorted, 1 - tail) : strength }];
    }),
  );
}

/** The pairs a ranking implies (best first): each reply beats every reply after it, `weight` times (the ranker's). */
export function impliedPairs(ranking: string[], weight = 1): Comparison[] {
  const pairs: Comparison[] = [];
  for (let i = 0; i < ranking.length; i++) {
    for (let j = i + 1; j < ranking.length; j++) pairs.push(weight === 1 ? { winner: ranking[i]!, loser: ranking[j]! } : { winner: ranking[i]!, loser: ranking[j]!, weight });
  }
  return pairs;
}
