import { sql } from "drizzle-orm";
import { afterEach, expect, test } from "vitest";
import { createApp } from "../../src/app";
import { parseConfig } from "../../src/config";
import type { Db } from "../../src/db/client";
import { rowsOf } from "../../src/db/rows";
import { systemClock } from "../../src/lib/clock";
import { defaultImportBatchSize } from "../../src/services/import-vehicles";
import type { AnyImportLine } from "../helpers/api-types";
import { randomVin, vehicleBody } from "../helpers/fleet";
import { openMigratedPglite } from "../helpers/pglite";

// An import that stops part way (the database goes away, the client goes
// away) keeps exactly what it answered, and says how far that was.

const adminToken = "interrupted-admin-token-0123456789";
const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

type Result = AnyImportLine;

/** Starts an import whose body the test feeds a batch at a time; results are read as they come. */
function startImport(db: Db) {
  const app = createApp({ db, clock: systemClock, config: { ...parseConfig({}), adminToken } });
  let feed!: ReadableStreamDefaultController<Uint8Array>;
  const body = new ReadableStream<Uint8Array>({ start: (controller) => void (feed = controller) });
  const send = (vins: string[]) => feed.enqueue(new TextEncoder().encode(vins.map((vin) => `${JSON.stringify({ vin, ...vehicleBody() })}\n`).join("")));
  const response = app.request("/v1/vehicles/import", {
    method: "POST",
    headers: { authorization: `Bearer ${adminToken}`, "content-type": "application/x-ndjson" },
    body,
    // @ts-expect-error Node's fetch needs this for a streamed request body
    duplex: "half",
  });
  const results: Result[] = [];
  let reader: ReadableStreamDefaultReader<string> | undefined;
  let pending = "";
  /** Reads results until `enough` holds or the response ends. */
  const readUntil = async (enough: () => boolean) => {
    reader ??= (await response).body!.pipeThrough(new TextDecoderStream()).getReader();
    while (!enough()) {
      const chunk = await reader.read();
      if (chunk.done) return;
      const parts = (pending + chunk.value).split("\n");
      pending = parts.pop()!;
      results.push(...parts.map((p) => JSON.parse(p) as Result));
    }
  };
  return { send, end: () => feed.close(), fail: () => feed.error(new Error("client went away")), readUntil, results, cancel: () => reader!.cancel() };
}

const storedVins = async (db: Db, vins: string[]) =>
  rowsOf<{ vin: string }>(await db.execute(sql`select vin from vehicles where vin in (select json_array_elements_text(${JSON.stringify(vins)}::json))`)).map((r) => r.vin);

test("a database outage mid-import: answered lines are the committed ones, the summary says how far it got", async () => {
  const pglite = await openMigratedPglite();
  cleanups.push(() => pglite.close().catch(() => {}));

  const vins = Array.from({ length: 3 * defaultImportBatchSize }, randomVin);
  const run = startImport(pglite.db);
  run.send(vins.slice(0, 2 * defaultImportBatchSize));
  await run.readUntil(() => run.results.length >= 2 * defaultImportBatchSize);
  const stored = await storedVins(pglite.db, vins);
  await pglite.close(); // the database goes away
  run.send(vins.slice(2 * defaultImportBatchSize));
  run.end();
  await run.readUntil(() => false);

  const summary = run.results.at(-1)!.summary!;
  const through = 2 * defaultImportBatchSize;
  expect(summary).toMatchObject({ lines: through, committed: false, committedThroughLine: through, created: through, rejected: 0 });
  expect(summary.detail).toMatch(new RegExp(`database became unavailable.*Lines 1–${through} were committed`));
  const answered = run.results.filter((r) => r.result === "created").map((r) => r.vin!);
  expect(answered).toEqual(vins.slice(0, through));
  expect(stored.sort()).toEqual([...answered].sort());
});

test("a client that goes away mid-import: the batches it was answered for stay", async () => {
  const pglite = await openMigratedPglite();
  cleanups.push(() => pglite.close());

  const vins = Array.from({ length: 4 * defaultImportBatchSize }, randomVin);
  const run = startImport(pglite.db);
  run.send(vins.slice(0, 2 * defaultImportBatchSize));
  await run.readUntil(() => run.results.length >= defaultImportBatchSize);
  await run.cancel();
  run.fail();
  await new Promise((resolve) => setTimeout(resolve, 300));

  const answered = run.results.filter((r) => r.result === "created").map((r) => r.vin!);
  expect(answered.length).toBeGreaterThanOrEqual(defaultImportBatchSize);
  const stored = await storedVins(pglite.db, vins);
  expect(stored).toEqual(expect.arrayContaining(answered));
  // Lines the client never sent were never applied; at most the lines it did send.
  expect(stored.length).toBeLessThanOrEqual(2 * defaultImportBatchSize);
});
