import { createTRPCRouter } from "@/server/api/trpc";
import { editMessageRoute } from "./edit-message";
import { getChildrenRoute } from "./get-children";
import { getConversationRoute } from "./get-conversation";
import { getLabelOptionsRoute } from "./get-label-options";
import { getMessageRoute } from "./get-message";
import { getTreeRoute } from "./get-tree";
import { getTreeStateRoute } from "./get-tree-state";
import { listMyMessagesRoute } from "./list-my-messages";
import { listRecentMessagesRoute } from "./list-recent-messages";
import { listRevisionsRoute } from "./list-revisions";
import { setEmojiRoute } from "./set-emoji";
import { submitLabelsRoute } from "./submit-labels";

export const messagesRouter = createTRPCRouter({
  get: getMessageRoute,
  conversation: getConversationRoute,
  tree: getTreeRoute,
  children: getChildrenRoute,
  treeState: getTreeStateRoute,
  mine: listMyMessagesRoute,
  recent: listRecentMessagesRoute,
  setEmoji: setEmojiRoute,
  edit: editMessageRoute,
  revisions: listRevisionsRoute,
  label: submitLabelsRoute,
  labelOptions: getLabelOptionsRoute,
});
