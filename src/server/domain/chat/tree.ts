/**
 * The branch a chat shows: messages form a tree under one root prompter message; at each level the UI shows one
 * sibling. OA's website picked the sibling whose subtree holds `active_thread_tail_message_id`, else the newest
 * (`website/src/components/Chat/ChatConversationTree.tsx`, spec website §5.5); this computes the same on the server
 * so a reload, another device or an API client sees the same branch.
 */
export type TreeNode = { id: string; parentId: string | null; createdAt: Date };

const byAge = (a: TreeNode, b: TreeNode) => a.createdAt.getTime() - b.createdAt.getTime() || a.id.localeCompare(b.id);

/** Root → leaf ids of the active branch; empty for an empty chat. */
export function activeBranch(nodes: readonly TreeNode[], preferredTailId: string | null): string[] {
  const byId = new Map(nodes.map((node) => [node.id, node]));
  const children = new Map<string | null, TreeNode[]>();
  for (const node of nodes) {
    const parent = node.parentId !== null && byId.has(node.parentId) ? node.parentId : null;
    children.set(parent, [...(children.get(parent) ?? []), node]);
  }
  for (const list of children.values()) list.sort(byAge);

  const branch: string[] = [];
  const tail = preferredTailId ? byId.get(preferredTailId) : undefined;
  if (tail) {
    // Walk up from the remembered tail; the guard stops on a (corrupt) cycle instead of looping forever.
    for (let node: TreeNode | undefined = tail; node && branch.length <= nodes.length; node = node.parentId ? byId.get(node.parentId) : undefined) {
      branch.unshift(node.id);
    }
  }
  // Below the tail (or from the root when there is none), follow the newest child.
  let current: string | null = branch.length > 0 ? branch[branch.length - 1]! : null;
  for (let next = children.get(current)?.at(-1); next; next = children.get(current)?.at(-1)) {
    branch.push(next.id);
    current = next.id;
  }
  return branch;
}

/** The message ids of the path from the root to `id` (inclusive), or [] when it is not in the tree. */
export function pathTo(nodes: readonly TreeNode[], id: string): string[] {
  const byId = new Map(nodes.map((node) => [node.id, node]));
  const path: string[] = [];
  for (let node = byId.get(id); node && path.length <= nodes.length; node = node.parentId ? byId.get(node.parentId) : undefined) {
    path.unshift(node.id);
  }
  return path;
}
