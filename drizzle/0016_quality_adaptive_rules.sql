-- Adaptive review counts (issue 14, tree-manager setting `adaptiveReviews`, off by default): the hand-out's rules read
-- how many reviews a message needs and how many rankings a ranking parent needs from one place each. With the
-- setting off these are the original's fixed counts; with it on, the per-message "wanted" counts the submit paths
-- keep (src/server/domain/quality/adaptive-reviews.ts) when set.

-- How many more reviews a message needs before it is decided, reservations not counted: THE rule, in one place.
CREATE OR REPLACE FUNCTION oa_reviews_still_needed(m messages, p_s jsonb) RETURNS integer LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE WHEN coalesce((p_s->>'adaptiveReviews')::boolean, false) AND m.reviews_wanted IS NOT NULL THEN m.reviews_wanted
    WHEN m.parent_id IS NULL THEN (p_s->>'numReviewsInitialPrompt')::int ELSE (p_s->>'numReviewsReply')::int END
    - m.review_count
$$;
--> statement-breakpoint
-- How many completed rankings the replies of a ranking parent need.
CREATE OR REPLACE FUNCTION oa_rankings_needed(p messages, p_s jsonb) RETURNS integer LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE WHEN coalesce((p_s->>'adaptiveReviews')::boolean, false) AND p.rankings_wanted IS NOT NULL THEN p.rankings_wanted
    ELSE (p_s->>'numRequiredRankings')::int END
$$;
--> statement-breakpoint
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
      < oa_rankings_needed(p, p_s)
$$;
