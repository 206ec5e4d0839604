-- The task hand-out in one statement (issue 15): the hand-out's rules as SQL functions, used both by the hand-out
-- and by availability (src/server/domain/tasks/candidates.ts), and the whole hand-out of a request (the user's
-- advisory lock, the pending limit, sampling the work rows, checking the rules, locking the target with SKIP LOCKED,
-- re-checking it under its lock, building the payload and inserting the task) as one PL/pgSQL call, so a request
-- costs one round trip and no BEGIN/COMMIT. Settings come in as jsonb (camelCase keys of TreeManagerSettings).
-- Lock order as everywhere (README "Locking"): tree state row, then message rows, then task rows.

-- How many more reviews a message needs before it is decided, reservations not counted: THE rule, in one place.
CREATE OR REPLACE FUNCTION oa_reviews_still_needed(m messages, p_s jsonb) RETURNS integer LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE WHEN m.parent_id IS NULL THEN (p_s->>'numReviewsInitialPrompt')::int ELSE (p_s->>'numReviewsReply')::int END
    - m.review_count
$$;
--> statement-breakpoint
-- Open tasks of types p_types on a target held by users other than p_user (a task holds a slot until it is done,
-- skipped, expired or older than recentTasksSpanSec). Set-returning (one row, n), so that the planner inlines it
-- where it is used (LATERAL); the same holds for the other helpers below that read tables.
CREATE OR REPLACE FUNCTION oa_target_reserved(p_target uuid, p_types task_type[], p_user uuid, p_s jsonb)
RETURNS TABLE (n integer) LANGUAGE sql STABLE AS $$
  SELECT count(*)::int FROM tasks t
  WHERE t.parent_message_id = p_target AND t.type = ANY(p_types) AND NOT t.done AND NOT t.skipped
    AND t.created_date > now() - make_interval(secs => (p_s->>'recentTasksSpanSec')::int)
    AND (t.expiry_date IS NULL OR t.expiry_date > now()) AND t.user_id IS DISTINCT FROM p_user
$$;
--> statement-breakpoint
-- p_user's own open tasks of types p_types on a target (one excludes the target for them).
CREATE OR REPLACE FUNCTION oa_own_open_tasks(p_target uuid, p_types task_type[], p_user uuid)
RETURNS TABLE (id uuid) LANGUAGE sql STABLE AS $$
  SELECT t.id FROM tasks t WHERE t.parent_message_id = p_target AND t.type = ANY(p_types) AND t.user_id = p_user
    AND NOT t.done AND NOT t.skipped AND (t.expiry_date IS NULL OR t.expiry_date > now())
$$;
--> statement-breakpoint
-- Messages among p_ids that still need reviews and that p_user may review: initial prompts of active trees in
-- review (p_roots) or replies of active growing trees.
CREATE OR REPLACE FUNCTION oa_review_targets(p_ids uuid[], p_user uuid, p_lang text, p_roots boolean, p_s jsonb)
RETURNS TABLE (id uuid, role message_role, message_tree_id uuid) LANGUAGE sql STABLE AS $$
  SELECT m.id, m.role, m.message_tree_id FROM messages m
  JOIN message_tree_states s ON s.message_tree_id = m.message_tree_id
  WHERE m.id = ANY(p_ids) AND s.active
    AND s.state = (CASE WHEN p_roots THEN 'initial_prompt_review' ELSE 'growing' END)::tree_state
    AND m.lang = p_lang AND (m.parent_id IS NULL) = p_roots
    AND NOT m.deleted AND m.review_result IS NOT TRUE
    AND oa_reviews_still_needed(m, p_s)
      - (SELECT r.n FROM oa_target_reserved(m.id, '{label_initial_prompt,label_prompter_reply,label_assistant_reply}', p_user, p_s) r) > 0
    AND m.user_id IS DISTINCT FROM p_user
    AND NOT EXISTS (SELECT 1 FROM message_emojis e WHERE e.message_id = m.id AND e.user_id = p_user AND e.emoji = '_skip_labeling')
    AND NOT EXISTS (SELECT 1 FROM text_labels l WHERE l.message_id = m.id AND l.user_id = p_user AND l.task_id IS NOT NULL)
    AND NOT EXISTS (SELECT 1 FROM oa_own_open_tasks(m.id, '{label_initial_prompt,label_prompter_reply,label_assistant_reply}', p_user))
$$;
--> statement-breakpoint
-- A message counts toward its parent's and its tree's size while live and accepted or still under review.
CREATE OR REPLACE FUNCTION oa_counts_toward_size(m messages, p_s jsonb) RETURNS boolean LANGUAGE sql IMMUTABLE AS $$
  SELECT NOT m.deleted AND (m.review_result IS TRUE OR oa_reviews_still_needed(m, p_s) > 0)
$$;
--> statement-breakpoint
-- Accepted messages among p_ids in active growing trees that can take one more reply from p_user: below the tree's
-- depth limit, with room among their children (prompter messages take up to max_children_count assistant replies,
-- assistant messages up to numPrompterReplies prompter replies) and room left in the tree's goal, reservations
-- included.
CREATE OR REPLACE FUNCTION oa_reply_targets(p_ids uuid[], p_user uuid, p_lang text, p_s jsonb)
RETURNS TABLE (id uuid, role message_role, message_tree_id uuid, children integer) LANGUAGE sql STABLE AS $$
  SELECT p.id, p.role, p.message_tree_id, p.children FROM (
    SELECT m.id, m.role, m.message_tree_id, s.goal_tree_size, s.max_children_count,
      (SELECT count(*) FROM messages c WHERE c.parent_id = m.id AND oa_counts_toward_size(c, p_s))::int AS children,
      (SELECT r.n FROM oa_target_reserved(m.id, '{prompter_reply,assistant_reply}', p_user, p_s) r) AS reserved,
      (SELECT count(*) FROM messages c WHERE c.message_tree_id = m.message_tree_id AND oa_counts_toward_size(c, p_s))::int AS tree_size,
      (SELECT count(*) FROM tasks t WHERE t.message_tree_id = m.message_tree_id AND t.type IN ('prompter_reply', 'assistant_reply')
        AND NOT t.done AND NOT t.skipped AND t.created_date > now() - make_interval(secs => (p_s->>'recentTasksSpanSec')::int)
        AND (t.expiry_date IS NULL OR t.expiry_date > now()))::int AS tree_reserved
    FROM messages m
    JOIN message_tree_states s ON s.message_tree_id = m.message_tree_id
    WHERE m.id = ANY(p_ids) AND s.active AND s.state = 'growing' AND s.lang = p_lang
      AND NOT m.deleted AND m.review_result IS TRUE AND m.depth < s.max_depth
      AND NOT EXISTS (SELECT 1 FROM message_emojis e WHERE e.message_id = m.id AND e.user_id = p_user AND e.emoji = '_skip_reply')
      AND NOT EXISTS (SELECT 1 FROM messages c WHERE c.parent_id = m.id AND c.user_id = p_user AND NOT c.deleted)
      AND NOT EXISTS (SELECT 1 FROM oa_own_open_tasks(m.id, '{prompter_reply,assistant_reply}', p_user))
  ) p
  WHERE p.children + p.reserved < CASE WHEN p.role = 'prompter' THEN p.max_children_count
                                       ELSE least(p.max_children_count, (p_s->>'numPrompterReplies')::int) END
    AND p.tree_size + p.tree_reserved < p.goal_tree_size
$$;
--> statement-breakpoint
-- Parents among p_ids in active ranking trees whose accepted replies still need rankings, that p_user may rank.
CREATE OR REPLACE FUNCTION oa_rank_targets(p_ids uuid[], p_user uuid, p_lang text, p_s jsonb)
RETURNS TABLE (parent_id uuid, parent_role message_role, message_tree_id uuid) LANGUAGE sql STABLE AS $$
  SELECT c.parent_id, p.role, p.message_tree_id FROM messages c
  JOIN messages p ON p.id = c.parent_id
  JOIN message_tree_states s ON s.message_tree_id = c.message_tree_id
  WHERE p.id = ANY(p_ids) AND s.active AND s.state = 'ranking' AND p.lang = p_lang
    AND NOT c.deleted AND c.review_result IS TRUE
    AND ((p_s->>'rankPrompterReplies')::boolean OR p.role = 'prompter')
    AND NOT EXISTS (SELECT 1 FROM message_emojis e WHERE e.message_id = p.id AND e.user_id = p_user AND e.emoji = '_skip_ranking')
    AND NOT EXISTS (SELECT 1 FROM message_reactions r WHERE r.message_id = p.id AND r.user_id = p_user)
    AND NOT EXISTS (SELECT 1 FROM oa_own_open_tasks(p.id, '{rank_assistant_replies,rank_prompter_replies}', p_user))
  GROUP BY c.parent_id, p.role, p.message_tree_id, p.id
  HAVING count(*) > 1
    AND bool_and(c.user_id IS DISTINCT FROM p_user)
    AND (SELECT count(*) FROM message_reactions r JOIN tasks t ON t.id = r.task_id WHERE t.done AND r.message_id = p.id)
      + (SELECT r.n FROM oa_target_reserved(p.id, '{rank_assistant_replies,rank_prompter_replies}', p_user, p_s) r)
      < (p_s->>'numRequiredRankings')::int
$$;
--> statement-breakpoint
-- The targets among p_ids that p_user may be given as a task of kind p_kind ('reply', 'labelPrompt',
-- 'labelReply', 'rank'), with the task type each would be and, for reply tasks, the parent's children.
CREATE OR REPLACE FUNCTION oa_eligible_targets(p_kind text, p_ids uuid[], p_user uuid, p_lang text, p_s jsonb)
RETURNS TABLE (id uuid, tree_id uuid, type task_type, children integer) LANGUAGE plpgsql STABLE AS $$
BEGIN
  -- One statement per kind (each planned once per connection), not one query over every kind.
  IF p_kind = 'reply' THEN
    RETURN QUERY SELECT r.id, r.message_tree_id,
        (CASE r.role WHEN 'prompter' THEN 'assistant_reply' ELSE 'prompter_reply' END)::task_type, r.children
      FROM oa_reply_targets(p_ids, p_user, p_lang, p_s) r;
  ELSIF p_kind = 'labelPrompt' THEN
    RETURN QUERY SELECT r.id, r.message_tree_id, 'label_initial_prompt'::task_type, NULL::integer
      FROM oa_review_targets(p_ids, p_user, p_lang, true, p_s) r;
  ELSIF p_kind = 'labelReply' THEN
    RETURN QUERY SELECT r.id, r.message_tree_id,
        (CASE r.role WHEN 'assistant' THEN 'label_assistant_reply' ELSE 'label_prompter_reply' END)::task_type, NULL::integer
      FROM oa_review_targets(p_ids, p_user, p_lang, false, p_s) r;
  ELSIF p_kind = 'rank' THEN
    RETURN QUERY SELECT r.parent_id, r.message_tree_id,
        (CASE r.parent_role WHEN 'prompter' THEN 'rank_assistant_replies' ELSE 'rank_prompter_replies' END)::task_type, NULL::integer
      FROM oa_rank_targets(p_ids, p_user, p_lang, p_s) r;
  END IF;
END
$$;
--> statement-breakpoint
-- Messages p_ids as the contributor p_user sees them in a task (ZConversationMessage), with their depth.
CREATE OR REPLACE FUNCTION oa_message_views(p_ids uuid[], p_user uuid, p_reveal_synthetic boolean)
RETURNS TABLE (id uuid, depth integer, view jsonb) LANGUAGE sql STABLE AS $$
  SELECT m.id, m.depth, jsonb_build_object('id', m.id, 'text', m.text, 'lang', m.lang, 'role', m.role,
    'synthetic', CASE WHEN p_reveal_synthetic THEN m.synthetic END, 'emojis', m.emojis,
    'userEmojis', coalesce((SELECT jsonb_agg(e.emoji ORDER BY e.emoji) FROM message_emojis e
      WHERE e.message_id = m.id AND e.user_id = p_user AND left(e.emoji, 1) <> '_'), '[]'::jsonb),
    'userIsAuthor', coalesce(m.user_id = p_user, false))
  FROM messages m WHERE m.id = ANY(p_ids)
$$;
--> statement-breakpoint
-- The ids of the thread from the root down to p_message (inclusive).
CREATE OR REPLACE FUNCTION oa_thread_ids(p_message uuid) RETURNS TABLE (id uuid) LANGUAGE sql STABLE AS $$
  WITH RECURSIVE chain AS (
    SELECT m.id, m.parent_id FROM messages m WHERE m.id = p_message
    UNION ALL
    SELECT p.id, p.parent_id FROM messages p JOIN chain c ON p.id = c.parent_id
  )
  SELECT chain.id FROM chain
$$;
--> statement-breakpoint
-- How many initial-prompt tasks a language can take now (countMissingPrompts): enough to fill the missing growing
-- trees and the review queue, capped by the room left in the lottery. p_c: maxPromptLotteryWaiting,
-- maxInitialPromptReview, maxActiveTrees, promptsDisabled.
CREATE OR REPLACE FUNCTION oa_missing_prompts(p_lang text, p_c jsonb) RETURNS integer LANGUAGE plpgsql STABLE AS $$
BEGIN
  RETURN CASE WHEN (p_c->>'promptsDisabled')::boolean THEN 0 ELSE least(
    greatest(0, (p_c->>'maxActiveTrees')::int - (SELECT count(*)::int FROM (SELECT 1 FROM message_tree_states
      WHERE state = 'growing' AND lang = p_lang AND active LIMIT (p_c->>'maxActiveTrees')::int + 1) g))
    + greatest(0, (p_c->>'maxInitialPromptReview')::int - (SELECT count(*)::int FROM (SELECT 1 FROM message_tree_states
      WHERE state = 'initial_prompt_review' AND lang = p_lang AND active LIMIT (p_c->>'maxInitialPromptReview')::int + 1) r)),
    greatest(0, (p_c->>'maxPromptLotteryWaiting')::int - (SELECT count(*)::int FROM (SELECT 1 FROM message_tree_states
      WHERE state = 'prompt_lottery_waiting' AND lang = p_lang LIMIT (p_c->>'maxPromptLotteryWaiting')::int + 1) w))) END;
END
$$;
--> statement-breakpoint
-- The payload of a task of p_type on p_target (ZTaskPayload). p_plan->'labels'->type: the label task's
-- validLabels, mandatoryLabels, mode and disposition (chosen by the caller); p_plan->>'seed' orders a rank task's
-- replies (a shuffle, so the order of display says nothing about earlier rankings).
CREATE OR REPLACE FUNCTION oa_task_payload(p_type task_type, p_target uuid, p_tree uuid, p_user uuid, p_lang text, p_plan jsonb)
RETURNS jsonb LANGUAGE plpgsql STABLE AS $$
DECLARE
  v_conversation jsonb;
  v_replies jsonb;
  v_reveal boolean;
BEGIN
  IF p_type = 'initial_prompt' THEN
    RETURN jsonb_build_object('type', p_type, 'lang', p_lang, 'hint', NULL);
  END IF;
  SELECT coalesce(jsonb_agg(v.view ORDER BY v.depth), '[]'::jsonb) INTO v_conversation
    FROM oa_message_views(ARRAY(SELECT t.id FROM oa_thread_ids(p_target) t), p_user, true) v;
  IF p_type IN ('prompter_reply', 'assistant_reply') THEN
    RETURN jsonb_build_object('type', p_type, 'lang', p_lang, 'conversation', v_conversation);
  ELSIF p_type IN ('label_initial_prompt', 'label_prompter_reply', 'label_assistant_reply') THEN
    RETURN (p_plan->'labels'->(p_type::text)) || jsonb_build_object('type', p_type, 'lang', p_lang, 'messageId', p_target,
      'conversation', v_conversation);
  END IF;
  -- Rank tasks: synthetic replies are only revealed when all of them are (OA: otherwise `synthetic` is nulled).
  SELECT count(*) > 0 AND bool_and(c.synthetic) INTO v_reveal FROM messages c
    WHERE c.parent_id = p_target AND NOT c.deleted AND c.review_result IS TRUE;
  SELECT coalesce(jsonb_agg(v.view ORDER BY md5(v.id::text || (p_plan->>'seed'))), '[]'::jsonb) INTO v_replies
    FROM oa_message_views(ARRAY(SELECT c.id FROM messages c WHERE c.parent_id = p_target AND NOT c.deleted AND c.review_result IS TRUE),
      p_user, v_reveal) v;
  RETURN jsonb_build_object('type', p_type, 'lang', p_lang, 'conversation', v_conversation,
    'replies', v_replies, 'rankingParentId', p_target, 'messageTreeId', p_tree, 'revealSynthetic', v_reveal);
END
$$;
--> statement-breakpoint
-- Inserts p_user's task and returns it as the request's answer.
CREATE OR REPLACE FUNCTION oa_insert_task(p_user uuid, p_api_client uuid, p_type task_type, p_target uuid, p_tree uuid,
  p_lang text, p_plan jsonb) RETURNS jsonb LANGUAGE plpgsql VOLATILE AS $$
DECLARE
  v_task tasks;
BEGIN
  INSERT INTO tasks (user_id, api_client_id, type, payload, expiry_date, parent_message_id, message_tree_id)
  VALUES (p_user, p_api_client, p_type, oa_task_payload(p_type, p_target, p_tree, p_user, p_lang, p_plan),
    now() + make_interval(mins => (p_plan->>'validityMinutes')::int), p_target, p_tree)
  RETURNING * INTO v_task;
  RETURN jsonb_build_object('status', 'task', 'task', jsonb_build_object('id', v_task.id, 'type', v_task.type,
    'createdMs', floor(extract(epoch FROM v_task.created_date) * 1000), 'expiryMs', floor(extract(epoch FROM v_task.expiry_date) * 1000),
    'payload', v_task.payload));
END
$$;
--> statement-breakpoint
-- One attempt of the hand-out at one candidate target (oa_request_task): lock it (for reply tasks its tree's state
-- row first) with SKIP LOCKED (pass 1) or waiting (pass 2), re-check the rules for it under its locks (this statement
-- sees what committed before them) and insert the task. Runs in a subtransaction (the exception block) that is
-- rolled back, releasing its locks, when the target is busy (returns 'busy') or no longer eligible (returns null).
CREATE OR REPLACE FUNCTION oa_take_target(p_user uuid, p_api_client uuid, p_lang text, p_kind text, p_lock_tree boolean,
  p_wait boolean, p_cand jsonb, p_plan jsonb) RETURNS jsonb LANGUAGE plpgsql VOLATILE AS $$
DECLARE
  v_id uuid := (p_cand->>'id')::uuid;
  v_tree uuid := (p_cand->>'tree')::uuid;
  v_type task_type := (p_cand->>'type')::task_type;
BEGIN
  IF p_lock_tree AND NOT p_wait THEN
    PERFORM 1 FROM message_tree_states s, messages m WHERE s.message_tree_id = v_tree AND m.id = v_id FOR UPDATE OF s, m SKIP LOCKED;
  ELSIF p_lock_tree THEN
    PERFORM 1 FROM message_tree_states s, messages m WHERE s.message_tree_id = v_tree AND m.id = v_id FOR UPDATE OF s, m;
  ELSIF NOT p_wait THEN
    PERFORM 1 FROM messages m WHERE m.id = v_id FOR UPDATE SKIP LOCKED;
  ELSE
    PERFORM 1 FROM messages m WHERE m.id = v_id FOR UPDATE;
  END IF;
  IF NOT FOUND THEN
    RAISE EXCEPTION USING ERRCODE = 'OAH01';
  END IF;
  IF NOT EXISTS (SELECT 1 FROM oa_eligible_targets(p_kind, ARRAY[v_id], p_user, p_lang, p_plan->'s') e WHERE e.type = v_type) THEN
    RAISE EXCEPTION USING ERRCODE = 'OAH02';
  END IF;
  RETURN oa_insert_task(p_user, p_api_client, v_type, v_id, v_tree, p_lang, p_plan);
EXCEPTION
  WHEN SQLSTATE 'OAH01' THEN RETURN '"busy"'::jsonb;
  WHEN SQLSTATE 'OAH02' THEN RETURN NULL;
END
$$;
--> statement-breakpoint
-- The whole hand-out of one request (src/server/domain/tasks/request-task.ts prepares p_plan):
--   s: the rule settings; maxPending; validityMinutes; labels; seed (see oa_task_payload);
--   kinds: the kinds to try, in order: {kind, types, lockTree, preferLonely}; kind 'prompt' with prompts (oa_missing_prompts);
--   keys: random sample keys in [0, 1), consumed in order; exclude: task types not to hand out.
-- Serialises p_user's requests (transaction advisory lock; this statement is the transaction), refuses when the
-- pending limit is reached, then per kind samples up to 32 open targets per type from a random key along the
-- (kind, lang, sort_key) index, shuffles them and checks them against the rules 8 at a time (all at once when lonely
-- parents are preferred, so the preference spans the sample), trying the eligible ones in a random order (lonely
-- parents first when asked) with oa_take_target: a pass that skips busy targets, then, only when every eligible
-- target of the sample was busy, one that waits for them, one at a time. A request never holds one target while it
-- waits for another. When every sampled target was ineligible but more exist, it samples again (at most 3 times).
-- Returns {status: 'task', task}, {status: 'pending', pending} or {status: 'none'}.
CREATE OR REPLACE FUNCTION oa_request_task(p_user uuid, p_api_client uuid, p_lang text, p_plan jsonb) RETURNS jsonb
LANGUAGE plpgsql VOLATILE AS $$
DECLARE
  v_s jsonb := p_plan->'s';
  v_seed text := p_plan->>'seed';
  v_pending integer;
  v_kind jsonb;
  v_kind_name text;
  v_types task_type[];
  v_type task_type;
  v_key_index integer := 0;
  v_ids uuid[];
  v_sample uuid[];
  v_more boolean;
  v_probe integer;
  v_chunk integer;
  v_prefer_lonely boolean;
  v_lock_tree boolean;
  v_cand jsonb;
  v_busy jsonb;
  v_result jsonb;
BEGIN
  PERFORM pg_advisory_xact_lock(hashtext('oa-task-request:' || p_user::text));
  SELECT count(*)::int INTO v_pending FROM tasks t WHERE t.user_id = p_user AND NOT t.done AND NOT t.skipped
    AND t.created_date > now() - make_interval(secs => (v_s->>'recentTasksSpanSec')::int);
  IF v_pending >= (p_plan->>'maxPending')::int THEN
    RETURN jsonb_build_object('status', 'pending', 'pending', v_pending);
  END IF;
  FOR v_kind IN SELECT value FROM jsonb_array_elements(p_plan->'kinds') LOOP
    v_kind_name := v_kind->>'kind';
    IF v_kind_name = 'prompt' THEN
      IF oa_missing_prompts(p_lang, p_plan->'prompts') > 0 THEN
        RETURN oa_insert_task(p_user, p_api_client, 'initial_prompt', NULL, NULL, p_lang, p_plan);
      END IF;
      CONTINUE;
    END IF;
    SELECT coalesce(array_agg(t::task_type), '{}') INTO v_types FROM jsonb_array_elements_text(v_kind->'types') t
      WHERE NOT coalesce(p_plan->'exclude', '[]'::jsonb) ? t;
    v_lock_tree := coalesce((v_kind->>'lockTree')::boolean, false);
    v_prefer_lonely := coalesce((v_kind->>'preferLonely')::boolean, false);
    v_chunk := CASE WHEN v_prefer_lonely THEN 64 ELSE 8 END;
    FOR v_probe IN 1..3 LOOP
      v_ids := '{}';
      v_more := false;
      FOREACH v_type IN ARRAY v_types LOOP
        v_key_index := v_key_index + 1;
        SELECT array_agg(x.target_id ORDER BY x.part, x.sort_key) INTO v_sample FROM (
          SELECT target_id, part, sort_key FROM (
            (SELECT w.target_id, 0 AS part, w.sort_key FROM task_work w
              WHERE w.kind = v_type AND w.lang = p_lang AND w.sort_key >= (p_plan->'keys'->>(v_key_index - 1))::float8
              ORDER BY w.sort_key LIMIT 33)
            UNION ALL
            (SELECT w.target_id, 1 AS part, w.sort_key FROM task_work w
              WHERE w.kind = v_type AND w.lang = p_lang AND w.sort_key < (p_plan->'keys'->>(v_key_index - 1))::float8
              ORDER BY w.sort_key LIMIT 33)
          ) u ORDER BY part, sort_key LIMIT 33
        ) x;
        IF coalesce(array_length(v_sample, 1), 0) > 32 THEN
          v_more := true;
          v_sample := v_sample[1:32];
        END IF;
        v_ids := v_ids || coalesce(v_sample, '{}');
      END LOOP;
      EXIT WHEN coalesce(array_length(v_ids, 1), 0) = 0;
      v_ids := ARRAY(SELECT x FROM unnest(v_ids) x ORDER BY md5(x::text || v_seed));
      v_busy := '[]'::jsonb;
      FOR i IN 1..array_length(v_ids, 1) BY v_chunk LOOP
        FOR v_cand IN
          SELECT jsonb_build_object('id', e.id, 'tree', e.tree_id, 'type', e.type)
          FROM oa_eligible_targets(v_kind_name, v_ids[i:i + v_chunk - 1], p_user, p_lang, v_s) e WHERE e.type = ANY(v_types)
          ORDER BY CASE WHEN v_prefer_lonely AND e.type = 'assistant_reply' AND e.children > 0
              AND e.children < (v_s->>'lonelyChildrenCount')::int THEN 0 ELSE 1 END,
            md5(e.id::text || v_seed)
        LOOP
          v_result := oa_take_target(p_user, p_api_client, p_lang, v_kind_name, v_lock_tree, false, v_cand, p_plan);
          IF v_result = '"busy"'::jsonb THEN
            v_busy := v_busy || jsonb_build_array(v_cand);
          ELSIF v_result IS NOT NULL THEN
            RETURN v_result;
          END IF;
        END LOOP;
      END LOOP;
      FOR v_cand IN SELECT value FROM jsonb_array_elements(v_busy) LOOP
        v_result := oa_take_target(p_user, p_api_client, p_lang, v_kind_name, v_lock_tree, true, v_cand, p_plan);
        IF v_result IS NOT NULL AND v_result <> '"busy"'::jsonb THEN
          RETURN v_result;
        END IF;
      END LOOP;
      -- Busy targets that were waited for and found taken do not count as "ineligible": sample again only when
      -- nothing in this sample was eligible and more exist.
      EXIT WHEN NOT v_more OR jsonb_array_length(v_busy) > 0;
    END LOOP;
  END LOOP;
  RETURN jsonb_build_object('status', 'none');
END
$$;
--> statement-breakpoint
-- Locks what answering or skipping task p_task may change, in the one lock order, in one call (lockTaskAndTargets):
-- the tree state row of the task's tree, then the message rows (the task's target and, with p_offered_replies, the
-- replies its payload offers; by id), then the task row. Someone else's task, or none, locks nothing. Returns
-- {status: 'not_found' | 'not_owner'} or {status: 'ok', task, tree, messages}, each row as read under its lock.
CREATE OR REPLACE FUNCTION oa_lock_task(p_task uuid, p_user uuid, p_offered_replies boolean) RETURNS jsonb
LANGUAGE plpgsql VOLATILE AS $$
DECLARE
  v_peek tasks;
  v_tree_id uuid;
  v_ids uuid[];
  v_tree jsonb;
  v_messages jsonb;
  v_task jsonb;
BEGIN
  SELECT * INTO v_peek FROM tasks WHERE id = p_task;
  IF NOT FOUND THEN
    RETURN jsonb_build_object('status', 'not_found');
  END IF;
  IF v_peek.user_id IS DISTINCT FROM p_user THEN
    RETURN jsonb_build_object('status', 'not_owner');
  END IF;
  v_tree_id := v_peek.message_tree_id;
  IF v_tree_id IS NULL AND v_peek.parent_message_id IS NOT NULL THEN
    SELECT message_tree_id INTO v_tree_id FROM messages WHERE id = v_peek.parent_message_id;
  END IF;
  IF v_tree_id IS NOT NULL THEN
    SELECT to_jsonb(s) INTO v_tree FROM message_tree_states s WHERE s.message_tree_id = v_tree_id FOR UPDATE;
  END IF;
  SELECT coalesce(array_agg(DISTINCT x), '{}') INTO v_ids FROM (
    SELECT v_peek.parent_message_id AS x WHERE v_peek.parent_message_id IS NOT NULL
    UNION ALL
    SELECT (r->>'id')::uuid FROM jsonb_array_elements(CASE WHEN p_offered_replies AND jsonb_typeof(v_peek.payload->'replies') = 'array'
      THEN v_peek.payload->'replies' ELSE '[]'::jsonb END) r
  ) ids;
  SELECT coalesce(jsonb_agg(to_jsonb(l) ORDER BY l.id), '[]'::jsonb) INTO v_messages
    FROM (SELECT * FROM messages m WHERE m.id = ANY(v_ids) ORDER BY m.id FOR UPDATE) l;
  SELECT to_jsonb(t) INTO v_task FROM tasks t WHERE t.id = p_task FOR UPDATE;
  RETURN jsonb_build_object('status', 'ok', 'task', v_task, 'tree', v_tree, 'messages', v_messages);
END
$$;
--> statement-breakpoint
-- The hand-out's statements run with generic plans, planned once per connection: their custom plans (the rule
-- functions inlined, planned again on every call) cost many times what executing them does.
ALTER FUNCTION oa_request_task(uuid, uuid, text, jsonb) SET plan_cache_mode = force_generic_plan;
--> statement-breakpoint
ALTER FUNCTION oa_lock_task(uuid, uuid, boolean) SET plan_cache_mode = force_generic_plan;
