import { DEFAULT_TREE_MANAGER_CONFIG, type TreeManagerConfig } from "./config";

/** What the tree manager needs besides the database: its configuration and a source of randomness (seedable in tests). */
export type TreeDeps = {
  config: TreeManagerConfig;
  random: () => number;
};

export const defaultTreeDeps = (config: TreeManagerConfig = DEFAULT_TREE_MANAGER_CONFIG): TreeDeps => ({
  config,
  random: Math.random,
});

/** Weighted pick over positive weights; undefined when nothing has weight. */
export function pickWeighted<T>(items: readonly { item: T; weight: number }[], random: () => number): T | undefined {
  const total = items.reduce((sum, entry) => sum + Math.max(0, entry.weight), 0);
  if (total <= 0) return undefined;
  let threshold = random() * total;
  for (const entry of items) {
    threshold -= Math.max(0, entry.weight);
    if (threshold < 0) return entry.item;
  }
  return items.at(-1)?.item;
}
