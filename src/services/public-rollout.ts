import { sql } from "drizzle-orm";
import type { Db, DbOrTx } from "../db/client";
import { prepared } from "../db/prepared";
import { vehicles } from "../db/schema";
import { notFound } from "../domain/errors";
import { type FleetRow, type PublicReleaseInput, fleetView, isPublicAtAll, isPublicNow, publicMaxAgeSeconds, publicReleaseView } from "../domain/public-rollout";
import type { StateCounts } from "../domain/update-state";
import type { Clock } from "../lib/clock";
import { countsByWave } from "./queue-counts";
import { type ReleaseView, loadReleases } from "./releases";

// The public rollout page is read by everyone at once on a release day and
// says the same to all of them: each answer is computed at most once per
// max-age (as unlocalized data; the reader's language is picked per request),
// so a million readers cost the database what one does.

const fleetQuery = (db: DbOrTx) =>
  db
    .select({ firmware: vehicles.firmware, model: vehicles.model, region: vehicles.region, vehicles: sql<number>`count(*)::int` })
    .from(vehicles)
    .groupBy(vehicles.firmware, vehicles.model, vehicles.region)
    .prepare("public_fleet");

type Published = { release: PublicReleaseInput; counts: StateCounts[] };

async function withCounts(db: Db, release: ReleaseView): Promise<Published> {
  const counts = await countsByWave(db, release.id, release.waves);
  // Readers get wave names in their language; the plain name column is the English.
  return { release: { ...release, waves: release.waves.map((w) => ({ ...w, name: w.nameLocalized })) }, counts };
}

async function startedRelease(db: Db, version: string) {
  const [release] = await loadReleases(db, { version });
  if (!release || !isPublicAtAll(release)) throw notFound(`Release ${version}`);
  return withCounts(db, release);
}

/** A value recomputed at most once per `maxAgeMs`; readers in the meantime share the one in flight. */
function memo<T>(clock: Clock, maxAgeMs: number, compute: () => Promise<T>) {
  let cached: { at: number; value: Promise<T> } | null = null;
  return () => {
    const now = clock.now().getTime();
    if (!cached || now - cached.at >= maxAgeMs) {
      const value = compute();
      cached = { at: now, value };
      // A failure is not kept: the next reader tries again.
      value.catch(() => {
        if (cached?.value === value) cached = null;
      });
    }
    return cached.value;
  };
}

export type PublicRollout = ReturnType<typeof publicRollout>;

export function publicRollout({ db, clock, maxAgeMs = publicMaxAgeSeconds * 1000 }: { db: Db; clock: Clock; maxAgeMs?: number }) {
  const published = memo(clock, maxAgeMs, async () => {
    const now = clock.now();
    const releases = (await loadReleases(db)).filter((r) => isPublicAtAll(r));
    return { now, all: await Promise.all(releases.map((r) => withCounts(db, r))) };
  });
  const fleet = memo(clock, maxAgeMs, async () => fleetView(await prepared(db, "public_fleet", fleetQuery).execute()));
  return {
    /** Releases rolling out, paused, or completed in the last 30 days, newest version first. */
    async releases(tag: string) {
      const { now, all } = await published();
      return all.filter((p) => isPublicNow(p.release, now)).map((p) => publicReleaseView(p.release, p.counts, tag));
    },
    /** One started release by version (a halted or older one too: links to it keep working). */
    async release(version: string, tag: string) {
      const { all } = await published();
      // One started since the last refresh is read directly rather than denied for up to max-age.
      const found = all.find((p) => p.release.version === version) ?? (await startedRelease(db, version));
      return publicReleaseView(found.release, found.counts, tag);
    },
    fleet: (): Promise<ReturnType<typeof fleetView>> => fleet(),
  };
}

export type { FleetRow };
