// The owner's status: GET /v1/track/{code}, whose shape is fixed by the SPEC.
import type { ChannelChange, Track } from "../../src/routes/track/track.schemas";
import { apiFetch } from "../lib/api";

// The shape is the API's own (its zod schema), as a type only: nothing of the server enters the bundle.
export type { Track } from "../../src/routes/track/track.schemas";

const path = (code: string) => `/v1/track/${encodeURIComponent(code)}`;

/** In `lang`, so notes, wave names and notices follow the page's language switch. */
export async function fetchTrack(code: string, lang: string): Promise<Track> {
  return (await apiFetch<Track>(`${path(code)}?lang=${encodeURIComponent(lang)}`)).data;
}

export async function changeChannel(code: string, channel: ChannelChange["channel"]): Promise<void> {
  await apiFetch(`${path(code)}/channel`, { method: "PUT", body: { channel } satisfies ChannelChange });
}

/** The code in `/t/{code}`, or null on the landing page. */
export function codeFromLocation(location: Location): string | null {
  const match = /^\/t\/([^/]+)\/?$/.exec(location.pathname);
  return match ? decodeURIComponent(match[1]!) : null;
}

// The same rule as the API's CodeParams (src/routes/track/track.schemas.ts): checked
// here so a mistyped code gets the friendly page without a round trip.
const codePattern = /^[A-Za-z0-9_-]{16,64}$/;

export const isTrackingCode = (code: string): boolean => codePattern.test(code);
