CREATE TABLE "known_issues" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "known_issues_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"release_id" integer NOT NULL,
	"title" jsonb NOT NULL,
	"body" jsonb NOT NULL,
	"status" text NOT NULL,
	"fixed_in" text,
	"error_codes" text[] DEFAULT '{}'::text[] NOT NULL,
	"created_by" text NOT NULL,
	"updated_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "known_issues_status_check" CHECK ("known_issues"."status" in ('investigating', 'workaround', 'fixed'))
);
--> statement-breakpoint
ALTER TABLE "support_cases" ADD COLUMN "known_issue_id" integer;--> statement-breakpoint
ALTER TABLE "known_issues" ADD CONSTRAINT "known_issues_release_id_releases_id_fk" FOREIGN KEY ("release_id") REFERENCES "public"."releases"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "known_issues_release_idx" ON "known_issues" USING btree ("release_id");--> statement-breakpoint
ALTER TABLE "support_cases" ADD CONSTRAINT "support_cases_known_issue_id_known_issues_id_fk" FOREIGN KEY ("known_issue_id") REFERENCES "public"."known_issues"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "support_cases_known_issue_idx" ON "support_cases" USING btree ("known_issue_id");--> statement-breakpoint
CREATE INDEX "update_events_release_failed_code_idx" ON "update_events" USING btree ("release_id","error_code") WHERE state = 'failed';