CREATE TYPE "public"."channel" AS ENUM('stable', 'beta');--> statement-breakpoint
CREATE TYPE "public"."cohort" AS ENUM('employee', 'early_access', 'standard');--> statement-breakpoint
CREATE TYPE "public"."release_state" AS ENUM('draft', 'rolling_out', 'paused', 'completed', 'halted');--> statement-breakpoint
CREATE TYPE "public"."role" AS ENUM('admin', 'release_manager', 'support', 'gateway');--> statement-breakpoint
CREATE TYPE "public"."update_state" AS ENUM('queued', 'offered', 'downloading', 'installing', 'installed', 'failed', 'cancelled', 'skipped');--> statement-breakpoint
CREATE TYPE "public"."wave_state" AS ENUM('pending', 'active', 'done');--> statement-breakpoint
CREATE TABLE "api_keys" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "api_keys_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"label" text NOT NULL,
	"role" "role" NOT NULL,
	"token_hash" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"revoked_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "audit_log" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "audit_log_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	"actor" text NOT NULL,
	"action" text NOT NULL,
	"release_id" integer,
	"vehicle_id" bigint,
	"before" jsonb,
	"after" jsonb
);
--> statement-breakpoint
CREATE TABLE "firmware_changes" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "firmware_changes_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"vehicle_id" bigint NOT NULL,
	"from_firmware" text,
	"to_firmware" text NOT NULL,
	"source" text NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "install_counts" (
	"release_id" integer NOT NULL,
	"hour" timestamp with time zone NOT NULL,
	"count" integer NOT NULL,
	CONSTRAINT "install_counts_release_id_hour_pk" PRIMARY KEY("release_id","hour")
);
--> statement-breakpoint
CREATE TABLE "queue_counts" (
	"release_id" integer NOT NULL,
	"block" integer NOT NULL,
	"state" "update_state" NOT NULL,
	"count" integer NOT NULL,
	CONSTRAINT "queue_counts_release_id_block_state_pk" PRIMARY KEY("release_id","block","state")
);
--> statement-breakpoint
CREATE TABLE "queue_entries" (
	"release_id" integer NOT NULL,
	"vehicle_id" bigint NOT NULL,
	"position" integer,
	"state" "update_state" DEFAULT 'queued' NOT NULL,
	"state_at" timestamp with time zone,
	"offered_at" timestamp with time zone,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "queue_entries_vehicle_id_release_id_pk" PRIMARY KEY("vehicle_id","release_id")
);
--> statement-breakpoint
CREATE TABLE "release_events" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "release_events_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"release_id" integer NOT NULL,
	"wave_index" integer,
	"kind" text NOT NULL,
	"message" text,
	"at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "releases" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "releases_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"version" text NOT NULL,
	"version_parts" integer[] GENERATED ALWAYS AS (string_to_array(version, '.')::int[]) STORED NOT NULL,
	"channel" "channel" NOT NULL,
	"notes" text DEFAULT '' NOT NULL,
	"eligibility" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"state" "release_state" DEFAULT 'draft' NOT NULL,
	"seed" integer NOT NULL,
	"queue_size" integer DEFAULT 0 NOT NULL,
	"offered_through" integer DEFAULT 0 NOT NULL,
	"clock_started_at" timestamp with time zone,
	"offered_at_clock_start" integer DEFAULT 0 NOT NULL,
	"revision" integer DEFAULT 1 NOT NULL,
	"halt_reason" text,
	"notice_kind" text,
	"notice_message" text,
	"notice_at" timestamp with time zone,
	"started_at" timestamp with time zone,
	"completed_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "share_links" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "share_links_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"vehicle_id" bigint NOT NULL,
	"code_hash" text NOT NULL,
	"created_by" integer,
	"expires_at" timestamp with time zone NOT NULL,
	"revoked_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "support_cases" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "support_cases_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"reference" text NOT NULL,
	"summary" text DEFAULT '' NOT NULL,
	"vehicle_id" bigint NOT NULL,
	"release_id" integer,
	"wave_index" integer,
	"created_by" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "update_events" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "update_events_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"event_id" text NOT NULL,
	"vehicle_id" bigint NOT NULL,
	"release_id" integer,
	"version" text NOT NULL,
	"state" "update_state" NOT NULL,
	"error_code" text,
	"at" timestamp with time zone NOT NULL,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "vehicles" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "vehicles_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"vin" text NOT NULL,
	"model" text NOT NULL,
	"hardware" text NOT NULL,
	"region" text NOT NULL,
	"channel" "channel" NOT NULL,
	"cohort" "cohort" NOT NULL,
	"firmware" text NOT NULL,
	"firmware_parts" integer[] GENERATED ALWAYS AS (string_to_array(firmware, '.')::int[]) STORED NOT NULL,
	"owner_code_hash" text NOT NULL,
	"device_token_hash" text NOT NULL,
	"last_seen_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "waves" (
	"release_id" integer NOT NULL,
	"index" integer NOT NULL,
	"name" text NOT NULL,
	"share" double precision NOT NULL,
	"rate_per_hour" integer,
	"start_at" timestamp with time zone,
	"auto_advance" jsonb,
	"stop_at" jsonb,
	"state" "wave_state" DEFAULT 'pending' NOT NULL,
	"opened_at" timestamp with time zone,
	"fully_offered_at" timestamp with time zone,
	"done_at" timestamp with time zone,
	CONSTRAINT "waves_release_id_index_pk" PRIMARY KEY("release_id","index")
);
--> statement-breakpoint
CREATE TABLE "webhook_deliveries" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "webhook_deliveries_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"webhook_id" integer NOT NULL,
	"event_type" text NOT NULL,
	"payload" jsonb NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"next_attempt_at" timestamp with time zone DEFAULT now() NOT NULL,
	"delivered_at" timestamp with time zone,
	"last_error" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "webhooks" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "webhooks_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"url" text NOT NULL,
	"event_types" text[] NOT NULL,
	"secret" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"disabled_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "audit_log" ADD CONSTRAINT "audit_log_release_id_releases_id_fk" FOREIGN KEY ("release_id") REFERENCES "public"."releases"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "audit_log" ADD CONSTRAINT "audit_log_vehicle_id_vehicles_id_fk" FOREIGN KEY ("vehicle_id") REFERENCES "public"."vehicles"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "firmware_changes" ADD CONSTRAINT "firmware_changes_vehicle_id_vehicles_id_fk" FOREIGN KEY ("vehicle_id") REFERENCES "public"."vehicles"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "install_counts" ADD CONSTRAINT "install_counts_release_id_releases_id_fk" FOREIGN KEY ("release_id") REFERENCES "public"."releases"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "queue_counts" ADD CONSTRAINT "queue_counts_release_id_releases_id_fk" FOREIGN KEY ("release_id") REFERENCES "public"."releases"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "release_events" ADD CONSTRAINT "release_events_release_id_releases_id_fk" FOREIGN KEY ("release_id") REFERENCES "public"."releases"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "share_links" ADD CONSTRAINT "share_links_vehicle_id_vehicles_id_fk" FOREIGN KEY ("vehicle_id") REFERENCES "public"."vehicles"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "share_links" ADD CONSTRAINT "share_links_created_by_api_keys_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."api_keys"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "support_cases" ADD CONSTRAINT "support_cases_vehicle_id_vehicles_id_fk" FOREIGN KEY ("vehicle_id") REFERENCES "public"."vehicles"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "support_cases" ADD CONSTRAINT "support_cases_release_id_releases_id_fk" FOREIGN KEY ("release_id") REFERENCES "public"."releases"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "support_cases" ADD CONSTRAINT "support_cases_created_by_api_keys_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."api_keys"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "update_events" ADD CONSTRAINT "update_events_vehicle_id_vehicles_id_fk" FOREIGN KEY ("vehicle_id") REFERENCES "public"."vehicles"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "update_events" ADD CONSTRAINT "update_events_release_id_releases_id_fk" FOREIGN KEY ("release_id") REFERENCES "public"."releases"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "waves" ADD CONSTRAINT "waves_release_id_releases_id_fk" FOREIGN KEY ("release_id") REFERENCES "public"."releases"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "webhook_deliveries" ADD CONSTRAINT "webhook_deliveries_webhook_id_webhooks_id_fk" FOREIGN KEY ("webhook_id") REFERENCES "public"."webhooks"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "api_keys_token_hash_key" ON "api_keys" USING btree ("token_hash");--> statement-breakpoint
CREATE INDEX "audit_log_at_idx" ON "audit_log" USING btree ("at");--> statement-breakpoint
CREATE INDEX "audit_log_release_idx" ON "audit_log" USING btree ("release_id","at");--> statement-breakpoint
CREATE INDEX "audit_log_actor_idx" ON "audit_log" USING btree ("actor","at");--> statement-breakpoint
CREATE INDEX "firmware_changes_vehicle_idx" ON "firmware_changes" USING btree ("vehicle_id","at");--> statement-breakpoint
CREATE UNIQUE INDEX "queue_entries_release_position_key" ON "queue_entries" USING btree ("release_id","position");--> statement-breakpoint
CREATE INDEX "release_events_release_idx" ON "release_events" USING btree ("release_id","at");--> statement-breakpoint
CREATE UNIQUE INDEX "releases_version_key" ON "releases" USING btree ("version");--> statement-breakpoint
CREATE INDEX "releases_channel_state_idx" ON "releases" USING btree ("channel","state","version_parts");--> statement-breakpoint
CREATE INDEX "share_links_code_hash_idx" ON "share_links" USING hash ("code_hash");--> statement-breakpoint
CREATE INDEX "share_links_vehicle_idx" ON "share_links" USING btree ("vehicle_id");--> statement-breakpoint
CREATE INDEX "support_cases_vehicle_idx" ON "support_cases" USING btree ("vehicle_id");--> statement-breakpoint
CREATE INDEX "support_cases_release_wave_idx" ON "support_cases" USING btree ("release_id","wave_index");--> statement-breakpoint
CREATE UNIQUE INDEX "update_events_event_id_key" ON "update_events" USING btree ("event_id");--> statement-breakpoint
CREATE INDEX "update_events_vehicle_idx" ON "update_events" USING btree ("vehicle_id","at");--> statement-breakpoint
CREATE INDEX "update_events_release_installed_idx" ON "update_events" USING btree ("release_id","at") WHERE state = 'installed';--> statement-breakpoint
CREATE UNIQUE INDEX "vehicles_vin_key" ON "vehicles" USING btree ("vin");--> statement-breakpoint
CREATE INDEX "vehicles_owner_code_hash_idx" ON "vehicles" USING hash ("owner_code_hash");--> statement-breakpoint
CREATE INDEX "vehicles_device_token_hash_idx" ON "vehicles" USING hash ("device_token_hash");--> statement-breakpoint
CREATE INDEX "webhook_deliveries_due_idx" ON "webhook_deliveries" USING btree ("next_attempt_at") WHERE delivered_at is null;