// The owner's status: GET /v1/track/{code}, whose shape is fixed by the SPEC.
import type { ChannelChange, Track } from "../../src/routes/track/track.schemas";
import { apiFetch } from "../lib/api";

// The shape is the API's own (its zod schema), as a type only: nothing of the server enters the bundle.
export type { Track } from "../../src/routes/track/track.schemas";

const path = (code: string) => `/v1/track/${encodeURIComponent(code)}`;

export async function fetchTrack(code: string): Promise<Track> {
  return (await apiFetch<Track>(path(code))).data;
}

export async function changeChannel(code: string, channel: ChannelChange["channel"]): Promise<void> {
  await apiFetch(`${path(code)}/channel`, { method: "PUT", body: { channel } satisfies ChannelChange });
}

/** The code in `/t/{code}`, or null on the landing page. */
export function codeFromLocation(location: Location): string | null {
  const match = /^\/t\/([^/]+)\/?$/.exec(location.pathname);
  return match ? decodeURIComponent(match[1]!) : null;
}
