import { TREE_STATES, type TreeState } from "@/server/db/schema";

/** Entering one of these makes a tree inactive (spec backend §1.2). */
export const TERMINAL_TREE_STATES = new Set<TreeState>([
  "ready_for_export",
  "aborted_low_grade",
  "scoring_failed",
  "halted_by_moderator",
  "backlog_ranking",
  "prompt_lottery_waiting",
]);

export function isTerminalTreeState(state: TreeState): boolean {
  return TERMINAL_TREE_STATES.has(state);
}

export function isTreeState(value: unknown): value is TreeState {
  return typeof value === "string" && (TREE_STATES as readonly string[]).includes(value);
}
