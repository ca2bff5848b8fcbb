// Remembers the last ETA this browser showed for a code, so the page can say
// "your estimate moved later by 3 hours, because…". Stored under a hash of the
// code, never the code itself (anyone with the code can read the car's status).
import type { MessageKey } from "./messages-en";
import type { Track } from "./track-api";

type Eta = NonNullable<Track["eta"]>;
export type EtaMove = { byMs: number; why: MessageKey; at: string };
type Remembered = { eta: Eta; shownAt: string; move?: EtaMove };

/** Moves smaller than this are the clock's own jitter, not news. */
const noticeableMs = 30 * 60_000;
/** A move stays explained for a day, then the page stops repeating it. */
const keepMoveMs = 24 * 3_600_000;

const middle = (eta: Eta) => (Date.parse(eta.earliest) + Date.parse(eta.latest)) / 2;

function why(track: Track, since: string): MessageKey {
  const after = track.timeline.filter((e) => e.at > since);
  if (after.some((e) => e.state === "replanned")) return "etaWhyReplanned";
  if (after.some((e) => e.state === "paused" || e.state === "resumed")) return "etaWhyPaused";
  return "etaWhyPace";
}

export class EtaMemory {
  private constructor(private readonly key: string, private readonly storage: Storage) {}

  /** Null where storage or hashing is unavailable (private modes, plain-http hosts): the page works without the note. */
  static async open(code: string): Promise<EtaMemory | null> {
    try {
      const storage = window.localStorage;
      const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(code));
      const hex = Array.from(new Uint8Array(digest).slice(0, 12), (b) => b.toString(16).padStart(2, "0")).join("");
      return new EtaMemory(`rollout-tracker.eta.${hex}`, storage);
    } catch {
      return null;
    }
  }

  /** The move to explain now, if any, after remembering what this answer shows. */
  update(track: Track, now = new Date()): EtaMove | null {
    if (track.state !== "queued") return null;
    const last = this.read();
    // While there is no estimate (a pause) the last one is kept, so the one after it is compared with it.
    if (!track.eta) return null;
    let move = last?.move && now.getTime() - Date.parse(last.move.at) < keepMoveMs ? last.move : undefined;
    if (last?.eta) {
      const byMs = middle(track.eta) - middle(last.eta);
      if (Math.abs(byMs) >= noticeableMs) move = { byMs, why: why(track, last.shownAt), at: now.toISOString() };
    }
    const remembered: Remembered = { eta: track.eta, shownAt: now.toISOString(), ...(move ? { move } : {}) };
    try {
      this.storage.setItem(this.key, JSON.stringify(remembered));
    } catch {
      // A full or refused storage only costs the note.
    }
    return move ?? null;
  }

  private read(): Remembered | null {
    try {
      // Written by update() above; a value of another shape is ignored below.
      const value = JSON.parse(this.storage.getItem(this.key) ?? "null") as Remembered | null;
      return value && typeof value.shownAt === "string" ? value : null;
    } catch {
      return null;
    }
  }
}
