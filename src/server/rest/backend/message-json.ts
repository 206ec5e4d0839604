import { z } from "zod";
import type { DbOrTx } from "@/server/db/client";
import type { ApiClientRow } from "@/server/domain/api-clients/keys";
import type { MessageView, Viewer } from "@/server/domain/messages/dto";
import { messageOrigins } from "@/server/domain/tasks/client-tasks";
import type { UserRow } from "@/server/domain/users/dto";
import type { Database } from "@/server/db/client";
import { actingUser, headerUser } from "../identity";
import { ZFrontEndUserJson } from "./user-json";

/** The original's Message JSON (spec backend §5: ConversationMessage + tree fields). */
export const ZMessageJson = z
  .object({
    id: z.uuid(),
    parent_id: z.uuid().nullable(),
    message_tree_id: z.uuid(),
    user_id: z.uuid().nullable().meta({ description: "Author id; only for trusted clients and the author." }),
    frontend_message_id: z.string().nullable().meta({ description: "Your own id of the message, when your client wrote it." }),
    text: z.string(),
    lang: z.string(),
    is_assistant: z.boolean(),
    created_date: z.string(),
    review_result: z.boolean().nullable(),
    review_count: z.number().int(),
    deleted: z.boolean(),
    edited: z.boolean(),
    synthetic: z.boolean(),
    model_name: z.string().nullable(),
    ranking_count: z.number().int(),
    rank: z.number().int().nullable(),
    emojis: z.record(z.string(), z.number().int()),
    user_emojis: z.array(z.string()),
    user_is_author: z.boolean(),
    user: ZFrontEndUserJson.nullable().optional().meta({ description: "The author, with include_user=true on list endpoints." }),
  })
  .meta({ id: "Message" });
export type MessageJson = z.infer<typeof ZMessageJson>;

export async function toMessagesJson(db: DbOrTx, views: readonly MessageView[], client: ApiClientRow): Promise<MessageJson[]> {
  const origins = await messageOrigins(db, views.map((v) => v.id));
  return views.map((view) => {
    const origin = origins.get(view.id);
    return {
      id: view.id,
      parent_id: view.parentId,
      message_tree_id: view.messageTreeId,
      user_id: view.authorId,
      frontend_message_id: origin && origin.apiClientId === client.id ? origin.frontendMessageId : null,
      text: view.text,
      lang: view.lang,
      is_assistant: view.role === "assistant",
      created_date: view.createdDate.toISOString(),
      review_result: view.reviewResult,
      review_count: view.reviewCount,
      deleted: view.deleted,
      edited: view.edited,
      synthetic: view.synthetic,
      model_name: view.modelName,
      ranking_count: view.rankingCount,
      rank: view.rank,
      emojis: view.emojis,
      user_emojis: view.userEmojis,
      user_is_author: view.userIsAuthor,
    };
  });
}

export async function toMessageJson(db: DbOrTx, view: MessageView, client: ApiClientRow): Promise<MessageJson> {
  return (await toMessagesJson(db, [view], client))[0]!;
}

/** Who reads: `x-oasst-user` or the client's own user; trusted clients see what moderators see. */
export async function clientViewer(db: Database, client: ApiClientRow, headers: Headers): Promise<Viewer & { user: UserRow }> {
  const user = (await headerUser(db, client, headers)) ?? (await actingUser(db, client, { id: "api-client", auth_method: "system", display_name: client.description }));
  return { userId: user.id, isModerator: client.trusted, user };
}
