import { createTRPCRouter } from "@/server/api/trpc";
import { actOnItemRoute } from "./act-on-item";
import { claimItemRoute, releaseItemRoute } from "./claim-item";
import { claimNextItemRoute } from "./claim-next-item";
import { getUserDetailRoute } from "./get-user-detail";
import { listJournalRoute } from "./list-journal";
import { listQueueRoute } from "./list-queue";
import { queueSummaryRoute } from "./queue-summary";
import { messageDetailRoute, searchMessagesRoute } from "./search-messages";
import { searchUsersRoute } from "./search-users";
import { parametersRoute, statusRoute } from "./system";
import { listTreesRoute, treeCountsRoute, treeHistoryRoute } from "./trees";

/** The moderator console's own procedures (the message/tree/user actions themselves live in `moderation`). */
export const adminRouter = createTRPCRouter({
  queue: listQueueRoute,
  queueSummary: queueSummaryRoute,
  claimNext: claimNextItemRoute,
  claim: claimItemRoute,
  release: releaseItemRoute,
  act: actOnItemRoute,
  users: searchUsersRoute,
  userDetail: getUserDetailRoute,
  journal: listJournalRoute,
  messages: searchMessagesRoute,
  messageDetail: messageDetailRoute,
  treeCounts: treeCountsRoute,
  trees: listTreesRoute,
  treeHistory: treeHistoryRoute,
  status: statusRoute,
  parameters: parametersRoute,
});
