import { DEFAULT_TREE_MANAGER_CONFIG, loadTreeManagerConfig } from "./config";
import { defaultTreeDeps, type TreeDeps } from "./deps";

let cached: TreeDeps | undefined;

/** The tree manager as configured by `TREE_MANAGER__*` variables, read once per process. */
export function getRuntimeTreeDeps(): TreeDeps {
  cached ??= defaultTreeDeps(loadTreeManagerConfig(process.env, DEFAULT_TREE_MANAGER_CONFIG));
  return cached;
}
