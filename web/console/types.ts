// The API shapes the console reads (see /openapi.json).

export const updateStates = ["queued", "offered", "downloading", "installing", "installed", "failed", "cancelled", "skipped"] as const;
export type UpdateState = (typeof updateStates)[number];
export type StateCounts = Record<UpdateState, number>;
export type ReleaseState = "draft" | "rolling_out" | "paused" | "completed" | "halted";

export type AutoAdvance = { minSuccessPercent: number; soakMinutes: number };
export type StopAt = { maxFailurePercent: number; minSample: number; action: "pause" | "halt" };

export type WavePlanItem = {
  name: string;
  share: number;
  ratePerHour?: number;
  startAt?: string;
  autoAdvance?: AutoAdvance;
  stopAt?: StopAt;
};

export type Wave = {
  index: number;
  name: string;
  share: number;
  ratePerHour: number | null;
  startAt: string | null;
  autoAdvance: AutoAdvance | null;
  stopAt: StopAt | null;
  state: "pending" | "active" | "done";
  openedAt: string | null;
  doneAt: string | null;
  from: number;
  to: number;
  size: number;
};

export type Release = {
  version: string;
  channel: "stable" | "beta";
  notes: string;
  eligibility: { models?: string[]; hardware?: string[]; regions?: string[]; minVersion?: string };
  state: ReleaseState;
  haltReason: string | null;
  notice: { kind: "paused" | "halted"; message: string; at: string } | null;
  total: number;
  offeredThrough: number;
  counts: StateCounts;
  waves: Wave[];
  createdAt: string;
  startedAt: string | null;
  completedAt: string | null;
};

export type ProgressWave = {
  index: number;
  name: string;
  share: number;
  from: number;
  to: number;
  size: number;
  state: "pending" | "active" | "done";
  offered: number;
  counts: StateCounts;
  failureRate: number;
  maxFailureRate?: number | null;
  cases: number;
};

export type Progress = {
  version: string;
  state: string;
  total: number;
  waves: ProgressWave[];
  installsOverTime: { at: string; count: number }[];
  forecast?: { completion: string | null; waves: { index: number; start: string | null; end: string | null }[] };
};

export type ReplanPreview = {
  impact: {
    vehiclesChangingWave: number;
    moves: { fromWave: number | null; toWave: number | null; count: number }[];
    etaShift: { minMinutes: number; maxMinutes: number } | null;
    waves?: { index: number; name: string; share: number; from: number; to: number; size: number }[];
  };
  waves?: { index: number; name: string; share: number; from: number; to: number; size: number }[];
};

export type QueuePage = { entries: { position: number; vin: string; state: string; wave: number | null }[]; next: number | null };

export type VehicleDetail = {
  vehicle: { vin: string; model: string; hardware: string; region: string; channel: string; cohort: string; firmware: string; lastSeenAt: string | null; createdAt: string; updatedAt: string };
  history: { from: string | null; to: string; source: string; at: string }[];
  queue: { version: string; releaseState: string; position: number | null; state: string; offeredAt: string | null; updatedAt: string }[];
  events: { eventId: string; version: string; state: string; errorCode: string | null; at: string }[];
  cases: { reference: string; summary: string; version: string | null; waveIndex: number | null; createdAt: string }[];
  shareLinks: { id: number; expiresAt: string; revokedAt: string | null; createdAt: string }[];
};

export type CreatedShareLink = { id: number; url: string; code: string; expiresAt: string };

export type AuditPage = {
  entries: { id: number; at: string; actor: string; action: string; release: string | null; vin: string | null; before: unknown; after: unknown }[];
  next: number | null;
};
