CREATE TABLE "arena_models" (
	"model" varchar(200) PRIMARY KEY NOT NULL,
	"rank" integer NOT NULL,
	"strength" real NOT NULL,
	"lower" real NOT NULL,
	"upper" real NOT NULL,
	"comparisons" integer NOT NULL,
	"computed_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "arena_runs" (
	"id" smallint PRIMARY KEY DEFAULT 1 NOT NULL,
	"comparisons" integer NOT NULL,
	"comparisons_used" integer NOT NULL,
	"voters_kept" integer NOT NULL,
	"voters_dropped" integer NOT NULL,
	"computed_at" timestamp with time zone DEFAULT now() NOT NULL
);
