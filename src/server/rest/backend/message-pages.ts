import { z } from "zod";
import { queryMessagePage, queryMessages, type MessageQuery } from "@/server/domain/messages/query-messages";
import { messageOrigins } from "@/server/domain/tasks/client-tasks";
import { findUsersByIds } from "@/server/domain/users/client-users";
import type { UserRow } from "@/server/domain/users/dto";
import { AppError } from "@/server/errors";
import { ZQueryBool, ZQueryDate } from "../query-params";
import type { RestContext } from "../route";
import { clientViewer, toMessagesJson, type MessageJson, ZMessageJson } from "./message-json";
import { pageOf, toUserJson } from "./user-json";

/**
 * The original's message lists (`GET /messages/`, `/messages/cursor` and the per-user variants) over
 * `queryMessages` / `queryMessagePage`. Untrusted clients list only messages written through their own key
 * (OA `query_messages_ordered_by_created_date`: another `api_client_id` is a 403).
 */

const ZMaxCount = z.coerce.number().int().min(1).max(1000).default(10);

/** `GET /messages/` and the users' message lists (`include_deleted` is `allow_deleted` on `/messages/`). */
export const ZMessageListQuery = z.object({
  api_client_id: z.uuid().optional(),
  max_count: ZMaxCount,
  start_date: ZQueryDate.optional(),
  end_date: ZQueryDate.optional(),
  only_roots: ZQueryBool.default(false),
  desc: ZQueryBool.default(true),
  allow_deleted: ZQueryBool.optional().meta({ description: "Deleted messages too (trusted clients)." }),
  include_deleted: ZQueryBool.optional().meta({ description: "Deleted messages too (trusted clients)." }),
  lang: z.string().min(1).max(32).optional(),
});

export const ZMessageCursorQuery = z.object({
  before: z.string().max(200).optional().meta({ description: "`prev` of a page: the page before it." }),
  after: z.string().max(200).optional().meta({ description: "`next` of a page: the page after it." }),
  api_client_id: z.uuid().optional(),
  only_roots: ZQueryBool.default(false),
  include_deleted: ZQueryBool.default(false),
  max_count: ZMaxCount,
  desc: ZQueryBool.default(false),
  lang: z.string().min(1).max(32).optional(),
  search_query: z.string().min(1).max(200).optional().meta({ description: "Full-text search; needs lang." }),
  include_user: ZQueryBool.default(false),
});

export const ZMessagePageJson = pageOf(ZMessageJson, "MessagePage");

/** Untrusted keys read their own messages only. */
function scopedClientId(ctx: RestContext<"key">, requested: string | undefined): string | undefined {
  if (ctx.apiClient.trusted) return requested;
  if (requested && requested !== ctx.apiClient.id) throw new AppError("FORBIDDEN", "This key may only list messages written through it.");
  return ctx.apiClient.id;
}

/** include_user: each message's author, for trusted keys and for a key's own users (whose ids it knows anyway). */
async function withUsers(ctx: RestContext<"key">, items: MessageJson[], include: boolean): Promise<MessageJson[]> {
  if (!include) return items;
  const origins = await messageOrigins(ctx.db, items.map((m) => m.id));
  const authors = await findUsersByIds(ctx.db, [...origins.values()].flatMap((o) => (o.userId ? [o.userId] : [])));
  return items.map((m) => {
    const authorId = origins.get(m.id)?.userId;
    const author: UserRow | undefined = authorId ? authors.get(authorId) : undefined;
    const shown = author && (ctx.apiClient.trusted || author.apiClientId === ctx.apiClient.id);
    return { ...m, user: shown ? toUserJson(author) : null };
  });
}

export async function listMessagesJson(
  ctx: RestContext<"key">,
  filter: Pick<MessageQuery, "userId" | "authMethod" | "username">,
  query: z.output<typeof ZMessageListQuery>,
): Promise<MessageJson[]> {
  const viewer = await clientViewer(ctx.db, ctx.apiClient, ctx.request.headers);
  const views = await queryMessages(ctx.db, viewer, {
    ...filter,
    apiClientId: scopedClientId(ctx, query.api_client_id),
    lang: query.lang,
    onlyRoots: query.only_roots,
    includeDeleted: query.allow_deleted ?? query.include_deleted ?? false,
    startDate: query.start_date,
    endDate: query.end_date,
  }, { limit: query.max_count, desc: query.desc });
  return toMessagesJson(ctx.db, views, ctx.apiClient);
}

export async function messagePageJson(
  ctx: RestContext<"key">,
  filter: Pick<MessageQuery, "userId" | "authMethod" | "username">,
  query: z.output<typeof ZMessageCursorQuery>,
): Promise<z.infer<typeof ZMessagePageJson>> {
  const viewer = await clientViewer(ctx.db, ctx.apiClient, ctx.request.headers);
  const page = await queryMessagePage(ctx.db, viewer, {
    ...filter,
    apiClientId: scopedClientId(ctx, query.api_client_id),
    lang: query.lang,
    onlyRoots: query.only_roots,
    includeDeleted: query.include_deleted,
    searchQuery: query.search_query,
  }, { before: query.before, after: query.after, limit: query.max_count, desc: query.desc });
  const items = await withUsers(ctx, await toMessagesJson(ctx.db, page.items, ctx.apiClient), query.include_user);
  return { prev: page.prev, next: page.next, sort_key: "created_date", order: page.order, items };
}
