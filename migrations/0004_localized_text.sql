ALTER TABLE "release_events" ADD COLUMN "message_localized" jsonb;--> statement-breakpoint
ALTER TABLE "releases" ADD COLUMN "notes_localized" jsonb;--> statement-breakpoint
ALTER TABLE "releases" ADD COLUMN "purpose" text;--> statement-breakpoint
ALTER TABLE "releases" ADD COLUMN "install_minutes" integer;--> statement-breakpoint
ALTER TABLE "releases" ADD COLUMN "unavailable_during" jsonb;--> statement-breakpoint
ALTER TABLE "releases" ADD COLUMN "instructions" jsonb;--> statement-breakpoint
ALTER TABLE "releases" ADD COLUMN "notice_message_localized" jsonb;--> statement-breakpoint
ALTER TABLE "waves" ADD COLUMN "name_localized" jsonb;