import { type LocalizedText, pickLocalized } from "./localized-text";
import type { StateCounts } from "./update-state";

// What anyone may see of a rollout (SPEC: Public rollout page): how far each
// release and wave has come, as percentages of the queue, and which firmware
// the fleet runs. Nothing here names a vehicle, and no count is small enough
// to point at one: fleet buckets under `minBucket` vehicles fold into "other".

/** A bucket smaller than this could single out a car: it is folded into "other". */
export const minBucket = 20;
export const otherBucket = "other";

/** How long public answers may be reused (Cache-Control max-age, and the server's own memo). */
export const publicMaxAgeSeconds = 30;

/** Completed releases stay on the public page this long after they completed. */
export const completedShownDays = 30;

type Notice = { kind: "paused" | "halted"; message: LocalizedText; at: Date };

export type PublicReleaseInput = {
  version: string;
  channel: "stable" | "beta";
  state: "draft" | "rolling_out" | "paused" | "completed" | "halted";
  notes: LocalizedText;
  notice: Notice | null;
  queueSize: number;
  offeredThrough: number;
  startedAt: Date | null;
  completedAt: Date | null;
  waves: { index: number; name: LocalizedText; share: number; state: "pending" | "active" | "done"; from: number; size: number }[];
};

/** Whether a release belongs on the public page now: rolling out, paused, or completed in the last 30 days. */
export function isPublicNow(release: Pick<PublicReleaseInput, "state" | "completedAt">, now: Date): boolean {
  if (release.state === "rolling_out" || release.state === "paused") return true;
  if (release.state !== "completed" || !release.completedAt) return false;
  return now.getTime() - release.completedAt.getTime() <= completedShownDays * 86_400_000;
}

/** A release a reader may look up by version: anything that has started (drafts are nobody's business yet). */
export const isPublicAtAll = (release: Pick<PublicReleaseInput, "state">) => release.state !== "draft";

/** Percent with one decimal: precise enough for a progress bar, never a count. */
export const percentOf = (part: number, whole: number) => (whole > 0 ? Math.round((1000 * Math.min(part, whole)) / whole) / 10 : 0);

/** The wave offering now, else the last one that opened: what "wave 2 of 4" names. */
function currentWaveOf(waves: PublicReleaseInput["waves"]) {
  return waves.find((w) => w.state === "active") ?? [...waves].reverse().find((w) => w.state === "done") ?? null;
}

/** The public view of a release in the reader's language, from its row and each wave's state counts. */
export function publicReleaseView(release: PublicReleaseInput, waveCounts: StateCounts[], tag: string) {
  const text = (value: LocalizedText) => pickLocalized(value, tag);
  const installed = waveCounts.reduce((sum, counts) => sum + counts.installed, 0);
  const current = currentWaveOf(release.waves);
  return {
    version: release.version,
    channel: release.channel,
    state: release.state,
    notes: text(release.notes),
    notice: release.notice && { kind: release.notice.kind, message: text(release.notice.message), at: release.notice.at },
    startedAt: release.startedAt,
    completedAt: release.completedAt,
    currentWave: current && { index: current.index, name: text(current.name), of: release.waves.length },
    offeredPercent: percentOf(release.offeredThrough, release.queueSize),
    installedPercent: percentOf(installed, release.queueSize),
    waves: release.waves.map((wave, i) => ({
      index: wave.index,
      name: text(wave.name),
      share: wave.share,
      state: wave.state,
      offeredPercent: percentOf(Math.max(0, release.offeredThrough - wave.from + 1), wave.size),
      installedPercent: percentOf(waveCounts[i]?.installed ?? 0, wave.size),
    })),
  };
}

export type FleetRow = { firmware: string; model: string; region: string; vehicles: number };
export type VersionShare = { version: string; vehicles: number; percent: number };
export type FleetGroup = { name: string; vehicles: number; versions: VersionShare[] };

/** Versions newest first (numeric parts), "other" last. */
function byVersionDescending(a: VersionShare, b: VersionShare) {
  if (a.version === otherBucket || b.version === otherBucket) return a.version === otherBucket ? 1 : -1;
  const pa = a.version.split(".").map(Number);
  const pb = b.version.split(".").map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) if ((pa[i] ?? 0) !== (pb[i] ?? 0)) return (pb[i] ?? 0) - (pa[i] ?? 0);
  return 0;
}

/** Vehicles per version of some rows, buckets under minBucket folded into "other", with their share. */
export function versionShares(rows: readonly FleetRow[]): VersionShare[] {
  const total = rows.reduce((sum, r) => sum + r.vehicles, 0);
  const perVersion = new Map<string, number>();
  for (const row of rows) perVersion.set(row.firmware, (perVersion.get(row.firmware) ?? 0) + row.vehicles);
  let other = 0;
  const shares: VersionShare[] = [];
  for (const [version, vehicles] of perVersion) {
    if (vehicles < minBucket) other += vehicles;
    else shares.push({ version, vehicles, percent: percentOf(vehicles, total) });
  }
  if (other > 0) shares.push({ version: otherBucket, vehicles: other, percent: percentOf(other, total) });
  return shares.sort(byVersionDescending);
}

/** Groups (models or regions) with their version shares; a group under minBucket vehicles folds into "other". */
export function fleetGroups(rows: readonly FleetRow[], key: "model" | "region"): FleetGroup[] {
  const groupSize = new Map<string, number>();
  for (const row of rows) groupSize.set(row[key], (groupSize.get(row[key]) ?? 0) + row.vehicles);
  const perGroup = new Map<string, FleetRow[]>();
  for (const row of rows) {
    const name = (groupSize.get(row[key]) ?? 0) < minBucket ? otherBucket : row[key];
    perGroup.set(name, [...(perGroup.get(name) ?? []), row]);
  }
  return [...perGroup]
    .map(([name, groupRows]) => ({ name, vehicles: groupRows.reduce((sum, r) => sum + r.vehicles, 0), versions: versionShares(groupRows) }))
    .sort((a, b) => (a.name === otherBucket ? 1 : b.name === otherBucket ? -1 : b.vehicles - a.vehicles || a.name.localeCompare(b.name)));
}

/** The fleet's public picture: versions overall, by model and by region. */
export function fleetView(rows: readonly FleetRow[]) {
  return {
    vehicles: rows.reduce((sum, r) => sum + r.vehicles, 0),
    versions: versionShares(rows),
    byModel: fleetGroups(rows, "model"),
    byRegion: fleetGroups(rows, "region"),
  };
}
