import { activeBranch, pathTo } from "@/server/domain/chat/tree";
import type { ChatMessage } from "./types";

/** Client-side tree helpers; the branch rule is the server's (`activeBranch`), so a reload shows the same branch. */

export function branchOf(messages: readonly ChatMessage[], tailId: string | null): ChatMessage[] {
  const byId = new Map(messages.map((message) => [message.id, message]));
  return activeBranch(messages, tailId).flatMap((id) => byId.get(id) ?? []);
}

/** Root → `id` only, nothing below it (while drafts wait for a pick under `id`). */
export function pathOf(messages: readonly ChatMessage[], id: string): ChatMessage[] {
  const byId = new Map(messages.map((message) => [message.id, message]));
  return pathTo(messages, id).flatMap((messageId) => byId.get(messageId) ?? []);
}

const byAge = (a: ChatMessage, b: ChatMessage) => a.createdAt.getTime() - b.createdAt.getTime() || a.id.localeCompare(b.id);

/** The message and its siblings (same parent), oldest first. */
export function siblingsOf(messages: readonly ChatMessage[], message: ChatMessage): ChatMessage[] {
  return messages.filter((candidate) => candidate.parentId === message.parentId).sort(byAge);
}

/** The leaf reached from `id` by following the newest child: what switching to that sibling shows. */
export function newestLeafUnder(messages: readonly ChatMessage[], id: string): string {
  let current = id;
  for (let guard = 0; guard <= messages.length; guard++) {
    const children = messages.filter((message) => message.parentId === current).sort(byAge);
    const next = children.at(-1);
    if (!next) break;
    current = next.id;
  }
  return current;
}
