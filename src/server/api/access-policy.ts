/**
 * Who may call each tRPC procedure — the one declaration the access-control matrix
 * (`access-control.int.test.ts`) checks every procedure against, for every kind of caller. A procedure without an
 * entry here fails that test, so a new procedure cannot ship without a decision about who may call it.
 *
 * Levels (the procedure bases in `trpc.ts`):
 * - `public`: anyone, signed in or not;
 * - `signedIn`: a signed-in account that is not banned, disabled or deleted (the terms need not be accepted yet);
 * - `contributor`: `signedIn` and the terms of service accepted;
 * - `moderator`: a moderator or admin (terms not required), or a trusted API client acting for a user;
 * - `admin`: an admin;
 * - `apiClient`: any caller with a valid `x-api-key`.
 */
export type AccessLevel = "public" | "signedIn" | "contributor" | "moderator" | "admin" | "apiClient";

export const ACCESS_POLICY = {
  "users.me": "signedIn",
  "users.acceptTos": "signedIn",
  "users.updateProfile": "signedIn",
  "users.linkedAccounts": "signedIn",
  "users.deleteAccount": "signedIn",
  "apiClients.create": "admin",
  "apiClients.list": "admin",
  "apiClients.setEnabled": "admin",
  "apiClients.whoami": "apiClient",
  "tasks.request": "contributor",
  "tasks.resume": "contributor",
  "tasks.availability": "contributor",
  "tasks.ack": "contributor",
  "tasks.skip": "contributor",
  "tasks.submitReply": "contributor",
  "tasks.submitLabels": "contributor",
  "tasks.submitRanking": "contributor",
  "tasks.config": "moderator",
  "messages.get": "contributor",
  "messages.conversation": "contributor",
  "messages.tree": "contributor",
  "messages.children": "contributor",
  "messages.treeState": "contributor",
  "messages.mine": "contributor",
  "messages.recent": "contributor",
  "messages.setEmoji": "contributor",
  "messages.edit": "contributor",
  "messages.revisions": "contributor",
  "messages.label": "contributor",
  "messages.labelOptions": "contributor",
  "moderation.haltTree": "moderator",
  "moderation.unhaltTree": "moderator",
  "moderation.deleteMessage": "moderator",
  "moderation.undeleteMessage": "moderator",
  "moderation.purgeTree": "moderator",
  "moderation.purgeUserMessages": "moderator",
  "moderation.messages": "moderator",
  "moderation.flaggedMessages": "moderator",
  "moderation.markFlaggedProcessed": "moderator",
  "moderation.getUser": "moderator",
  "moderation.updateUser": "moderator",
  "moderation.deleteUser": "moderator",
  "leaderboard.list": "signedIn",
  "leaderboard.myStats": "signedIn",
  "leaderboard.userStats": "moderator",
  "leaderboard.trollboard": "moderator",
  "leaderboard.refresh": "moderator",
  "stats.cached": "public",
  "stats.refreshCached": "moderator",
  "stats.similarPrompts": "contributor",
  "chat.list": "contributor",
  "chat.create": "contributor",
  "chat.get": "contributor",
  "chat.rename": "contributor",
  "chat.setHidden": "contributor",
  "chat.hideAll": "contributor",
  "chat.delete": "contributor",
  "chat.optOut": "contributor",
  "chat.setActiveTail": "contributor",
  "chat.postMessage": "contributor",
  "chat.requestReply": "contributor",
  "chat.regenerate": "contributor",
  "chat.stop": "contributor",
  "chat.streamReply": "contributor",
  "chat.vote": "contributor",
  "chat.report": "contributor",
  "chat.chooseDraft": "contributor",
  "chat.regenerateDrafts": "contributor",
  "chat.models": "contributor",
  "inference.workers": "moderator",
  "inference.queue": "moderator",
  "quality.summary": "moderator",
  "arena.leaderboard": "public",
  "health.ping": "public",
  "health.database": "public",
  "health.session": "contributor",
} as const satisfies Record<string, AccessLevel>;

export type ProcedurePath = keyof typeof ACCESS_POLICY;
