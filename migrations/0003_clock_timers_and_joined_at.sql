ALTER TABLE "queue_entries" ADD COLUMN "joined_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "releases" ADD COLUMN "paused_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "waves" ADD COLUMN "soak_started_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "waves" ADD COLUMN "fully_offered_through" integer;--> statement-breakpoint
-- Releases paused before this migration resume with their soak timers where they stood.
UPDATE "releases" SET "paused_at" = "notice_at" WHERE "state" = 'paused';--> statement-breakpoint
UPDATE "waves" SET "soak_started_at" = "fully_offered_at" WHERE "fully_offered_at" IS NOT NULL;
