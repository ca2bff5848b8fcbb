// The bench's fleets, made in SQL (a million rows in seconds instead of an
// import's half minute) with owner codes the load generator can recompute:
// code_i = prefix + i as 10 digits, stored as its SHA-256 exactly as the app
// stores a random code. Such codes are guessable: they exist only in the
// throw-away bench database, never in the product.
import { sql } from "drizzle-orm";
import postgres from "postgres";
import type { Db } from "../../../src/db/client";
import { connectPostgres } from "../../../src/db/postgres";
import { migratePostgresDb } from "../../../src/node/migrate";

export type Fleet = { region: string; vinPrefix: string; codePrefix: string; size: number };

export function fleet(region: string, size: number): Fleet {
  // VIN letters: never I, O or Q.
  return { region, vinPrefix: `${region}C`, codePrefix: `bench_${region}_`, size };
}

export const codeOf = (f: Fleet, i: number) => f.codePrefix + String(i).padStart(10, "0");

/** vinPrefix(3) + i div 1000 (6) + 00000 + i mod 1000 (3): the masked VIN (first 9, last 3) still names i. */
export const vinOf = (f: Fleet, i: number) =>
  f.vinPrefix + String(Math.floor(i / 1000)).padStart(6, "0") + "00000" + String(i % 1000).padStart(3, "0");

export const maskedVinOf = (f: Fleet, i: number) => {
  const vin = vinOf(f, i);
  return `${vin.slice(0, 9)}*****${vin.slice(14)}`;
};

/** Drops and creates `name` next to the database of `url`, migrated; returns its URL. */
export async function freshDatabase(url: string, name: string): Promise<string> {
  // Quoted below, so the engineers' databases (rollout_perf-read) work too.
  if (!/^[a-z0-9_-]+$/.test(name)) throw new Error(`unsafe database name ${name}`);
  const admin = postgres(url, { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`drop database if exists "${name}" with (force)`);
    await admin.unsafe(`create database "${name}"`);
  } finally {
    await admin.end();
  }
  const target = new URL(url);
  target.pathname = `/${name}`;
  return target.toString();
}

export async function dropDatabase(url: string, name: string) {
  if (!/^[a-z0-9_-]+$/.test(name)) throw new Error(`unsafe database name ${name}`);
  const admin = postgres(url, { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`drop database if exists "${name}" with (force)`);
  } finally {
    await admin.end();
  }
}

/** The bench's own connection to its database (migrated first), for seeding and checks. */
export async function migrated(url: string) {
  await migratePostgresDb(url);
  return connectPostgres(url, { max: 4 });
}

/** Inserts the fleet in one set-based statement (Postgres and PGlite alike). */
export async function seedFleet(db: Db, f: Fleet) {
  await db.execute(sql`
    insert into vehicles (vin, model, hardware, region, channel, cohort, firmware, owner_code_hash, device_token_hash)
    select ${f.vinPrefix} || lpad((i / 1000)::text, 6, '0') || '00000' || lpad((i % 1000)::text, 3, '0'),
           (array['model3', 'modelY', 'modelS'])[i % 3 + 1], case when i % 4 = 0 then 'HW3' else 'HW4' end,
           ${f.region}, 'stable',
           (case when i % 100 = 0 then 'employee' when i % 10 = 0 then 'early_access' else 'standard' end)::cohort,
           '2026.38.2',
           encode(sha256(convert_to(${f.codePrefix} || lpad(i::text, 10, '0'), 'UTF8')), 'hex'),
           encode(sha256(convert_to('rtd_' || ${f.codePrefix} || i::text, 'UTF8')), 'hex')
    from generate_series(0, ${f.size - 1}::int) i`);
}
