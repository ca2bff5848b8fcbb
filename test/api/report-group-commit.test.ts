import { sql } from "drizzle-orm";
import { describe, expect, test } from "vitest";
import { parseConfig } from "../../src/config";
import { createApp } from "../../src/app";
import { connectPostgres } from "../../src/db/postgres";
import { rowsOf } from "../../src/db/rows";
import { manualClock } from "../../src/lib/clock";
import type { ReportResults } from "../../src/routes/reports/reports.schemas";
import { adminToken } from "../helpers/app";
import { startedOnPostgres } from "../helpers/postgres-rollout";
import { randomVersion, randomVin, vehicleBody } from "../helpers/fleet";

const url = process.env.DATABASE_URL;

// Issue #11: single reports from many cars at once were one transaction (and
// one commit) each. Concurrent requests now share transactions, and each still
// gets exactly its own answer; small groups wait for the transaction in flight
// rather than start their own beside it. Real commits need real connections: Postgres only.
describe.runIf(url)("concurrent report requests (postgres)", () => {
  test("share transactions, each answered with its own results, counters exact", async () => {
    const { db, clock, call, version, vins, gateway, done } = await startedOnPostgres(url!, { cars: 60, label: "group commit" });
    try {
      const at = clock.now().toISOString();
      const event = (vin: string, state = "downloading") => ({ eventId: crypto.randomUUID(), vin, version, state, at });
      // 60 single reports at once, a replay of one of them, and one for a car that is not in the queue.
      const reports = vins.map((vin) => event(vin));
      const requests = [...reports, reports[7]!, event(randomVin())];
      const answers = await Promise.all(requests.map(async (r) => (await call("POST", "/v1/reports", r, {}, gateway)).json() as Promise<ReportResults>));
      for (const [i, answer] of answers.entries()) expect(answer.results.map((r) => r.eventId), `request ${i}`).toEqual([requests[i]!.eventId]);
      // The replay of report 7 was sent with it: whichever of the two lands first is accepted, the other is a duplicate.
      expect(answers.slice(0, 60).filter((a, i) => i !== 7 && a.accepted !== 1).map((a) => JSON.stringify(a))).toEqual([]);
      expect([answers[7], answers[60]].map((a) => `${a!.accepted} accepted, ${a!.duplicates} duplicate`).sort()).toEqual(["0 accepted, 1 duplicate", "1 accepted, 0 duplicate"]);
      expect(answers[61]).toMatchObject({ accepted: 0, rejected: 1 });

      const ids = reports.map((r) => r.eventId);
      const [{ transactions }] = rowsOf<{ transactions: number }>(
        await db.execute(sql`select count(distinct xmin::text)::int as transactions from update_events where event_id in (select json_array_elements_text(${JSON.stringify(ids)}::json))`),
      ) as [{ transactions: number }];
      // The first request found nothing in flight and went alone; the others waited for its commit and went
      // together (one more, two if some arrived late). Four side-by-side transactions of one report each
      // before the group formed cost four plannings and commits for four reports (5 transactions in all).
      expect(transactions).toBeLessThanOrEqual(3);
      const counts = rowsOf<{ kept: number; actual: number }>(
        await db.execute(sql`
          select (select coalesce(sum(count), 0) from queue_counts c join releases r on r.id = c.release_id where r.version = ${version} and c.state = 'downloading')::int as kept,
                 (select count(*) from queue_entries q join releases r on r.id = q.release_id where r.version = ${version} and q.state = 'downloading')::int as actual`),
      );
      expect(counts[0]).toEqual({ kept: 60, actual: 60 });
    } finally {
      await done();
    }
  });

  test("a writer that names its counter stripe writes that stripe (migration 0006)", async () => {
    const { db, close } = connectPostgres(url!, { max: 2 });
    const clock = manualClock();
    const app = createApp({ db, clock, config: { ...parseConfig({}), adminToken, maxBodyBytes: 1 << 20 } });
    const call = (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) =>
      app.request(path, { method, headers: { authorization: `Bearer ${adminToken}`, "content-type": "application/json", ...headers }, body: body === undefined ? undefined : JSON.stringify(body) });
    const region = `S${Math.random().toString(36).slice(2, 9).toUpperCase()}`;
    const version = randomVersion();
    try {
      const lines = [randomVin(), randomVin()].map((vin) => JSON.stringify({ vin, ...vehicleBody({ region }) })).join("\n");
      await (await app.request("/v1/vehicles/import", { method: "POST", headers: { authorization: `Bearer ${adminToken}`, "content-type": "application/x-ndjson" }, body: lines })).text();
      const created = await call("POST", "/v1/releases", { version, channel: "stable", eligibility: { regions: [region] } });
      await call("PUT", `/v1/releases/${version}/waves`, { waves: [{ name: "all", share: 100 }] }, { "if-match": created.headers.get("etag")! });
      expect((await call("POST", `/v1/releases/${version}/start`)).status).toBe(200);
      await db.transaction(async (tx) => {
        await tx.execute(sql`select set_config('rollout.counter_stripe', '7', true)`);
        await tx.execute(sql`update queue_entries set state = 'failed' where release_id = (select id from releases where version = ${version}) and position = 1`);
      });
      const rows = rowsOf<{ stripe: number; count: number }>(
        await db.execute(sql`select c.stripe, c.count from queue_counts c join releases r on r.id = c.release_id where r.version = ${version} and c.state = 'failed'`),
      );
      expect(rows).toEqual([{ stripe: 7, count: 1 }]);
    } finally {
      await db.execute(sql`delete from queue_entries where release_id in (select id from releases where version = ${version})`);
      await db.execute(sql`delete from releases where version = ${version}`);
      await db.execute(sql`delete from vehicles where region = ${region}`);
      await close();
    }
  });
});
