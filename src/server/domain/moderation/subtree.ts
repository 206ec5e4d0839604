import { sql } from "drizzle-orm";
import type { DbOrTx } from "@/server/db/client";
import { uuidArray } from "@/server/domain/messages/queries";

/** SQL for soft deletion and its inverse; `children_count` counts live children, so both recompute it. */

export type ChangedMessage = { id: string; parent_id: string | null };

/** Marks the message and all its descendants deleted (spec §3.9); returns the rows that changed. */
export async function markSubtreeDeleted(tx: DbOrTx, messageId: string): Promise<ChangedMessage[]> {
  const changed = await tx.execute<ChangedMessage>(sql`
    with recursive subtree as (
      select id from messages where id = ${messageId}
      union all
      select c.id from messages c join subtree s on c.parent_id = s.id
    )
    update messages set deleted = true
    where id in (select id from subtree) and not deleted
    returning id, parent_id`);
  await recomputeChildrenCounts(tx, [...changed.map((row) => row.parent_id), ...changed.map((row) => row.id)]);
  return [...changed];
}

/** Undeletes the message and its ancestors (descendants stay deleted, spec §3.9); returns the rows that changed. */
export async function markChainUndeleted(tx: DbOrTx, messageId: string): Promise<ChangedMessage[]> {
  const changed = await tx.execute<ChangedMessage>(sql`
    with recursive chain as (
      select id, parent_id from messages where id = ${messageId}
      union all
      select p.id, p.parent_id from messages p join chain c on p.id = c.parent_id
    )
    update messages set deleted = false
    where id in (select id from chain) and deleted
    returning id, parent_id`);
  await recomputeChildrenCounts(tx, changed.map((row) => row.parent_id));
  return [...changed];
}

/** Sets `children_count` of the given messages to their number of live children. */
export async function recomputeChildrenCounts(tx: DbOrTx, parentIds: readonly (string | null)[]): Promise<void> {
  const ids = [...new Set(parentIds.filter((id): id is string => id !== null))];
  if (ids.length === 0) return;
  await tx.execute(sql`
    update messages p set children_count = (
      select count(*)::int from messages c where c.parent_id = p.id and not c.deleted
    )
    where p.id = any(${uuidArray(ids)})`);
}
