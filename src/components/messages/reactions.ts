import type { MessageView } from "@/server/domain/messages/dto";

export const VOTES = ["+1", "-1"] as const;
export type Vote = (typeof VOTES)[number];

type Reactions = Pick<MessageView, "emojis" | "userEmojis">;

/**
 * The server's toggle rule (spec backend §4.5), applied locally for an optimistic update: toggling a vote on or off,
 * and a +1 replaces the user's -1 and the other way round.
 */
export function applyVote(current: Reactions, vote: Vote): Reactions {
  const emojis = { ...current.emojis };
  const bump = (code: string, delta: number) => {
    const next = (emojis[code] ?? 0) + delta;
    if (next > 0) emojis[code] = next;
    else delete emojis[code];
  };
  const had = current.userEmojis.includes(vote);
  if (had) {
    bump(vote, -1);
    return { emojis, userEmojis: current.userEmojis.filter((code) => code !== vote) };
  }
  const opposite: Vote = vote === "+1" ? "-1" : "+1";
  let userEmojis = [...current.userEmojis, vote];
  if (current.userEmojis.includes(opposite)) {
    bump(opposite, -1);
    userEmojis = userEmojis.filter((code) => code !== opposite);
  }
  bump(vote, 1);
  return { emojis, userEmojis };
}

/** Vote counts are shown after the user voted, and always to the author and to moderators (website §5.6). */
export function showsVoteCounts(message: Pick<MessageView, "userIsAuthor" | "userEmojis">, isModerator: boolean): boolean {
  return message.userIsAuthor || isModerator || message.userEmojis.some((code) => (VOTES as readonly string[]).includes(code));
}
