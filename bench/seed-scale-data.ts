import { sql, type SQL } from "drizzle-orm";
import type { Database } from "../src/server/db/client";

/**
 * A campaign-sized database, generated inside PostgreSQL with set-based SQL so a million messages take minutes,
 * not a million round trips. Unlike the leaderboard generator, every tree state is present and every task type has
 * candidates in every language, so the load benchmark exercises the whole hand-out.
 *
 * Ids are valid version-4 UUIDs derived from a stable key (md5 with the version and variant nibbles set), so the
 * app's own validation accepts them when a client sends them back.
 *
 * Per language (10 languages): `activePerLang` growing trees, a fifth as many in ranking (and as many again in the
 * ranking backlog), 20 prompts in review, 20 waiting for the prompt lottery, two halted and two aborted trees. The
 * rest of the message budget is finished trees (`ready_for_export`, 9 messages each), with English the largest
 * language. Counters (children, reviews, rankings) match the rows that justify them.
 */
export type ScaleSize = { users: number; messages: number; activePerLang: number };

export const SCALE_LANGS = ["en", "de", "es", "fr", "pt-BR", "ru", "zh", "ja", "it", "ko"] as const;
/** Finished trees are spread like a real campaign: English first. Weights sum to 100. */
const EXPORT_LANG_WEIGHTS = [40, 12, 12, 8, 6, 6, 6, 4, 3, 3];

/** `key` (an SQL text expression) → a valid v4 UUID. */
export const uuidOf = (key: string): SQL =>
  sql.raw(`(overlay(overlay(md5(${key}) placing '4' from 13) placing '8' from 17))::uuid`);

const langByIndex = (index: string) => sql.raw(`(array[${SCALE_LANGS.map((l) => `'${l}'`).join(",")}])[1 + (${index}) % ${SCALE_LANGS.length}]`);
const weightedLangs = EXPORT_LANG_WEIGHTS.flatMap((weight, i) => Array<string>(weight).fill(SCALE_LANGS[i]!));
const exportLang = (index: string) => sql.raw(`(array[${weightedLangs.map((l) => `'${l}'`).join(",")}])[1 + ((${index}) * 37) % 100]`);
/** A date in the last 60 days, skewed towards now, stable per key. */
const recent = (key: string) => sql.raw(`now() - (power((abs(hashtext(${key})::bigint) % 100000) / 100000.0, 2) * interval '60 days')`);

/**
 * Message bodies as long as real ones. The oasst fixture's prompter messages have a median of 76 characters (mean
 * 161), its assistant replies 558 (mean 811); generated one-liners (~47 characters) made every cost that grows with a
 * thread look cheaper than it is (answers, their compression, task payloads, the search index). Each row's short text
 * is followed by a slice of a fixed corpus of ordinary words, its length drawn per row: prompter u³ × 600, assistant
 * u² × 2,000 characters (u uniform per row), which gives medians of ~75 and ~500 and means of ~150 and ~670 extra.
 */
const VOCABULARY = (
  "the a an and or but if then because so while when where which that this these those it they we you he she " +
  "model answer question data example result reason method problem solution language people time work system user " +
  "value number first second next last other different important simple better possible useful clear short long " +
  "explain describe compare consider suggest write read learn build test check change improve understand provide " +
  "is are was were be been has have had can could should would will may might must do does did not also only just " +
  "more most less many much some any each every all both few several often usually sometimes always never here there " +
  "code function list table step case rule idea point part way form type kind level rate cost risk benefit trade-off"
).split(" ");

/** A fixed text of ordinary words in sentences (a seeded generator: every seed gets the same corpus). */
function makeCorpus(length: number): string {
  let state = 0x9e3779b9;
  const next = () => {
    state = (state + 0x6d2b79f5) | 0;
    let x = Math.imul(state ^ (state >>> 15), 1 | state);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
  const sentences: string[] = [];
  let size = 0;
  while (size < length) {
    const words = Array.from({ length: 6 + Math.floor(next() * 13) }, () => VOCABULARY[Math.floor(next() * VOCABULARY.length)]!);
    const sentence = `${words[0]!.charAt(0).toUpperCase()}${words.join(" ").slice(1)}.`;
    sentences.push(sentence);
    size += sentence.length + 1;
  }
  return sentences.join(" ").slice(0, length);
}

const CORPUS_LENGTH = 48_000;
const MAX_EXTRA = { prompter: 600, assistant: 2_000 } as const;
const CORPUS = makeCorpus(CORPUS_LENGTH);

/** `base` (an SQL text expression) followed by a slice of the corpus of a realistic length for `role`, stable per `key`. */
const body = (base: SQL, key: string, role: keyof typeof MAX_EXTRA): SQL => {
  const u = `((abs(hashtext((${key}) || ':len'))::bigint % 100000) / 100000.0)`;
  const extra = sql.raw(`floor(${role === "prompter" ? `${u} * ${u} * ${u}` : `${u} * ${u}`} * ${MAX_EXTRA[role]})::int`);
  const at = sql.raw(`(1 + abs(hashtext((${key}) || ':at'))::bigint % ${CORPUS_LENGTH - MAX_EXTRA.assistant})::int`);
  return sql`(${base}) || ' ' || substr(${CORPUS}::text, ${at}, ${extra})`;
};

export type ScaleCounts = Record<"users" | "messages" | "trees" | "growing" | "ranking" | "review" | "labels", number>;

type LiveTree = { kind: string; perLang: number; state: string; active: boolean };

export async function generateScaleData(db: Database, size: ScaleSize): Promise<ScaleCounts> {
  const U = size.users;
  const author = (offsetKey: string) => uuidOf(`'u' || ((${offsetKey}) % ${U})`);
  await db.execute(sql`
    insert into users (id, name, email, tos_acceptance_date, show_on_leaderboard, enabled, last_activity_date)
    select ${uuidOf("'u' || g")}, 'Contributor ' || g, 'scale-' || g || '@example.test', now(), g % 50 <> 0, true, now()
    from generate_series(0, ${U - 1}::int) g`);

  // Live trees: uniform over languages. Tree i of kind k has root key k || i.
  const live: LiveTree[] = [
    { kind: "g", perLang: size.activePerLang, state: "growing", active: true },
    { kind: "k", perLang: Math.max(20, Math.floor(size.activePerLang / 5)), state: "ranking", active: true },
    { kind: "b", perLang: Math.max(20, Math.floor(size.activePerLang / 5)), state: "backlog_ranking", active: false },
    { kind: "v", perLang: 20, state: "initial_prompt_review", active: true },
    { kind: "w", perLang: 20, state: "prompt_lottery_waiting", active: false },
    { kind: "h", perLang: 2, state: "halted_by_moderator", active: false },
    { kind: "x", perLang: 2, state: "aborted_low_grade", active: false },
  ];
  for (const tree of live) {
    const count = tree.perLang * SCALE_LANGS.length;
    const reviewed = tree.state !== "initial_prompt_review" && tree.state !== "aborted_low_grade";
    await db.execute(sql`
      insert into messages (id, message_tree_id, user_id, role, frontend_message_id, text, lang, depth, review_count, review_result, created_date)
      select ${uuidOf(`'${tree.kind}' || i`)}, ${uuidOf(`'${tree.kind}' || i`)}, ${author(`i * 13 + ${tree.kind.charCodeAt(0)}`)}, 'prompter',
        'scale-${sql.raw(tree.kind)}' || i,
        ${body(sql`'Scale prompt ${sql.raw(tree.kind)}' || i || ': how would you explain topic ' || i || ' to a curious student?'`, `'${tree.kind}' || i`, "prompter")},
        ${langByIndex("i")}, 0,
        ${sql.raw(reviewed ? "3" : tree.state === "aborted_low_grade" ? "3" : "i % 3")},
        ${sql.raw(reviewed ? "true" : tree.state === "aborted_low_grade" ? "false" : "null")}, ${recent(`'${tree.kind}' || i`)}
      from generate_series(0, ${count - 1}::int) i`);
    await db.execute(sql`
      insert into message_tree_states (message_tree_id, goal_tree_size, max_depth, max_children_count, state, active, lang)
      select ${uuidOf(`'${tree.kind}' || i`)}, 12, 5, 3, ${tree.state}::tree_state, ${tree.active}, ${langByIndex("i")}
      from generate_series(0, ${count - 1}::int) i`);
  }
  // Growing trees: two assistant replies and room for a third. Even trees: one reply accepted (it takes a prompter
  // reply), one awaiting review. Odd trees (alternating per round of languages): both accepted, the first with a prompter reply awaiting review.
  const growing = size.activePerLang * SCALE_LANGS.length;
  // Alternate per round of languages, so every language has both variants.
  const oddVariant = sql.raw(`(i / ${SCALE_LANGS.length}) % 2 = 1`);
  await db.execute(sql`
    insert into messages (id, parent_id, message_tree_id, user_id, role, frontend_message_id, text, lang, depth, review_count, review_result, children_count, created_date)
    select ${uuidOf("'g' || i || '-a' || c")}, ${uuidOf("'g' || i")}, ${uuidOf("'g' || i")}, ${author(`i + (c + 1) * 7919`)}, 'assistant',
      'scale-g' || i || '-a' || c, ${body(sql`'Assistant answer ' || c || ' for growing tree ' || i`, "'g' || i || '-a' || c", "assistant")}, ${langByIndex("i")}, 1,
      case when c = 0 or ${oddVariant} then 3 else 1 end, case when c = 0 or ${oddVariant} then true end,
      case when c = 0 and ${oddVariant} then 1 else 0 end, ${recent("'g' || i || c")}
    from generate_series(0, ${growing - 1}::int) i, generate_series(0, 1) c`);
  await db.execute(sql`
    insert into messages (id, parent_id, message_tree_id, user_id, role, frontend_message_id, text, lang, depth, review_count, created_date)
    select ${uuidOf("'g' || i || '-p'")}, ${uuidOf("'g' || i || '-a0'")}, ${uuidOf("'g' || i")}, ${author(`i + 5 * 7919`)}, 'prompter',
      'scale-g' || i || '-p', ${body(sql`'Follow-up question for growing tree ' || i`, "'g' || i || '-p'", "prompter")}, ${langByIndex("i")}, 2, 0, ${recent("'g' || i || 'p'")}
    from generate_series(0, ${growing - 1}::int) i where ${oddVariant}`);
  await db.execute(sql`update messages set children_count = 2 where id in (select ${uuidOf("'g' || i")} from generate_series(0, ${growing - 1}::int) i)`);
  // Ranking and backlog trees: three accepted assistant replies, and two accepted prompter replies under the first.
  for (const kind of ["k", "b"]) {
    const count = live.find((t) => t.kind === kind)!.perLang * SCALE_LANGS.length;
    await db.execute(sql`
      insert into messages (id, parent_id, message_tree_id, user_id, role, frontend_message_id, text, lang, depth, review_count, review_result, children_count, created_date)
      select ${uuidOf(`'${kind}' || i || '-a' || c`)}, ${uuidOf(`'${kind}' || i`)}, ${uuidOf(`'${kind}' || i`)}, ${author(`i + (c + 1) * 7919`)}, 'assistant',
        'scale-${sql.raw(kind)}' || i || '-a' || c, ${body(sql`'Ranked answer ' || c || ' in tree ' || i`, `'${kind}' || i || '-a' || c`, "assistant")},
        ${langByIndex("i")}, 1, 3, true,
        case when c = 0 then 2 else 0 end, ${recent(`'${kind}' || i || c`)}
      from generate_series(0, ${count - 1}::int) i, generate_series(0, 2) c`);
    await db.execute(sql`
      insert into messages (id, parent_id, message_tree_id, user_id, role, frontend_message_id, text, lang, depth, review_count, review_result, created_date)
      select ${uuidOf(`'${kind}' || i || '-p' || c`)}, ${uuidOf(`'${kind}' || i || '-a0'`)}, ${uuidOf(`'${kind}' || i`)}, ${author(`i + (c + 5) * 7919`)}, 'prompter',
        'scale-${sql.raw(kind)}' || i || '-p' || c, ${body(sql`'Ranked follow-up ' || c || ' in tree ' || i`, `'${kind}' || i || '-p' || c`, "prompter")},
        ${langByIndex("i")}, 2, 3, true, ${recent(`'${kind}' || i || 'p' || c`)}
      from generate_series(0, ${count - 1}::int) i, generate_series(0, 1) c`);
    await db.execute(sql`update messages set children_count = 3 where id in (select ${uuidOf(`'${kind}' || i`)} from generate_series(0, ${count - 1}::int) i)`);
  }

  // Finished trees fill the rest of the budget: a prompt, four ranked assistant replies, a follow-up under each.
  const [{ used }] = (await db.execute<{ used: number }>(sql`select count(*)::int as used from messages`)) as unknown as [{ used: number }];
  const finished = Math.max(0, Math.floor((size.messages - used) / 9));
  if (finished > 0) {
    await db.execute(sql`
      insert into messages (id, message_tree_id, user_id, role, frontend_message_id, text, lang, depth, review_count, review_result, children_count, created_date)
      select ${uuidOf("'e' || r")}, ${uuidOf("'e' || r")}, ${author("r * 13")}, 'prompter', 'scale-e' || r,
        ${body(sql`'Finished prompt ' || r || ': what are the trade-offs of approach ' || (r % 97) || '?'`, "'e' || r", "prompter")},
        ${exportLang("r")}, 0, 1, true, 4, ${recent("'e' || r")}
      from generate_series(0, ${finished - 1}::int) r`);
    await db.execute(sql`
      insert into message_tree_states (message_tree_id, goal_tree_size, max_depth, max_children_count, state, active, lang)
      select ${uuidOf("'e' || r")}, 9, 3, 4, 'ready_for_export', false, ${exportLang("r")}
      from generate_series(0, ${finished - 1}::int) r`);
    await db.execute(sql`
      insert into messages (id, parent_id, message_tree_id, user_id, role, frontend_message_id, text, lang, depth, review_count, review_result, rank, children_count, created_date)
      select ${uuidOf("'e' || r || '-a' || c")}, ${uuidOf("'e' || r")}, ${uuidOf("'e' || r")}, ${author(`r + (c + 1) * 7919`)}, 'assistant',
        'scale-e' || r || '-a' || c, ${body(sql`'Answer ' || c || ' to finished prompt ' || r`, "'e' || r || '-a' || c", "assistant")},
        ${exportLang("r")}, 1, 1, true, c, 1, ${recent("'e' || r || c")}
      from generate_series(0, ${finished - 1}::int) r, generate_series(0, 3) c`);
    await db.execute(sql`
      insert into messages (id, parent_id, message_tree_id, user_id, role, frontend_message_id, text, lang, depth, review_count, review_result, created_date)
      select ${uuidOf("'e' || r || '-p' || c")}, ${uuidOf("'e' || r || '-a' || c")}, ${uuidOf("'e' || r")}, ${author(`r + (c + 5) * 7919`)}, 'prompter',
        'scale-e' || r || '-p' || c, ${body(sql`'Thanks, and what about case ' || c || '?'`, "'e' || r || '-p' || c", "prompter")},
        ${exportLang("r")}, 2, 1, true, ${recent("'e' || r || 'p' || c")}
      from generate_series(0, ${finished - 1}::int) r, generate_series(0, 3) c`);
  }

  // One done review task and its review label per counted review: review_count matches the labels.
  await db.execute(sql`
    insert into tasks (id, user_id, type, payload, done, ack, created_date, parent_message_id, message_tree_id)
    select ${uuidOf("'t' || m.id || '-' || n")}, ${author("abs(hashtext(m.id::text)::bigint) + n * 7919 + 3")},
      (case when m.parent_id is null then 'label_initial_prompt' when m.role = 'assistant' then 'label_assistant_reply' else 'label_prompter_reply' end)::task_type,
      jsonb_build_object('type', case when m.parent_id is null then 'label_initial_prompt' when m.role = 'assistant' then 'label_assistant_reply' else 'label_prompter_reply' end, 'mode', 'full'),
      true, true, m.created_date, m.id, m.message_tree_id
    from messages m, generate_series(1, m.review_count) n`);
  await db.execute(sql`
    insert into text_labels (user_id, message_id, labels, task_id, created_date)
    select t.user_id, t.parent_message_id,
      jsonb_build_object('spam', 0, 'lang_mismatch', 0, 'quality', (abs(hashtext(t.id::text)::bigint) % 5) / 4.0, 'pii', 0, 'not_appropriate', 0,
        'hate_speech', 0, 'sexual_content', 0, 'moral_judgement', 0, 'political_content', 0),
      t.id, t.created_date
    from tasks t where t.type::text like 'label_%'`);
  await db.execute(sql`analyze`);
  const [counts] = (await db.execute<ScaleCounts>(sql`
    select (select count(*) from users)::int as users, (select count(*) from messages)::int as messages,
      (select count(*) from message_tree_states)::int as trees,
      (select count(*) from message_tree_states where state = 'growing')::int as growing,
      (select count(*) from message_tree_states where state = 'ranking')::int as ranking,
      (select count(*) from message_tree_states where state = 'initial_prompt_review')::int as review,
      (select count(*) from text_labels)::int as labels`)) as unknown as ScaleCounts[];
  return counts!;
}
