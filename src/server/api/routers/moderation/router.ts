import { createTRPCRouter } from "@/server/api/trpc";
import { deleteMessageRoute } from "./delete-message";
import { deleteUserRoute } from "./delete-user";
import { getUserRoute } from "./get-user";
import { haltTreeRoute } from "./halt-tree";
import { listFlaggedMessagesRoute } from "./list-flagged-messages";
import { listMessagesRoute } from "./list-messages";
import { markFlaggedProcessedRoute } from "./mark-flagged-processed";
import { purgeTreeRoute } from "./purge-tree";
import { purgeUserMessagesRoute } from "./purge-user-messages";
import { undeleteMessageRoute } from "./undelete-message";
import { unhaltTreeRoute } from "./unhalt-tree";
import { updateUserRoute } from "./update-user";

export const moderationRouter = createTRPCRouter({
  haltTree: haltTreeRoute,
  unhaltTree: unhaltTreeRoute,
  deleteMessage: deleteMessageRoute,
  undeleteMessage: undeleteMessageRoute,
  purgeTree: purgeTreeRoute,
  purgeUserMessages: purgeUserMessagesRoute,
  messages: listMessagesRoute,
  flaggedMessages: listFlaggedMessagesRoute,
  markFlaggedProcessed: markFlaggedProcessedRoute,
  getUser: getUserRoute,
  updateUser: updateUserRoute,
  deleteUser: deleteUserRoute,
});
