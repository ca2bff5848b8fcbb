import postgres from "postgres";
import { migratePostgresDb } from "../../src/node/migrate";

/**
 * A database of the Worker test's own, beside DATABASE_URL's on the same
 * server. The Worker commits (nothing can roll it back from outside workerd)
 * and its cron tick moves every rolling-out release in the database: in the
 * shared test database it would tick other files' releases, and theirs would
 * show up in its owners' answers.
 */
export async function createWorkerDatabase(databaseUrl: string) {
  const url = new URL(databaseUrl);
  const name = `${url.pathname.slice(1)}_worker`;
  const admin = postgres(databaseUrl, { max: 1, onnotice: () => {} });
  const drop = () => admin.unsafe(`drop database if exists "${name}" with (force)`);
  await drop();
  await admin.unsafe(`create database "${name}"`);
  url.pathname = `/${name}`;
  await migratePostgresDb(url.toString());

  // Miniflare's Hyperdrive emulation insists on a password; a trust-auth server ignores it.
  const hyperdriveUrl = new URL(url);
  if (!hyperdriveUrl.password) hyperdriveUrl.password = "unused";
  return {
    url: url.toString(),
    hyperdriveUrl: hyperdriveUrl.toString(),
    drop: async () => {
      await drop();
      await admin.end();
    },
  };
}
