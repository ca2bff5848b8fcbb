// The API shapes the console reads (see /openapi.json). Releases come from
// the API's own zod schemas, as types only (esbuild erases them), so the
// console and the server cannot drift apart on what a release holds.
import type { Release as ApiRelease, ReleaseAction as ApiReleaseAction } from "../../src/routes/releases/releases.schemas";

export const updateStates = ["queued", "offered", "downloading", "installing", "installed", "failed", "cancelled", "skipped"] as const;
export type UpdateState = (typeof updateStates)[number];
export type StateCounts = Record<UpdateState, number>;
export type Release = ApiRelease;
export type ReleaseState = Release["state"];
export type ReleaseAction = ApiReleaseAction;
export type Wave = Release["waves"][number];

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
