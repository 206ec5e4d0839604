import { z } from "zod";
import { TREE_STATES } from "@/server/db/schema";
import { EMOJI_OPS, setMessageEmoji } from "@/server/domain/messages/emojis";
import { messageIdByFrontendId } from "@/server/domain/messages/frontend-ids";
import {
  getChildren, getConversation, getLongestConversation, getMaxChildrenInTree, getMessage, getTree, getTreeState, type TreeStateView,
} from "@/server/domain/messages/reads";
import { editMessage, listRevisions } from "@/server/domain/messages/revisions";
import { haltTreeOfMessage, unhaltTreeOfMessage } from "@/server/domain/moderation/halt";
import { softDeleteMessage, undeleteMessage } from "@/server/domain/moderation/soft-delete";
import type { MessageView } from "@/server/domain/messages/dto";
import { json } from "../http";
import { actingUser, ZOaUser } from "../identity";
import { Raw, route, type RestContext, type RestRoute } from "../route";
import { clientViewer, toMessageJson, toMessagesJson, ZMessageJson } from "./message-json";
import { listMessagesJson, messagePageJson, ZMessageCursorQuery, ZMessageListQuery, ZMessagePageJson } from "./message-pages";

const TAG = "messages";
const ZMessageParams = z.object({ message_id: z.uuid("Not a message id.") });
const ZFrontendParams = z.object({ message_id: z.string().min(1).max(200).meta({ description: "Your frontend message id." }) });
const ZConversationJson = z.object({ messages: z.array(ZMessageJson) }).meta({ id: "MessageConversation" });
const ZRevisionJson = z
  .object({ id: z.uuid(), text: z.string(), message_id: z.uuid(), user_id: z.uuid().nullable(), created_date: z.string(), user_is_author: z.boolean() })
  .meta({ id: "MessageRevision" });
const ZTreeJson = z.object({ id: z.uuid(), messages: z.array(ZMessageJson) }).meta({ id: "MessageTree" });
const ZTreeStateJson = z
  .object({
    message_tree_id: z.uuid(),
    state: z.enum(TREE_STATES),
    active: z.boolean(),
    goal_tree_size: z.number().int(),
    max_depth: z.number().int(),
    max_children_count: z.number().int(),
    lang: z.string(),
    origin: z.string().nullable(),
    won_prompt_lottery_date: z.string().nullable(),
  })
  .meta({ id: "MessageTreeState" });

function toTreeStateJson(state: TreeStateView): z.infer<typeof ZTreeStateJson> {
  return {
    message_tree_id: state.messageTreeId,
    state: state.state,
    active: state.active,
    goal_tree_size: state.goalTreeSize,
    max_depth: state.maxDepth,
    max_children_count: state.maxChildrenCount,
    lang: state.lang,
    origin: state.origin,
    won_prompt_lottery_date: state.wonPromptLotteryDate?.toISOString() ?? null,
  };
}

/** The message and everything below it, from the tree the viewer may see. */
function descendantsOf(messageId: string, all: readonly MessageView[]): MessageView[] {
  const keep = new Set([messageId]);
  return all.filter((m) => {
    if (m.id === messageId) return true;
    if (m.parentId && keep.has(m.parentId)) {
      keep.add(m.id);
      return true;
    }
    return false;
  });
}

type Resolve = (ctx: RestContext<"key">, id: string) => Promise<string>;

/** The read endpoints, by message id (`/messages`) or by the client's own frontend id (`/frontend_messages`). */
function readRoutes(prefix: "/messages" | "/frontend_messages", params: typeof ZMessageParams | typeof ZFrontendParams, resolve: Resolve): RestRoute[] {
  const tag = prefix === "/messages" ? TAG : "frontend_messages";
  const by = prefix === "/messages" ? "" : " (by your frontend message id)";
  return [
    route({
      method: "GET", path: `${prefix}/{message_id}`, tag, summary: `A message${by}`, auth: "key", params, errors: [2001],
      response: { status: 200, schema: ZMessageJson },
      async handle(ctx, { params: p }) {
        const viewer = await clientViewer(ctx.db, ctx.apiClient, ctx.request.headers);
        return toMessageJson(ctx.db, await getMessage(ctx.db, viewer, await resolve(ctx, p.message_id)), ctx.apiClient);
      },
    }),
    route({
      method: "GET", path: `${prefix}/{message_id}/conversation`, tag, summary: `Root → message${by}`, auth: "key", params, errors: [2001],
      response: { status: 200, schema: ZConversationJson },
      async handle(ctx, { params: p }) {
        const viewer = await clientViewer(ctx.db, ctx.apiClient, ctx.request.headers);
        return { messages: await toMessagesJson(ctx.db, await getConversation(ctx.db, viewer, await resolve(ctx, p.message_id)), ctx.apiClient) };
      },
    }),
    route({
      method: "GET", path: `${prefix}/{message_id}/tree`, tag, summary: `The message's whole tree${by}`, auth: "key", params, errors: [2001],
      response: { status: 200, schema: ZTreeJson },
      async handle(ctx, { params: p }) {
        const viewer = await clientViewer(ctx.db, ctx.apiClient, ctx.request.headers);
        const tree = await getTree(ctx.db, viewer, await resolve(ctx, p.message_id));
        return { id: tree.messageTreeId, messages: await toMessagesJson(ctx.db, tree.messages, ctx.apiClient) };
      },
    }),
    route({
      method: "GET", path: `${prefix}/{message_id}/children`, tag, summary: `Direct replies${by}`, auth: "key", params, errors: [2001],
      response: { status: 200, schema: z.array(ZMessageJson) },
      async handle(ctx, { params: p }) {
        const viewer = await clientViewer(ctx.db, ctx.apiClient, ctx.request.headers);
        return toMessagesJson(ctx.db, await getChildren(ctx.db, viewer, await resolve(ctx, p.message_id)), ctx.apiClient);
      },
    }),
    route({
      method: "GET", path: `${prefix}/{message_id}/descendants`, tag, summary: `The message and everything below it${by}`, auth: "key", params, errors: [2001],
      response: { status: 200, schema: ZTreeJson },
      async handle(ctx, { params: p }) {
        const viewer = await clientViewer(ctx.db, ctx.apiClient, ctx.request.headers);
        const id = await resolve(ctx, p.message_id);
        const tree = await getTree(ctx.db, viewer, id);
        return { id, messages: await toMessagesJson(ctx.db, descendantsOf(id, tree.messages), ctx.apiClient) };
      },
    }),
    route({
      method: "GET", path: `${prefix}/{message_id}/longest_conversation_in_tree`, tag, summary: `The deepest thread of the message's tree, root first${by}`,
      auth: "key", params, errors: [2001], response: { status: 200, schema: ZConversationJson },
      async handle(ctx, { params: p }) {
        const viewer = await clientViewer(ctx.db, ctx.apiClient, ctx.request.headers);
        return { messages: await toMessagesJson(ctx.db, await getLongestConversation(ctx.db, viewer, await resolve(ctx, p.message_id)), ctx.apiClient) };
      },
    }),
    route({
      method: "GET", path: `${prefix}/{message_id}/max_children_in_tree`, tag, summary: `The message of the tree with the most replies, and its replies${by}`,
      auth: "key", params, errors: [2001], response: { status: 200, schema: ZTreeJson },
      async handle(ctx, { params: p }) {
        const viewer = await clientViewer(ctx.db, ctx.apiClient, ctx.request.headers);
        const { message, children } = await getMaxChildrenInTree(ctx.db, viewer, await resolve(ctx, p.message_id));
        return { id: message.id, messages: await toMessagesJson(ctx.db, [message, ...children], ctx.apiClient) };
      },
    }),
  ];
}

/** The acting moderator for trusted-client operations: `x-oasst-user`, or the client's own user. */
async function moderatorId(ctx: RestContext<"trusted">) {
  return (await clientViewer(ctx.db, ctx.apiClient, ctx.request.headers)).userId;
}

export const messageRoutes: RestRoute[] = [
  route({
    method: "GET", path: "/messages/", tag: TAG, summary: "Messages by creation date, with filters (your key's messages; any for trusted clients)",
    description: "auth_method and username (both or neither) select one author. Deleted messages only for trusted clients.",
    auth: "key", query: ZMessageListQuery.extend({ auth_method: z.string().min(1).max(32).optional(), username: z.string().min(1).max(128).optional() }),
    response: { status: 200, schema: z.array(ZMessageJson) }, errors: [2, 2012],
    async handle(ctx, { query }) {
      return listMessagesJson(ctx, { authMethod: query.auth_method, username: query.username }, query);
    },
  }),
  route({
    method: "GET", path: "/messages/cursor", tag: TAG, summary: "A page of messages by creation date, with before/after cursors",
    description: "Cursors are `<message id>$<created date>` (or a bare ISO date: inclusive). desc=false (default) lists oldest first.",
    auth: "key",
    query: ZMessageCursorQuery.extend({ user_id: z.uuid().optional(), auth_method: z.string().min(1).max(32).optional(), username: z.string().min(1).max(128).optional() }),
    response: { status: 200, schema: ZMessagePageJson }, errors: [2, 101, 2012],
    async handle(ctx, { query }) {
      return messagePageJson(ctx, { userId: query.user_id, authMethod: query.auth_method, username: query.username }, query);
    },
  }),
  ...readRoutes("/messages", ZMessageParams, async (_ctx, id) => id),
  ...readRoutes("/frontend_messages", ZFrontendParams, (ctx, id) => messageIdByFrontendId(ctx.db, ctx.apiClient.id, id)),
  route({
    method: "GET", path: "/messages/{message_id}/tree/state", tag: TAG, summary: "The state of the message's tree", auth: "key",
    params: ZMessageParams, response: { status: 200, schema: ZTreeStateJson }, errors: [2001],
    async handle(ctx, { params }) {
      const viewer = await clientViewer(ctx.db, ctx.apiClient, ctx.request.headers);
      return toTreeStateJson(await getTreeState(ctx.db, viewer, params.message_id));
    },
  }),
  route({
    method: "PUT", path: "/messages/{message_id}/tree/state", tag: TAG, summary: "Halt or resume the message's tree (trusted clients)", auth: "trusted",
    params: ZMessageParams, query: z.object({ halt: z.enum(["true", "false"]).transform((v) => v === "true") }),
    response: { status: 200, schema: ZTreeStateJson }, errors: [2, 2001],
    async handle(ctx, { params, query }) {
      const actor = await moderatorId(ctx);
      const state = query.halt
        ? await haltTreeOfMessage(ctx.db, actor, params.message_id, ctx.treeDeps)
        : await unhaltTreeOfMessage(ctx.db, actor, params.message_id, ctx.treeDeps);
      return toTreeStateJson(state);
    },
  }),
  route({
    method: "DELETE", path: "/messages/{message_id}", tag: TAG, summary: "Delete a message and its replies (soft; trusted clients)", auth: "trusted",
    params: ZMessageParams, response: { status: 204 }, errors: [2, 2001],
    async handle(ctx, { params }) {
      await softDeleteMessage(ctx.db, await moderatorId(ctx), params.message_id, ctx.treeDeps);
      return new Raw(json(null, 204));
    },
  }),
  route({
    method: "PUT", path: "/messages/{message_id}/undelete", tag: TAG, summary: "Undelete a message (trusted clients; the original let any key do it)", auth: "trusted",
    params: ZMessageParams, response: { status: 202 }, errors: [2, 2001],
    async handle(ctx, { params }) {
      await undeleteMessage(ctx.db, await moderatorId(ctx), params.message_id, ctx.treeDeps);
      return new Raw(json(null, 202));
    },
  }),
  route({
    method: "POST", path: "/messages/{message_id}/edit", tag: TAG, summary: "Change a message's text as a named user, keeping its history (trusted clients)",
    description: "The new text obeys the same limits as a new message (the original skipped the size check).",
    auth: "trusted", params: ZMessageParams, body: z.object({ user: ZOaUser, new_content: z.string().max(1_000_000) }),
    response: { status: 200, schema: z.null() }, errors: [2, 1008, 1010, 2001],
    async handle(ctx, { params, body }) {
      const editor = await actingUser(ctx.db, ctx.apiClient, body.user);
      await editMessage(ctx.db, { userId: editor.id, isModerator: true }, { messageId: params.message_id, text: body.new_content });
      return null;
    },
  }),
  route({
    method: "GET", path: "/messages/{message_id}/history", tag: TAG, summary: "Earlier versions of an edited message, oldest first (trusted clients)",
    auth: "trusted", params: ZMessageParams, response: { status: 200, schema: z.array(ZRevisionJson) }, errors: [2, 2001],
    async handle(ctx, { params }) {
      const viewer = await clientViewer(ctx.db, ctx.apiClient, ctx.request.headers);
      const revisions = await listRevisions(ctx.db, viewer, params.message_id);
      return revisions.map((r) => ({
        id: r.id, text: r.text, message_id: params.message_id, user_id: r.editorId, created_date: r.createdDate.toISOString(), user_is_author: r.editorId !== null && r.editorId === viewer.userId,
      }));
    },
  }),
  route({
    method: "POST", path: "/messages/{message_id}/emoji", tag: TAG, summary: "Add, remove or toggle a user's emoji on a message", auth: "key",
    params: ZMessageParams, body: z.object({ user: ZOaUser, op: z.enum(EMOJI_OPS).default("toggle"), emoji: z.string().min(1).max(128) }),
    response: { status: 202, schema: ZMessageJson }, errors: [2001, 5000],
    async handle(ctx, { params, body }) {
      const user = await actingUser(ctx.db, ctx.apiClient, body.user);
      const view = await setMessageEmoji(ctx.db, { userId: user.id, isModerator: ctx.apiClient.trusted }, { messageId: params.message_id, emoji: body.emoji, op: body.op }, ctx.treeDeps);
      return toMessageJson(ctx.db, view, ctx.apiClient);
    },
  }),
];
