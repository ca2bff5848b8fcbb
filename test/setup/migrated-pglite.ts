// Run by the global setup in a process of its own (PGlite's wasm memory stays
// with the process that used it): one PGlite data folder, created and migrated
// as the server does it, and a dump of that folder for in-memory copies.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { migratePgliteDb } from "../../src/node/migrate";
import { openPglite } from "../../src/node/pglite";

const into = process.argv[2];
if (!into) throw new Error("usage: migrated-pglite.ts <folder>");
const { client, close } = await openPglite(join(into, "data"));
try {
  await migratePgliteDb(client);
  const dump = await client.dumpDataDir("none");
  writeFileSync(join(into, "data.tar"), new Uint8Array(await dump.arrayBuffer()));
} finally {
  await close();
}
