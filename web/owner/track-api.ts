// The owner's status: GET /v1/track/{code}, whose shape is fixed by the SPEC.
import { apiFetch } from "../lib/api";

export type UpdateState = "queued" | "offered" | "downloading" | "installing" | "installed" | "failed" | "cancelled";
export type TrackState = UpdateState | "not_eligible" | "up_to_date";
export type WaveState = "pending" | "active" | "done";

export type Track = {
  vehicle: { vin: string; model: string; firmware: string; channel?: "stable" | "beta" };
  release: { version: string; notes: string } | null;
  state: TrackState;
  reason?: string;
  /** Optional machine-readable rule behind `reason`, so the page can say it in the owner's language. */
  reasonCode?: string;
  /** `wave` is null when the position lies past the last wave's cut point (a plan short of 100%). */
  queue: { position: number; total: number; ahead: number; wave: { index: number; name: string; state: WaveState } | null } | null;
  eta: { earliest: string; latest: string } | null;
  notice: { kind: "paused" | "halted"; message: string; at: string } | null;
  timeline: { state: string; at: string; message?: string; channel?: string }[];
};

const path = (code: string) => `/v1/track/${encodeURIComponent(code)}`;

export async function fetchTrack(code: string): Promise<Track> {
  return (await apiFetch<Track>(path(code))).data;
}

export async function changeChannel(code: string, channel: "stable" | "beta"): Promise<void> {
  await apiFetch(`${path(code)}/channel`, { method: "PUT", body: { channel } });
}

/** The code in `/t/{code}`, or null on the landing page. */
export function codeFromLocation(location: Location): string | null {
  const match = /^\/t\/([^/]+)\/?$/.exec(location.pathname);
  return match ? decodeURIComponent(match[1]!) : null;
}
