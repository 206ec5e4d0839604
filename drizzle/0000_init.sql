CREATE TYPE "public"."user_role" AS ENUM('general', 'moderator', 'admin', 'banned');--> statement-breakpoint
CREATE TYPE "public"."chat_message_state" AS ENUM('manual', 'pending', 'in_progress', 'complete', 'aborted_by_worker', 'cancelled', 'timeout');--> statement-breakpoint
CREATE TYPE "public"."chat_report_type" AS ENUM('spam', 'offensive', 'feedback');--> statement-breakpoint
CREATE TYPE "public"."inference_job_status" AS ENUM('queued', 'running', 'done', 'failed', 'cancelled', 'timed_out');--> statement-breakpoint
CREATE TYPE "public"."inference_worker_status" AS ENUM('online', 'draining', 'offline');--> statement-breakpoint
CREATE TYPE "public"."message_role" AS ENUM('prompter', 'assistant');--> statement-breakpoint
CREATE TYPE "public"."time_frame" AS ENUM('day', 'week', 'month', 'total');--> statement-breakpoint
CREATE TYPE "public"."task_type" AS ENUM('initial_prompt', 'prompter_reply', 'assistant_reply', 'rank_initial_prompts', 'rank_prompter_replies', 'rank_assistant_replies', 'label_initial_prompt', 'label_prompter_reply', 'label_assistant_reply', 'summarize_story', 'rate_summary');--> statement-breakpoint
CREATE TYPE "public"."tree_state" AS ENUM('initial_prompt_review', 'growing', 'ranking', 'ready_for_scoring', 'ready_for_export', 'scoring_failed', 'aborted_low_grade', 'halted_by_moderator', 'backlog_ranking', 'prompt_lottery_waiting');--> statement-breakpoint
CREATE TABLE "api_clients" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"key_hash" varchar(64) NOT NULL,
	"key_prefix" varchar(12) NOT NULL,
	"description" varchar(256) NOT NULL,
	"admin_email" varchar(320),
	"enabled" boolean DEFAULT true NOT NULL,
	"trusted" boolean DEFAULT false NOT NULL,
	"frontend_type" varchar(64) NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "api_clients_keyHash_unique" UNIQUE("key_hash")
);
--> statement-breakpoint
CREATE TABLE "accounts" (
	"user_id" uuid NOT NULL,
	"type" varchar(32) NOT NULL,
	"provider" varchar(64) NOT NULL,
	"provider_account_id" varchar(256) NOT NULL,
	"refresh_token" text,
	"access_token" text,
	"expires_at" integer,
	"token_type" varchar(64),
	"scope" text,
	"id_token" text,
	"session_state" text,
	CONSTRAINT "accounts_provider_provider_account_id_pk" PRIMARY KEY("provider","provider_account_id")
);
--> statement-breakpoint
CREATE TABLE "sessions" (
	"session_token" varchar(255) PRIMARY KEY NOT NULL,
	"user_id" uuid NOT NULL,
	"expires" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "users" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" varchar(256),
	"email" varchar(320),
	"email_verified" timestamp with time zone,
	"image" text,
	"role" "user_role" DEFAULT 'general' NOT NULL,
	"enabled" boolean DEFAULT true NOT NULL,
	"deleted" boolean DEFAULT false NOT NULL,
	"notes" varchar(1024) DEFAULT '' NOT NULL,
	"tos_acceptance_date" timestamp with time zone,
	"show_on_leaderboard" boolean DEFAULT true NOT NULL,
	"streak_last_day_date" timestamp with time zone DEFAULT now(),
	"streak_days" integer,
	"last_activity_date" timestamp with time zone DEFAULT now() NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"api_client_id" uuid,
	"username" varchar(128),
	"auth_method" varchar(32) DEFAULT 'web' NOT NULL,
	CONSTRAINT "users_email_unique" UNIQUE("email")
);
--> statement-breakpoint
CREATE TABLE "verification_tokens" (
	"identifier" varchar(320) NOT NULL,
	"token" varchar(255) NOT NULL,
	"expires" timestamp with time zone NOT NULL,
	CONSTRAINT "verification_tokens_identifier_token_pk" PRIMARY KEY("identifier","token")
);
--> statement-breakpoint
CREATE TABLE "chat_message_evaluations" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"chat_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"selected_message_id" uuid NOT NULL,
	"inferior_message_ids" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "chat_messages" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"chat_id" uuid NOT NULL,
	"parent_id" uuid,
	"role" "message_role" NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"content" text,
	"error" text,
	"state" "chat_message_state" DEFAULT 'manual' NOT NULL,
	"work_parameters" jsonb,
	"work_begin_at" timestamp with time zone,
	"work_end_at" timestamp with time zone,
	"worker_id" uuid,
	"score" smallint DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "chat_reports" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"message_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"report_type" "chat_report_type" NOT NULL,
	"reason" varchar(2000) DEFAULT '' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "chats" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"user_id" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"modified_at" timestamp with time zone DEFAULT now() NOT NULL,
	"title" varchar(200),
	"active_thread_tail_message_id" uuid,
	"hidden" boolean DEFAULT false NOT NULL,
	"allow_data_use" boolean DEFAULT true NOT NULL
);
--> statement-breakpoint
CREATE TABLE "inference_job_chunks" (
	"job_id" uuid NOT NULL,
	"seq" integer NOT NULL,
	"text" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "inference_job_chunks_job_id_seq_pk" PRIMARY KEY("job_id","seq")
);
--> statement-breakpoint
CREATE TABLE "inference_jobs" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"chat_message_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"model_config_name" varchar(256) NOT NULL,
	"status" "inference_job_status" DEFAULT 'queued' NOT NULL,
	"priority" integer DEFAULT 0 NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"max_attempts" integer DEFAULT 3 NOT NULL,
	"lease_owner" uuid,
	"lease_expires_at" timestamp with time zone,
	"heartbeat_at" timestamp with time zone,
	"enqueued_at" timestamp with time zone DEFAULT now() NOT NULL,
	"queue_deadline_at" timestamp with time zone NOT NULL,
	"started_at" timestamp with time zone,
	"finished_at" timestamp with time zone,
	"stop_requested_at" timestamp with time zone,
	"last_seq" integer DEFAULT 0 NOT NULL,
	"error" text,
	CONSTRAINT "inference_jobs_chatMessageId_unique" UNIQUE("chat_message_id")
);
--> statement-breakpoint
CREATE TABLE "inference_workers" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" varchar(256) NOT NULL,
	"engine" varchar(64) NOT NULL,
	"models" jsonb NOT NULL,
	"hostname" varchar(256) DEFAULT '' NOT NULL,
	"status" "inference_worker_status" DEFAULT 'online' NOT NULL,
	"started_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_heartbeat_at" timestamp with time zone DEFAULT now() NOT NULL,
	"jobs_done" integer DEFAULT 0 NOT NULL,
	"jobs_failed" integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "journal" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"created_date" timestamp with time zone DEFAULT now() NOT NULL,
	"user_id" uuid,
	"message_id" uuid,
	"api_client_id" uuid,
	"event_type" varchar(200) NOT NULL,
	"event_payload" jsonb NOT NULL
);
--> statement-breakpoint
CREATE TABLE "message_reactions" (
	"task_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"created_date" timestamp with time zone DEFAULT now() NOT NULL,
	"payload" jsonb NOT NULL,
	"api_client_id" uuid,
	"message_id" uuid,
	CONSTRAINT "message_reactions_task_id_user_id_pk" PRIMARY KEY("task_id","user_id")
);
--> statement-breakpoint
CREATE TABLE "text_labels" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"user_id" uuid NOT NULL,
	"created_date" timestamp with time zone DEFAULT now() NOT NULL,
	"api_client_id" uuid,
	"text" varchar(65536) DEFAULT '' NOT NULL,
	"message_id" uuid,
	"labels" jsonb NOT NULL,
	"task_id" uuid
);
--> statement-breakpoint
CREATE TABLE "flagged_messages" (
	"message_id" uuid PRIMARY KEY NOT NULL,
	"processed" boolean DEFAULT false NOT NULL,
	"created_date" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "message_embeddings" (
	"message_id" uuid NOT NULL,
	"model" varchar(256) NOT NULL,
	"embedding" real[] NOT NULL,
	"created_date" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "message_embeddings_message_id_model_pk" PRIMARY KEY("message_id","model")
);
--> statement-breakpoint
CREATE TABLE "message_emojis" (
	"message_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"emoji" varchar(128) NOT NULL,
	"created_date" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "message_emojis_message_id_user_id_emoji_pk" PRIMARY KEY("message_id","user_id","emoji")
);
--> statement-breakpoint
CREATE TABLE "message_revisions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"message_id" uuid NOT NULL,
	"user_id" uuid,
	"text" text NOT NULL,
	"created_date" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "message_toxicity" (
	"message_id" uuid NOT NULL,
	"model" varchar(256) NOT NULL,
	"score" real NOT NULL,
	"label" varchar(256) NOT NULL,
	"created_date" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "message_toxicity_message_id_model_pk" PRIMARY KEY("message_id","model")
);
--> statement-breakpoint
CREATE TABLE "messages" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"parent_id" uuid,
	"message_tree_id" uuid NOT NULL,
	"task_id" uuid,
	"user_id" uuid,
	"role" "message_role" NOT NULL,
	"api_client_id" uuid,
	"frontend_message_id" varchar(200) NOT NULL,
	"created_date" timestamp with time zone DEFAULT now() NOT NULL,
	"text" text NOT NULL,
	"lang" varchar(32) DEFAULT 'en' NOT NULL,
	"depth" integer DEFAULT 0 NOT NULL,
	"children_count" integer DEFAULT 0 NOT NULL,
	"deleted" boolean DEFAULT false NOT NULL,
	"review_count" integer DEFAULT 0 NOT NULL,
	"review_result" boolean,
	"ranking_count" integer DEFAULT 0 NOT NULL,
	"rank" integer,
	"synthetic" boolean DEFAULT false NOT NULL,
	"edited" boolean DEFAULT false NOT NULL,
	"model_name" varchar(1024),
	"emojis" jsonb DEFAULT '{}'::jsonb NOT NULL
);
--> statement-breakpoint
CREATE TABLE "cached_stats" (
	"name" varchar(128) PRIMARY KEY NOT NULL,
	"modified_date" timestamp with time zone DEFAULT now() NOT NULL,
	"stats" jsonb NOT NULL
);
--> statement-breakpoint
CREATE TABLE "troll_stats" (
	"user_id" uuid NOT NULL,
	"time_frame" time_frame NOT NULL,
	"base_date" timestamp with time zone,
	"troll_score" integer DEFAULT 0 NOT NULL,
	"modified_date" timestamp with time zone DEFAULT now() NOT NULL,
	"rank" integer,
	"red_flags" integer DEFAULT 0 NOT NULL,
	"upvotes" integer DEFAULT 0 NOT NULL,
	"downvotes" integer DEFAULT 0 NOT NULL,
	"spam_prompts" integer DEFAULT 0 NOT NULL,
	"quality" real,
	"humor" real,
	"toxicity" real,
	"violence" real,
	"helpfulness" real,
	"spam" integer DEFAULT 0 NOT NULL,
	"lang_mismatch" integer DEFAULT 0 NOT NULL,
	"not_appropriate" integer DEFAULT 0 NOT NULL,
	"pii" integer DEFAULT 0 NOT NULL,
	"hate_speech" integer DEFAULT 0 NOT NULL,
	"sexual_content" integer DEFAULT 0 NOT NULL,
	"political_content" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "troll_stats_time_frame_user_id_pk" PRIMARY KEY("time_frame","user_id")
);
--> statement-breakpoint
CREATE TABLE "user_stats" (
	"user_id" uuid NOT NULL,
	"time_frame" time_frame NOT NULL,
	"base_date" timestamp with time zone,
	"leader_score" integer DEFAULT 0 NOT NULL,
	"modified_date" timestamp with time zone DEFAULT now() NOT NULL,
	"rank" integer,
	"prompts" integer DEFAULT 0 NOT NULL,
	"replies_assistant" integer DEFAULT 0 NOT NULL,
	"replies_prompter" integer DEFAULT 0 NOT NULL,
	"labels_simple" integer DEFAULT 0 NOT NULL,
	"labels_full" integer DEFAULT 0 NOT NULL,
	"rankings_total" integer DEFAULT 0 NOT NULL,
	"rankings_good" integer DEFAULT 0 NOT NULL,
	"accepted_prompts" integer DEFAULT 0 NOT NULL,
	"accepted_replies_assistant" integer DEFAULT 0 NOT NULL,
	"accepted_replies_prompter" integer DEFAULT 0 NOT NULL,
	"reply_ranked_1" integer DEFAULT 0 NOT NULL,
	"reply_ranked_2" integer DEFAULT 0 NOT NULL,
	"reply_ranked_3" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "user_stats_time_frame_user_id_pk" PRIMARY KEY("time_frame","user_id")
);
--> statement-breakpoint
CREATE TABLE "tasks" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"created_date" timestamp with time zone DEFAULT now() NOT NULL,
	"expiry_date" timestamp with time zone,
	"user_id" uuid,
	"type" "task_type" NOT NULL,
	"payload" jsonb NOT NULL,
	"api_client_id" uuid,
	"ack" boolean,
	"done" boolean DEFAULT false NOT NULL,
	"skipped" boolean DEFAULT false NOT NULL,
	"skip_reason" varchar(512),
	"frontend_message_id" varchar(200),
	"message_tree_id" uuid,
	"parent_message_id" uuid,
	"collective" boolean DEFAULT false NOT NULL
);
--> statement-breakpoint
CREATE TABLE "message_tree_states" (
	"message_tree_id" uuid PRIMARY KEY NOT NULL,
	"goal_tree_size" integer NOT NULL,
	"max_depth" integer NOT NULL,
	"max_children_count" integer NOT NULL,
	"state" "tree_state" NOT NULL,
	"active" boolean NOT NULL,
	"origin" varchar(1024),
	"won_prompt_lottery_date" timestamp with time zone,
	"lang" varchar(32) NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "accounts" ADD CONSTRAINT "accounts_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sessions" ADD CONSTRAINT "sessions_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "users" ADD CONSTRAINT "users_api_client_id_api_clients_id_fk" FOREIGN KEY ("api_client_id") REFERENCES "public"."api_clients"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "chat_message_evaluations" ADD CONSTRAINT "chat_message_evaluations_chat_id_chats_id_fk" FOREIGN KEY ("chat_id") REFERENCES "public"."chats"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "chat_message_evaluations" ADD CONSTRAINT "chat_message_evaluations_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "chat_message_evaluations" ADD CONSTRAINT "chat_message_evaluations_selected_message_id_chat_messages_id_fk" FOREIGN KEY ("selected_message_id") REFERENCES "public"."chat_messages"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "chat_messages" ADD CONSTRAINT "chat_messages_chat_id_chats_id_fk" FOREIGN KEY ("chat_id") REFERENCES "public"."chats"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "chat_reports" ADD CONSTRAINT "chat_reports_message_id_chat_messages_id_fk" FOREIGN KEY ("message_id") REFERENCES "public"."chat_messages"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "chat_reports" ADD CONSTRAINT "chat_reports_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "chats" ADD CONSTRAINT "chats_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "inference_job_chunks" ADD CONSTRAINT "inference_job_chunks_job_id_inference_jobs_id_fk" FOREIGN KEY ("job_id") REFERENCES "public"."inference_jobs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "inference_jobs" ADD CONSTRAINT "inference_jobs_chat_message_id_chat_messages_id_fk" FOREIGN KEY ("chat_message_id") REFERENCES "public"."chat_messages"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "inference_jobs" ADD CONSTRAINT "inference_jobs_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "journal" ADD CONSTRAINT "journal_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "journal" ADD CONSTRAINT "journal_api_client_id_api_clients_id_fk" FOREIGN KEY ("api_client_id") REFERENCES "public"."api_clients"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "message_reactions" ADD CONSTRAINT "message_reactions_task_id_tasks_id_fk" FOREIGN KEY ("task_id") REFERENCES "public"."tasks"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "message_reactions" ADD CONSTRAINT "message_reactions_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "message_reactions" ADD CONSTRAINT "message_reactions_api_client_id_api_clients_id_fk" FOREIGN KEY ("api_client_id") REFERENCES "public"."api_clients"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "text_labels" ADD CONSTRAINT "text_labels_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "text_labels" ADD CONSTRAINT "text_labels_api_client_id_api_clients_id_fk" FOREIGN KEY ("api_client_id") REFERENCES "public"."api_clients"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "text_labels" ADD CONSTRAINT "text_labels_message_id_messages_id_fk" FOREIGN KEY ("message_id") REFERENCES "public"."messages"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "flagged_messages" ADD CONSTRAINT "flagged_messages_message_id_messages_id_fk" FOREIGN KEY ("message_id") REFERENCES "public"."messages"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "message_embeddings" ADD CONSTRAINT "message_embeddings_message_id_messages_id_fk" FOREIGN KEY ("message_id") REFERENCES "public"."messages"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "message_emojis" ADD CONSTRAINT "message_emojis_message_id_messages_id_fk" FOREIGN KEY ("message_id") REFERENCES "public"."messages"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "message_emojis" ADD CONSTRAINT "message_emojis_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "message_revisions" ADD CONSTRAINT "message_revisions_message_id_messages_id_fk" FOREIGN KEY ("message_id") REFERENCES "public"."messages"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "message_revisions" ADD CONSTRAINT "message_revisions_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "message_toxicity" ADD CONSTRAINT "message_toxicity_message_id_messages_id_fk" FOREIGN KEY ("message_id") REFERENCES "public"."messages"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "messages" ADD CONSTRAINT "messages_parent_id_messages_id_fk" FOREIGN KEY ("parent_id") REFERENCES "public"."messages"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "messages" ADD CONSTRAINT "messages_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "messages" ADD CONSTRAINT "messages_api_client_id_api_clients_id_fk" FOREIGN KEY ("api_client_id") REFERENCES "public"."api_clients"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "troll_stats" ADD CONSTRAINT "troll_stats_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "user_stats" ADD CONSTRAINT "user_stats_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tasks" ADD CONSTRAINT "tasks_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tasks" ADD CONSTRAINT "tasks_api_client_id_api_clients_id_fk" FOREIGN KEY ("api_client_id") REFERENCES "public"."api_clients"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "message_tree_states" ADD CONSTRAINT "message_tree_states_message_tree_id_messages_id_fk" FOREIGN KEY ("message_tree_id") REFERENCES "public"."messages"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "accounts_user_idx" ON "accounts" USING btree ("user_id");--> statement-breakpoint
CREATE UNIQUE INDEX "users_client_identity_uq" ON "users" USING btree (coalesce("api_client_id", '00000000-0000-0000-0000-000000000000'::uuid),"auth_method","username") WHERE "users"."username" is not null;--> statement-breakpoint
CREATE INDEX "users_last_activity_idx" ON "users" USING btree ("last_activity_date");--> statement-breakpoint
CREATE INDEX "chat_messages_chat_idx" ON "chat_messages" USING btree ("chat_id","created_at");--> statement-breakpoint
CREATE INDEX "chat_messages_parent_idx" ON "chat_messages" USING btree ("parent_id");--> statement-breakpoint
CREATE INDEX "chat_reports_message_idx" ON "chat_reports" USING btree ("message_id");--> statement-breakpoint
CREATE INDEX "chats_user_modified_idx" ON "chats" USING btree ("user_id","hidden","modified_at");--> statement-breakpoint
CREATE INDEX "inference_jobs_queue_idx" ON "inference_jobs" USING btree ("model_config_name","priority","enqueued_at") WHERE "inference_jobs"."status" = 'queued';--> statement-breakpoint
CREATE INDEX "inference_jobs_leases_idx" ON "inference_jobs" USING btree ("lease_expires_at") WHERE "inference_jobs"."status" = 'running';--> statement-breakpoint
CREATE INDEX "inference_jobs_user_status_idx" ON "inference_jobs" USING btree ("user_id","status");--> statement-breakpoint
CREATE INDEX "inference_workers_heartbeat_idx" ON "inference_workers" USING btree ("status","last_heartbeat_at");--> statement-breakpoint
CREATE INDEX "journal_user_created_idx" ON "journal" USING btree ("user_id","created_date");--> statement-breakpoint
CREATE INDEX "message_reactions_message_idx" ON "message_reactions" USING btree ("message_id");--> statement-breakpoint
CREATE INDEX "message_reactions_user_created_idx" ON "message_reactions" USING btree ("user_id","created_date");--> statement-breakpoint
CREATE INDEX "text_labels_message_idx" ON "text_labels" USING btree ("message_id");--> statement-breakpoint
CREATE INDEX "text_labels_task_idx" ON "text_labels" USING btree ("task_id");--> statement-breakpoint
CREATE UNIQUE INDEX "text_labels_one_review_per_user_uq" ON "text_labels" USING btree ("user_id","message_id") WHERE "text_labels"."task_id" is not null;--> statement-breakpoint
CREATE INDEX "flagged_messages_queue_idx" ON "flagged_messages" USING btree ("processed","created_date");--> statement-breakpoint
CREATE INDEX "message_emojis_user_idx" ON "message_emojis" USING btree ("user_id","message_id");--> statement-breakpoint
CREATE INDEX "message_revisions_message_idx" ON "message_revisions" USING btree ("message_id","created_date");--> statement-breakpoint
CREATE UNIQUE INDEX "messages_frontend_id_uq" ON "messages" USING btree ("api_client_id","frontend_message_id");--> statement-breakpoint
CREATE INDEX "messages_tree_idx" ON "messages" USING btree ("message_tree_id");--> statement-breakpoint
CREATE INDEX "messages_parent_idx" ON "messages" USING btree ("parent_id");--> statement-breakpoint
CREATE INDEX "messages_user_created_idx" ON "messages" USING btree ("user_id","created_date");--> statement-breakpoint
CREATE INDEX "messages_created_idx" ON "messages" USING btree ("created_date");--> statement-breakpoint
CREATE INDEX "messages_lang_created_idx" ON "messages" USING btree ("lang","created_date");--> statement-breakpoint
CREATE UNIQUE INDEX "messages_one_reply_per_user_uq" ON "messages" USING btree ("parent_id","user_id") WHERE "messages"."parent_id" is not null and "messages"."user_id" is not null and not "messages"."deleted";--> statement-breakpoint
CREATE INDEX "messages_review_queue_idx" ON "messages" USING btree ("lang","review_count") WHERE not "messages"."deleted" and "messages"."review_result" is not true;--> statement-breakpoint
CREATE INDEX "troll_stats_rank_idx" ON "troll_stats" USING btree ("time_frame","rank");--> statement-breakpoint
CREATE INDEX "user_stats_rank_idx" ON "user_stats" USING btree ("time_frame","rank");--> statement-breakpoint
CREATE INDEX "user_stats_score_idx" ON "user_stats" USING btree ("time_frame","leader_score");--> statement-breakpoint
CREATE UNIQUE INDEX "tasks_frontend_message_id_uq" ON "tasks" USING btree ("api_client_id","frontend_message_id");--> statement-breakpoint
CREATE INDEX "tasks_user_created_idx" ON "tasks" USING btree ("user_id","created_date");--> statement-breakpoint
CREATE INDEX "tasks_open_by_target_idx" ON "tasks" USING btree ("parent_message_id","type") WHERE not "tasks"."done" and not "tasks"."skipped";--> statement-breakpoint
CREATE INDEX "tasks_expiry_idx" ON "tasks" USING btree ("expiry_date") WHERE not "tasks"."done";--> statement-breakpoint
CREATE INDEX "message_tree_states_state_lang_idx" ON "message_tree_states" USING btree ("state","lang");--> statement-breakpoint
CREATE INDEX "message_tree_states_active_idx" ON "message_tree_states" USING btree ("lang","state") WHERE "message_tree_states"."active";