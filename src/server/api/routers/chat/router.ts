import { createTRPCRouter } from "@/server/api/trpc";
import { chooseDraftRoute } from "./choose-draft";
import { createChatRoute } from "./create-chat";
import { deleteChatRoute } from "./delete-chat";
import { getChatRoute } from "./get-chat";
import { hideAllChatsRoute } from "./hide-all-chats";
import { listChatsRoute } from "./list-chats";
import { listModelsRoute } from "./list-models";
import { optOutChatRoute } from "./opt-out-chat";
import { postMessageRoute } from "./post-message";
import { regenerateDraftsRoute } from "./regenerate-drafts";
import { regenerateReplyRoute } from "./regenerate-reply";
import { renameChatRoute } from "./rename-chat";
import { reportMessageRoute } from "./report-message";
import { requestReplyRoute } from "./request-reply";
import { setActiveTailRoute } from "./set-active-tail";
import { setChatHiddenRoute } from "./set-chat-hidden";
import { stopReplyRoute } from "./stop-reply";
import { streamReplyRoute } from "./stream-reply";
import { voteMessageRoute } from "./vote-message";

export const chatRouter = createTRPCRouter({
  list: listChatsRoute,
  create: createChatRoute,
  get: getChatRoute,
  rename: renameChatRoute,
  setHidden: setChatHiddenRoute,
  hideAll: hideAllChatsRoute,
  delete: deleteChatRoute,
  optOut: optOutChatRoute,
  setActiveTail: setActiveTailRoute,
  postMessage: postMessageRoute,
  requestReply: requestReplyRoute,
  regenerate: regenerateReplyRoute,
  regenerateDrafts: regenerateDraftsRoute,
  stop: stopReplyRoute,
  streamReply: streamReplyRoute,
  vote: voteMessageRoute,
  report: reportMessageRoute,
  chooseDraft: chooseDraftRoute,
  models: listModelsRoute,
});
