import type { TreeManagerSettings } from "./config";

/**
 * How many counted replies a message may have (spec §3.4): a prompter message takes up to the tree's
 * `max_children_count` assistant replies, an assistant message up to `numPrompterReplies` prompter replies (never
 * more than the tree's limit). A reply counts while it is live and accepted or still under review; a rejected reply
 * stays visible but frees its slot. The hand-out (`findExtendibleParents`), reply submission and undelete all apply
 * this one rule.
 */
export function replyCapacity(parentRole: string, maxChildrenCount: number, settings: Pick<TreeManagerSettings, "numPrompterReplies">): number {
  return parentRole === "prompter" ? maxChildrenCount : Math.min(maxChildrenCount, settings.numPrompterReplies);
}
