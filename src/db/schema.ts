import { relations, sql } from "drizzle-orm";
import type { LocalizedList, LocalizedText } from "../domain/localized-text";
import {
  bigint,
  check,
  doublePrecision,
  index,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  primaryKey,
  smallint,
  text,
  timestamp,
  uniqueIndex,
} from "drizzle-orm/pg-core";
import type { Eligibility } from "../domain/eligibility";
import type { AutoAdvanceRule, StopRule } from "../domain/rollout-clock";

// One schema for the whole domain (SPEC: Domain). Tables that later issues fill
// (queue, events, cases, webhooks) are declared here already so the migrations
// stay additive and the hot-path indexes are designed together.

export const role = pgEnum("role", ["admin", "release_manager", "support", "gateway"]);
export const channel = pgEnum("channel", ["stable", "beta"]);
export const cohort = pgEnum("cohort", ["employee", "early_access", "standard"]);
export const releaseState = pgEnum("release_state", [
  "draft",
  "rolling_out",
  "paused",
  "completed",
  "halted",
]);
export const waveState = pgEnum("wave_state", ["pending", "active", "done"]);
export const updateState = pgEnum("update_state", [
  "queued",
  "offered",
  "downloading",
  "installing",
  "installed",
  "failed",
  "cancelled",
  "skipped",
]);

const createdAt = () => timestamp("created_at", { withTimezone: true }).notNull().defaultNow();
const at = (name: string) => timestamp(name, { withTimezone: true });

export const apiKeys = pgTable(
  "api_keys",
  {
    id: integer("id").primaryKey().generatedAlwaysAsIdentity(),
    label: text("label").notNull(),
    role: role("role").notNull(),
    // SHA-256 of the bearer token, hex. The token itself is shown once and never stored.
    tokenHash: text("token_hash").notNull(),
    createdAt: createdAt(),
    revokedAt: at("revoked_at"),
  },
  (t) => [uniqueIndex("api_keys_token_hash_key").on(t.tokenHash)],
);

// Pages are filled to 90% (migration 0010, a storage parameter drizzle does not
// model): an install rewrites the row, and the free tenth keeps that update HOT.
export const vehicles = pgTable(
  "vehicles",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    vin: text("vin").notNull(),
    model: text("model").notNull(),
    hardware: text("hardware").notNull(),
    region: text("region").notNull(),
    channel: channel("channel").notNull(),
    cohort: cohort("cohort").notNull(),
    firmware: text("firmware").notNull(),
    // Numeric parts of the firmware version: int[] compares part by part, so
    // eligibility (minimum version, already newer) is plain SQL over the fleet.
    firmwareParts: integer("firmware_parts")
      .array()
      .notNull()
      .generatedAlwaysAs(sql`string_to_array(firmware, '.')::int[]`),
    ownerCodeHash: text("owner_code_hash").notNull(),
    deviceTokenHash: text("device_token_hash").notNull(),
    lastSeenAt: at("last_seen_at"),
    createdAt: createdAt(),
    updatedAt: at("updated_at").notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("vehicles_vin_key").on(t.vin),
    // Hash indexes: lookups are by equality only, and a million random 64-character
    // keys make a btree slow to fill (measured: imports ~1.5× faster). Uniqueness
    // comes from 144 random bits per code, not from the index.
    index("vehicles_owner_code_hash_idx").using("hash", t.ownerCodeHash),
    index("vehicles_device_token_hash_idx").using("hash", t.deviceTokenHash),
  ],
);

// Every change of a vehicle's firmware (registration updates, imports, installs).
// The firmware it was registered with is the first change's `from`, or its
// current firmware when it never changed: not stored again for every vehicle.
// No foreign key, like queue_entries and update_events: rows are written only
// by statements that read (and lock) the vehicle in the same transaction, and
// the per-row check cost more than the insert (migration report_rows_without_fk_checks,
// which also keeps the cascade on delete with a trigger on vehicles).
export const firmwareChanges = pgTable(
  "firmware_changes",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    vehicleId: bigint("vehicle_id", { mode: "number" }).notNull(),
    fromFirmware: text("from_firmware"),
    toFirmware: text("to_firmware").notNull(),
    source: text("source").notNull(),
    at: at("at").notNull().defaultNow(),
  },
  (t) => [index("firmware_changes_vehicle_idx").on(t.vehicleId, t.at)],
);

// The rules' shapes are the domain's; the schema only stores them.
export type { Eligibility } from "../domain/eligibility";

export const releasePurposes = ["security", "safety", "recall", "fix", "feature"] as const;
export type ReleasePurpose = (typeof releasePurposes)[number];

export const releases = pgTable(
  "releases",
  {
    id: integer("id").primaryKey().generatedAlwaysAsIdentity(),
    version: text("version").notNull(),
    versionParts: integer("version_parts")
      .array()
      .notNull()
      .generatedAlwaysAs(sql`string_to_array(version, '.')::int[]`),
    channel: channel("channel").notNull(),
    notes: text("notes").notNull().default(""),
    // Localized text as written (a string or {"en": …, "nl": …}); the text columns
    // beside them keep the English for readers that want one plain string.
    notesLocalized: jsonb("notes_localized").$type<LocalizedText>(),
    // What UN R156 §7 says a user must be able to learn before an update; all optional.
    purpose: text("purpose").$type<ReleasePurpose>(),
    installMinutes: integer("install_minutes"),
    unavailableDuring: jsonb("unavailable_during").$type<LocalizedList>(),
    instructions: jsonb("instructions").$type<LocalizedList>(),
    eligibility: jsonb("eligibility").$type<Eligibility>().notNull().default({}),
    state: releaseState("state").notNull().default("draft"),
    // Seeds the fair pseudo-random queue order; fixed at creation so a queue is reproducible.
    seed: integer("seed").notNull(),
    queueSize: integer("queue_size").notNull().default(0),
    // Positions 1..offeredThrough have been offered: the frontier a re-plan may never cross back.
    offeredThrough: integer("offered_through").notNull().default(0),
    // The rate clock of the active wave: it offers ratePerHour from clockStartedAt on,
    // counting from offeredAtClockStart. Reset when a wave opens and on resume, so
    // paused time never counts.
    clockStartedAt: at("clock_started_at"),
    offeredAtClockStart: integer("offered_at_clock_start").notNull().default(0),
    // When the release was paused (null unless paused): resuming moves the soak timer
    // on by the paused time, so pausing stops soak timers too.
    pausedAt: at("paused_at"),
    // Bumped on every change a client could have cached; the ETag derives from it.
    revision: integer("revision").notNull().default(1),
    haltReason: text("halt_reason"),
    noticeKind: text("notice_kind").$type<"paused" | "halted">(),
    noticeMessage: text("notice_message"),
    noticeMessageLocalized: jsonb("notice_message_localized").$type<LocalizedText>(),
    noticeAt: at("notice_at"),
    startedAt: at("started_at"),
    completedAt: at("completed_at"),
    createdAt: createdAt(),
    updatedAt: at("updated_at").notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("releases_version_key").on(t.version),
    index("releases_channel_state_idx").on(t.channel, t.state, t.versionParts),
  ],
);


export const waves = pgTable(
  "waves",
  {
    releaseId: integer("release_id")
      .notNull()
      .references(() => releases.id, { onDelete: "cascade" }),
    index: integer("index").notNull(),
    name: text("name").notNull(),
    nameLocalized: jsonb("name_localized").$type<LocalizedText>(),
    // Cumulative percentage of the queue this wave reaches (its cut point).
    share: doublePrecision("share").notNull(),
    ratePerHour: integer("rate_per_hour"),
    startAt: at("start_at"),
    autoAdvance: jsonb("auto_advance").$type<AutoAdvanceRule>(),
    stopAt: jsonb("stop_at").$type<StopRule>(),
    state: waveState("state").notNull().default("pending"),
    openedAt: at("opened_at"),
    // When the last vehicle of the wave got its offer (a fact; the soak counts from soakStartedAt).
    fullyOfferedAt: at("fully_offered_at"),
    // The soak counts from here: fullyOfferedAt, moved on by paused time on resume.
    soakStartedAt: at("soak_started_at"),
    // The wave's reach when first fully offered: completion never waits for later joiners.
    fullyOfferedThrough: integer("fully_offered_through"),
    doneAt: at("done_at"),
  },
  (t) => [primaryKey({ columns: [t.releaseId, t.index] })],
);

export const releaseRelations = relations(releases, ({ many }) => ({ waves: many(waves) }));
export const waveRelations = relations(waves, ({ one }) => ({
  release: one(releases, { fields: [waves.releaseId], references: [releases.id] }),
}));

// A vehicle's place in a release's queue. No foreign keys here on purpose:
// rows are only written by set-based statements that select the vehicle and
// the release in the same transaction, and per-row FK checks were half the
// time of starting a million-vehicle release (measured: 1.9 s of 3.5 s per 100k).
export const queueEntries = pgTable(
  "queue_entries",
  {
    releaseId: integer("release_id").notNull(),
    vehicleId: bigint("vehicle_id", { mode: "number" }).notNull(),
    // Null for vehicles skipped at the start (already on this version or newer).
    position: integer("position"),
    state: updateState("state").notNull().default("queued"),
    // The `at` of the report that set the state: a late, older report never undoes a newer one.
    stateAt: at("state_at"),
    offeredAt: at("offered_at"),
    // When the vehicle joined this queue: the release's start, or later for late joiners.
    joinedAt: at("joined_at"),
    updatedAt: at("updated_at").notNull().defaultNow(),
  },
  (t) => [
    // Vehicle first: serves "this vehicle in this release" and "this vehicle in every release".
    primaryKey({ columns: [t.vehicleId, t.releaseId] }),
    uniqueIndex("queue_entries_release_position_key").on(t.releaseId, t.position),
  ],
);

// Per-state counts of a release's queue, kept per block of positions so that
// progress per wave (a position range) never scans a million rows: full blocks
// are summed from here, only the two partial edge blocks are counted live.
// A statement-level trigger on queue_entries keeps them exact in the same
// transaction as every change (migration queue_counters_trigger); block -1
// holds the entries without a position (skipped at the start).
// Each count is split over stripes (migration stripe_queue_counters): writers
// use stripe 1 + backend pid modulo 8, so concurrent report batches update rows
// of their own instead of queueing on each other's row locks; the clock folds
// them into stripe 0 on every tick (foldCounterStripes). Reads sum the stripes.
// Pages are filled to a tenth (migration 0012, a storage parameter drizzle does
// not model): a report batch updates ~1,000 of these rows in one statement,
// and the free nine tenths keep those updates HOT.
export const queueCounts = pgTable(
  "queue_counts",
  {
    releaseId: integer("release_id")
      .notNull()
      .references(() => releases.id, { onDelete: "cascade" }),
    block: integer("block").notNull(),
    state: updateState("state").notNull(),
    stripe: smallint("stripe").notNull().default(0),
    count: integer("count").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.releaseId, t.block, t.state, t.stripe] }),
    // What the clock has yet to fold into stripe 0 (foldCounterStripes): found without a scan.
    index("queue_counts_unfolded").on(t.releaseId, t.block, t.state, t.stripe).where(sql`stripe <> 0`),
  ],
);

// The same counts per release (all positions), kept by the same trigger, so
// release lists and re-plans read a few dozen rows whatever the fleet size.
export const releaseCounts = pgTable(
  "release_counts",
  {
    releaseId: integer("release_id")
      .notNull()
      .references(() => releases.id, { onDelete: "cascade" }),
    state: updateState("state").notNull(),
    stripe: smallint("stripe").notNull().default(0),
    count: integer("count").notNull(),
  },
  (t) => [primaryKey({ columns: [t.releaseId, t.state, t.stripe] })],
);

// Installs per release and hour (for "installs over time"), kept by the same trigger, striped too.
export const installCounts = pgTable(
  "install_counts",
  {
    releaseId: integer("release_id")
      .notNull()
      .references(() => releases.id, { onDelete: "cascade" }),
    hour: timestamp("hour", { withTimezone: true }).notNull(),
    stripe: smallint("stripe").notNull().default(0),
    count: integer("count").notNull(),
  },
  (t) => [primaryKey({ columns: [t.releaseId, t.hour, t.stripe] })],
);

// Vehicle reports, kept whole: idempotency by event id and the owner's timeline.
// No foreign keys: a batch of 1,000 reports paid 2,000 per-row checks (a third
// of its database time) for ids it had just read from the locked queue entries.
// Deleting a vehicle or a release still deletes its reports (a statement
// trigger, migration report_rows_without_fk_checks).
// Every index here is written by every report (migration
// report_rows_fewer_indexes): the event id is the key, with no surrogate id
// beside it that nothing read, and there is no index that no query uses.
export const updateEvents = pgTable(
  "update_events",
  {
    eventId: text("event_id").primaryKey(),
    vehicleId: bigint("vehicle_id", { mode: "number" }).notNull(),
    releaseId: integer("release_id"),
    version: text("version").notNull(),
    state: updateState("state").notNull(),
    errorCode: text("error_code"),
    at: at("at").notNull(),
    receivedAt: at("received_at").notNull().defaultNow(),
  },
  (t) => [
    index("update_events_vehicle_idx").on(t.vehicleId, t.at),
    // Known issues count the cars of a release whose failed report carries one of their error codes.
    index("update_events_release_failed_code_idx")
      .on(t.releaseId, t.errorCode)
      .where(sql`state = 'failed'`),
  ],
);

// Things that happened to a release or one of its waves (opened, paused, …):
// the owner's timeline merges these with the vehicle's own events.
export const releaseEvents = pgTable(
  "release_events",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    releaseId: integer("release_id")
      .notNull()
      .references(() => releases.id, { onDelete: "cascade" }),
    waveIndex: integer("wave_index"),
    kind: text("kind").notNull(),
    message: text("message"),
    messageLocalized: jsonb("message_localized").$type<LocalizedText>(),
    at: at("at").notNull(),
  },
  (t) => [index("release_events_release_idx").on(t.releaseId, t.at)],
);

export const shareLinks = pgTable(
  "share_links",
  {
    id: integer("id").primaryKey().generatedAlwaysAsIdentity(),
    vehicleId: bigint("vehicle_id", { mode: "number" })
      .notNull()
      .references(() => vehicles.id, { onDelete: "cascade" }),
    codeHash: text("code_hash").notNull(),
    createdBy: integer("created_by").references(() => apiKeys.id),
    expiresAt: at("expires_at").notNull(),
    revokedAt: at("revoked_at"),
    createdAt: createdAt(),
  },
  (t) => [
    index("share_links_code_hash_idx").using("hash", t.codeHash),
    index("share_links_vehicle_idx").on(t.vehicleId),
  ],
);

export const supportCases = pgTable(
  "support_cases",
  {
    id: integer("id").primaryKey().generatedAlwaysAsIdentity(),
    reference: text("reference").notNull(),
    summary: text("summary").notNull().default(""),
    vehicleId: bigint("vehicle_id", { mode: "number" })
      .notNull()
      .references(() => vehicles.id, { onDelete: "cascade" }),
    releaseId: integer("release_id").references(() => releases.id, { onDelete: "set null" }),
    waveIndex: integer("wave_index"),
    // The known issue support recognised in the case (it belongs to the case's release).
    knownIssueId: integer("known_issue_id").references(() => knownIssues.id, { onDelete: "set null" }),
    createdBy: integer("created_by").references(() => apiKeys.id),
    createdAt: createdAt(),
  },
  (t) => [
    index("support_cases_vehicle_idx").on(t.vehicleId),
    index("support_cases_release_wave_idx").on(t.releaseId, t.waveIndex),
    index("support_cases_known_issue_idx").on(t.knownIssueId),
  ],
);

export const knownIssueStatuses = ["investigating", "workaround", "fixed"] as const;
export type KnownIssueStatus = (typeof knownIssueStatuses)[number];

// The knowledge base of a release (SPEC: Known issues): written by release
// managers and support, read by owners in their language.
export const knownIssues = pgTable(
  "known_issues",
  {
    id: integer("id").primaryKey().generatedAlwaysAsIdentity(),
    releaseId: integer("release_id")
      .notNull()
      .references(() => releases.id, { onDelete: "cascade" }),
    title: jsonb("title").$type<LocalizedText>().notNull(),
    body: jsonb("body").$type<LocalizedText>().notNull(),
    status: text("status").$type<KnownIssueStatus>().notNull(),
    fixedIn: text("fixed_in"),
    errorCodes: text("error_codes").array().notNull().default(sql`'{}'::text[]`),
    createdBy: text("created_by").notNull(),
    updatedBy: text("updated_by").notNull(),
    createdAt: createdAt(),
    updatedAt: at("updated_at").notNull().defaultNow(),
  },
  (t) => [
    index("known_issues_release_idx").on(t.releaseId),
    check("known_issues_status_check", sql`${t.status} in ('investigating', 'workaround', 'fixed')`),
  ],
);

export const auditLog = pgTable(
  "audit_log",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    at: at("at").notNull().defaultNow(),
    // "key:<id> <label>", "rule:<name>" or "owner": who did it, readable on its own.
    actor: text("actor").notNull(),
    action: text("action").notNull(),
    releaseId: integer("release_id").references(() => releases.id, { onDelete: "set null" }),
    vehicleId: bigint("vehicle_id", { mode: "number" }).references(() => vehicles.id, {
      onDelete: "set null",
    }),
    before: jsonb("before"),
    after: jsonb("after"),
  },
  (t) => [
    index("audit_log_at_idx").on(t.at),
    index("audit_log_release_idx").on(t.releaseId, t.at),
    index("audit_log_actor_idx").on(t.actor, t.at),
    // The owner's timeline shows their own channel changes; support reads a vehicle's trail.
    index("audit_log_vehicle_idx").on(t.vehicleId, t.at),
  ],
);

export const webhooks = pgTable("webhooks", {
  id: integer("id").primaryKey().generatedAlwaysAsIdentity(),
  url: text("url").notNull(),
  eventTypes: text("event_types").array().notNull(),
  // HMAC needs the secret itself, so it cannot be hashed like a bearer key;
  // it only signs outgoing events and grants no access to this API.
  secret: text("secret").notNull(),
  createdAt: createdAt(),
  disabledAt: at("disabled_at"),
});

// Durable outbox: events are written in the same transaction as the change,
// and delivered (with retries) outside any request.
export const webhookDeliveries = pgTable(
  "webhook_deliveries",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    webhookId: integer("webhook_id")
      .notNull()
      .references(() => webhooks.id, { onDelete: "cascade" }),
    eventType: text("event_type").notNull(),
    payload: jsonb("payload").notNull(),
    attempts: integer("attempts").notNull().default(0),
    nextAttemptAt: at("next_attempt_at").notNull().defaultNow(),
    deliveredAt: at("delivered_at"),
    lastError: text("last_error"),
    createdAt: createdAt(),
  },
  (t) => [
    index("webhook_deliveries_due_idx")
      .on(t.nextAttemptAt)
      .where(sql`delivered_at is null`),
  ],
);

// Server-wide values generated once and kept (the VAPID key pair when no
// VAPID_* is configured): every instance and restart must sign with the same key.
export const settings = pgTable("settings", {
  name: text("name").primaryKey(),
  value: jsonb("value").notNull(),
  createdAt: createdAt(),
});

// A browser subscribed to an owner's notifications (Web Push). The code is
// kept only as the hash it had when subscribing: a subscription counts only
// while its vehicle's owner code is still that one, so it dies with its code.
export const pushSubscriptions = pgTable(
  "push_subscriptions",
  {
    id: integer("id").primaryKey().generatedAlwaysAsIdentity(),
    vehicleId: bigint("vehicle_id", { mode: "number" })
      .notNull()
      .references(() => vehicles.id, { onDelete: "cascade" }),
    codeHash: text("code_hash").notNull(),
    endpoint: text("endpoint").notNull(),
    // The browser's ECDH P-256 public key and auth secret (base64url), needed to encrypt for it.
    p256dh: text("p256dh").notNull(),
    auth: text("auth").notNull(),
    lang: text("lang").notNull(),
    events: text("events").array().notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    // One browser may follow several cars, each once.
    uniqueIndex("push_subscriptions_vehicle_endpoint_key").on(t.vehicleId, t.endpoint),
  ],
);

// The push outbox, like webhook_deliveries: written in the transaction of the
// change, sent (encrypted, in the subscriber's language) outside any request.
export const pushDeliveries = pgTable(
  "push_deliveries",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    subscriptionId: integer("subscription_id")
      .notNull()
      .references(() => pushSubscriptions.id, { onDelete: "cascade" }),
    event: text("event").notNull(),
    payload: jsonb("payload").notNull(),
    attempts: integer("attempts").notNull().default(0),
    nextAttemptAt: at("next_attempt_at").notNull().defaultNow(),
    deliveredAt: at("delivered_at"),
    lastError: text("last_error"),
    createdAt: createdAt(),
  },
  (t) => [
    index("push_deliveries_due_idx")
      .on(t.nextAttemptAt)
      .where(sql`delivered_at is null`),
    index("push_deliveries_subscription_idx").on(t.subscriptionId),
  ],
);
