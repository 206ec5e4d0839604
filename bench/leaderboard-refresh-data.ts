import { sql } from "drizzle-orm";
import type { Database } from "../src/server/db/client";

/**
 * Synthetic contributions for the leaderboard benchmark, generated inside PostgreSQL with set-based SQL
 * (generate_series; deterministic ids: md5 of a key with the version and variant nibbles set, so they are valid
 * version-4 UUIDs that the app's own validation accepts), so 1M messages take seconds rather than a million round trips.
 *
 * Shape: `messages / 9` trees, each a prompt with 4 assistant replies and a prompter reply under each of them;
 * a third of the trees are scored (consensus ranks 0–3 on the assistant replies, 4 rankings each); every message
 * gets a review label task; dates spread over 60 days, denser towards today, so every time frame has work.
 * Sibling authors are distinct (users (r + (c+1)·7919) mod U), as the one-reply-per-parent constraint demands.
 */
export type BenchSize = { users: number; messages: number };

export type BenchCounts = Record<"users" | "messages" | "trees" | "labelTasks" | "rankings" | "textLabels", number>;

/** A date in the last 60 days, skewed towards now (squared uniform), stable per key. */
const recent = (key: string) => sql.raw(`now() - (power((abs(hashtext(${key})) % 100000) / 100000.0, 2) * interval '60 days')`);

export async function generateBenchData(db: Database, size: BenchSize): Promise<BenchCounts> {
  const users = size.users;
  const roots = Math.max(1, Math.floor(size.messages / 9));
  await db.execute(sql`
    insert into users (id, name, email, tos_acceptance_date, show_on_leaderboard, enabled, last_activity_date)
    select overlay(overlay(md5('u' || g) placing '4' from 13) placing '8' from 17)::uuid, 'Contributor ' || g, 'bench-' || g || '@example.test', now(), g % 50 <> 0, g % 200 <> 0, now()
    from generate_series(0, ${users - 1}::int) g`);
  // Prompts and their trees.
  await db.execute(sql`
    insert into messages (id, message_tree_id, user_id, role, frontend_message_id, text, lang, depth, review_result, review_count, created_date, emojis)
    select overlay(overlay(md5('r' || r) placing '4' from 13) placing '8' from 17)::uuid, overlay(overlay(md5('r' || r) placing '4' from 13) placing '8' from 17)::uuid, overlay(overlay(md5('u' || (r % ${users})) placing '4' from 13) placing '8' from 17)::uuid, 'prompter', 'r' || r, 'Prompt ' || r,
      (array['en','de','es','fr','pt-BR'])[1 + r % 5], 0, r % 10 <> 0, 3, ${recent("'r' || r")},
      case when r % 7 = 0 then jsonb_build_object('+1', r % 4, 'red_flag', (r % 3 = 0)::int) else '{}'::jsonb end
    from generate_series(0, ${roots - 1}::int) r`);
  await db.execute(sql`
    insert into message_tree_states (message_tree_id, goal_tree_size, max_depth, max_children_count, state, active, lang)
    select overlay(overlay(md5('r' || r) placing '4' from 13) placing '8' from 17)::uuid, 9, 3, 4,
      (case when r % 3 = 0 then 'ready_for_export' when r % 10 = 0 then 'aborted_low_grade' else 'growing' end)::tree_state,
      r % 3 <> 0 and r % 10 <> 0, (array['en','de','es','fr','pt-BR'])[1 + r % 5]
    from generate_series(0, ${roots - 1}::int) r`);
  // 4 assistant replies per prompt; consensus ranks on the scored (ready_for_export) trees.
  await db.execute(sql`
    insert into messages (id, parent_id, message_tree_id, user_id, role, frontend_message_id, text, lang, depth, review_result, rank, created_date, emojis)
    select overlay(overlay(md5('a' || r || '-' || c) placing '4' from 13) placing '8' from 17)::uuid, overlay(overlay(md5('r' || r) placing '4' from 13) placing '8' from 17)::uuid, overlay(overlay(md5('r' || r) placing '4' from 13) placing '8' from 17)::uuid, overlay(overlay(md5('u' || ((r + (c + 1) * 7919) % ${users})) placing '4' from 13) placing '8' from 17)::uuid,
      'assistant', 'a' || r || '-' || c, 'Answer ' || c, 'en', 1, (r + c) % 6 <> 0, case when r % 3 = 0 then c end,
      ${recent("'a' || r || '-' || c")}, case when (r + c) % 5 = 0 then jsonb_build_object('-1', 1, '+1', 2) else '{}'::jsonb end
    from generate_series(0, ${roots - 1}::int) r, generate_series(0, 3) c`);
  // One prompter reply under each assistant reply.
  await db.execute(sql`
    insert into messages (id, parent_id, message_tree_id, user_id, role, frontend_message_id, text, lang, depth, review_result, created_date)
    select overlay(overlay(md5('p' || r || '-' || c) placing '4' from 13) placing '8' from 17)::uuid, overlay(overlay(md5('a' || r || '-' || c) placing '4' from 13) placing '8' from 17)::uuid, overlay(overlay(md5('r' || r) placing '4' from 13) placing '8' from 17)::uuid, overlay(overlay(md5('u' || ((r + (c + 5) * 7919) % ${users})) placing '4' from 13) placing '8' from 17)::uuid,
      'prompter', 'p' || r || '-' || c, 'Follow-up ' || c, 'en', 2, (r + c) % 4 <> 0, ${recent("'p' || r || '-' || c")}
    from generate_series(0, ${roots - 1}::int) r, generate_series(0, 3) c`);
  // A done review task per message (simple for a fifth of them), with the review labels it produced.
  await db.execute(sql`
    insert into tasks (id, user_id, type, payload, done, created_date, parent_message_id)
    select overlay(overlay(md5('t' || m.id) placing '4' from 13) placing '8' from 17)::uuid, overlay(overlay(md5('u' || (abs(hashtext(m.id::text)) % ${users})) placing '4' from 13) placing '8' from 17)::uuid,
      (case when m.parent_id is null then 'label_initial_prompt' when m.role = 'assistant' then 'label_assistant_reply' else 'label_prompter_reply' end)::task_type,
      jsonb_build_object('type', 'label', 'mode', case when abs(hashtext(m.id::text)) % 5 = 0 then 'simple' else 'full' end),
      true, m.created_date, m.id
    from messages m`);
  await db.execute(sql`
    insert into text_labels (user_id, message_id, labels, task_id, created_date)
    select t.user_id, t.parent_message_id,
      jsonb_build_object('spam', (abs(hashtext(t.id::text)) % 20 = 0)::int, 'lang_mismatch', 0, 'quality', (abs(hashtext(t.id::text)) % 5) / 4.0,
        'toxicity', 0.1, 'humor', 0.5, 'pii', (abs(hashtext(t.id::text)) % 97 = 0)::int),
      t.id, t.created_date
    from tasks t where t.parent_message_id is not null`);
  // 4 rankings per scored tree, by 4 more distinct users; most agree with the consensus.
  await db.execute(sql`
    insert into tasks (id, user_id, type, payload, done, created_date, parent_message_id)
    select overlay(overlay(md5('k' || r || '-' || k) placing '4' from 13) placing '8' from 17)::uuid, overlay(overlay(md5('u' || ((r + (k + 9) * 7919) % ${users})) placing '4' from 13) placing '8' from 17)::uuid, 'rank_assistant_replies',
      '{"type":"rank_assistant_replies"}'::jsonb, true, ${recent("'k' || r || '-' || k")}, overlay(overlay(md5('r' || r) placing '4' from 13) placing '8' from 17)::uuid
    from generate_series(0, ${roots - 1}::int, 3) r, generate_series(0, 3) k`);
  await db.execute(sql`
    insert into message_reactions (task_id, user_id, message_id, created_date, payload)
    select t.id, t.user_id, t.parent_message_id, t.created_date,
      jsonb_build_object('type', 'message_ranking', 'rankingParentId', t.parent_message_id, 'messageTreeId', t.parent_message_id,
        'notRankable', false, 'rankedMessageIds', jsonb_build_array(
          case when abs(hashtext(t.id::text)) % 4 = 0 then overlay(overlay(md5('a' || r.n || '-1') placing '4' from 13) placing '8' from 17) else overlay(overlay(md5('a' || r.n || '-0') placing '4' from 13) placing '8' from 17) end::uuid,
          case when abs(hashtext(t.id::text)) % 4 = 0 then overlay(overlay(md5('a' || r.n || '-0') placing '4' from 13) placing '8' from 17) else overlay(overlay(md5('a' || r.n || '-1') placing '4' from 13) placing '8' from 17) end::uuid,
          overlay(overlay(md5('a' || r.n || '-2') placing '4' from 13) placing '8' from 17)::uuid, overlay(overlay(md5('a' || r.n || '-3') placing '4' from 13) placing '8' from 17)::uuid))
    from tasks t join (select overlay(overlay(md5('r' || n) placing '4' from 13) placing '8' from 17)::uuid as id, n from generate_series(0, ${roots - 1}::int, 3) n) r on r.id = t.parent_message_id
    where t.type = 'rank_assistant_replies'`);
  await db.execute(sql`analyze`);
  const [counts] = await db.execute<BenchCounts>(sql`
    select (select count(*) from users)::int as users, (select count(*) from messages)::int as messages,
      (select count(*) from message_tree_states)::int as trees,
      (select count(*) from tasks where type::text like 'label_%')::int as "labelTasks",
      (select count(*) from message_reactions)::int as rankings, (select count(*) from text_labels)::int as "textLabels"`);
  return counts!;
}
