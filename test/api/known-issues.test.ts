import { sql } from "drizzle-orm";
import { describe, expect, test } from "vitest";
import { rowsOf } from "../../src/db/rows";
import type { KnownIssue, KnownIssueList } from "../../src/routes/known-issues/known-issues.schemas";
import type { Track } from "../../src/routes/track/track.schemas";
import type { VehicleDetail } from "../../src/routes/vehicles/vehicles.schemas";
import { type TestContext, withApp } from "../helpers/app";
import { backends } from "../helpers/backends";
import { draftRelease, json, registerFleet } from "../helpers/rollout";

const charging = {
  title: { en: "Charging stops at 80%", nl: "Laden stopt bij 80%", de: "Laden stoppt bei 80 %" },
  body: { en: "Unplug and plug in again.", nl: "Stekker eruit en er weer in.", de: "Stecker ab- und wieder anstecken." },
  errorCodes: ["E_CHARGE_80"],
};

/** A started release over `count` fresh cars, everyone offered at once. */
async function rollingRelease(ctx: TestContext, count: number, extra: Record<string, unknown> = {}) {
  const fleet = await registerFleet(ctx, count, () => extra);
  const { version } = await draftRelease(ctx, fleet.region, [{ name: "all", share: 100 }], extra);
  const started = await ctx.request("POST", `/v1/releases/${version}/start`);
  expect(started.status).toBe(200);
  return { ...fleet, version };
}

const fail = (ctx: TestContext, car: { vin: string; deviceToken: string }, version: string, errorCode: string) =>
  ctx.request("POST", "/v1/reports", { token: car.deviceToken, json: { eventId: crypto.randomUUID(), vin: car.vin, version, state: "failed", at: ctx.clock.now().toISOString(), errorCode } });

const track = (ctx: TestContext, code: string, lang = "en") => json<Track>(ctx.request("GET", `/v1/track/${code}?lang=${lang}`, { token: null, peer: `owner-${code}` }));

describe.each(backends)("known issues ($name)", (backend) => {
  test("release managers and support publish and change them; anyone reads them in their language; every other role is refused", () =>
    withApp(backend, async (ctx) => {
      const { version } = await rollingRelease(ctx, 2);
      const support = await ctx.keyFor("support");
      const created = await ctx.request("POST", `/v1/releases/${version}/known-issues`, { token: support, json: charging });
      expect(created.status).toBe(201);
      const issue = await json<KnownIssue>(created);
      expect(issue).toMatchObject({ id: expect.any(Number), version, title: charging.title, status: "investigating", fixedIn: null, errorCodes: ["E_CHARGE_80"], reports: 0 });

      const manager = await ctx.keyFor("release_manager");
      const fixed = `${version.split(".")[0]}.${version.split(".")[1]}.${Number(version.split(".")[2]) + 1}`;
      const patched = await ctx.request("PATCH", `/v1/known-issues/${issue.id}`, { token: manager, json: { status: "fixed", fixedIn: fixed } });
      expect(patched.status).toBe(200);
      expect(await json<KnownIssue>(patched)).toMatchObject({ status: "fixed", fixedIn: fixed, title: charging.title });

      const nl = await json<KnownIssueList>(ctx.request("GET", `/v1/releases/${version}/known-issues?lang=nl`, { token: null }));
      expect(nl.knownIssues).toEqual([expect.objectContaining({ id: issue.id, title: "Laden stopt bij 80%", body: "Stekker eruit en er weer in.", status: "fixed", fixedIn: fixed })]);
      const de = await json<KnownIssueList>(ctx.request("GET", `/v1/releases/${version}/known-issues`, { token: null, headers: { "accept-language": "de-AT,de;q=0.9" } }));
      expect(de.knownIssues[0]?.title).toBe("Laden stoppt bei 80 %");

      const gateway = await ctx.keyFor("gateway");
      for (const [token, status] of [[gateway, 403], [null, 401]] as const) {
        expect((await ctx.request("POST", `/v1/releases/${version}/known-issues`, { token, json: charging })).status).toBe(status);
        expect((await ctx.request("PATCH", `/v1/known-issues/${issue.id}`, { token, json: { status: "workaround" } })).status).toBe(status);
      }
    }));

  test("every change is audited and queued for webhooks in the same transaction", () =>
    withApp(backend, async (ctx) => {
      const { version } = await rollingRelease(ctx, 1);
      const hook = await ctx.request("POST", "/v1/webhooks", { json: { url: "https://support.example.com/hooks", eventTypes: ["known_issue.created", "known_issue.updated"] } });
      expect(hook.status).toBe(201);
      const { id: webhookId } = await json<{ id: number }>(hook);
      const issue = await json<KnownIssue>(ctx.request("POST", `/v1/releases/${version}/known-issues`, { json: { ...charging, status: "workaround" } }));
      await ctx.request("PATCH", `/v1/known-issues/${issue.id}`, { json: { title: "Charging stops at 80 percent" } });

      const audit = rowsOf<{ action: string; before: unknown; after: unknown }>(
        await ctx.db.execute(sql`select action, before, after from audit_log a join releases r on r.id = a.release_id where r.version = ${version} and action like 'known_issue.%' order by a.id`),
      );
      expect(audit.map((a) => a.action)).toEqual(["known_issue.created", "known_issue.updated"]);
      expect(JSON.stringify(audit[1]?.before)).toContain("Charging stops at 80%");
      expect(JSON.stringify(audit[1]?.after)).toContain("Charging stops at 80 percent");

      const events = rowsOf<{ event_type: string; payload: unknown }>(await ctx.db.execute(sql`select event_type, payload from webhook_deliveries where webhook_id = ${webhookId} order by id`));
      expect(events.map((e) => e.event_type)).toEqual(["known_issue.created", "known_issue.updated"]);
      expect(JSON.stringify(events[0]?.payload)).toContain(`"version":"${version}"`);
    }));

  test("reports count linked cases and cars whose failed report carries an error code, each car once", () =>
    withApp(backend, async (ctx) => {
      const { version, vehicles } = await rollingRelease(ctx, 5);
      const [a, b, c, d] = vehicles as [(typeof vehicles)[0], (typeof vehicles)[0], (typeof vehicles)[0], (typeof vehicles)[0]];
      const issue = await json<KnownIssue>(ctx.request("POST", `/v1/releases/${version}/known-issues`, { json: { ...charging, errorCodes: ["E_CHARGE_80", "E_CHARGE_81"] } }));
      expect((await fail(ctx, a, version, "E_CHARGE_80")).status).toBeLessThan(300);
      expect((await fail(ctx, b, version, "E_CHARGE_81")).status).toBeLessThan(300);
      expect((await fail(ctx, c, version, "E_OTHER")).status).toBeLessThan(300);
      const support = await ctx.keyFor("support");
      // a: failed report and a case, counted once; d: only a case.
      for (const [car, reference] of [[a, "ZD-100001"], [d, "ZD-100002"]] as const) {
        const linked = await ctx.request("POST", `/v1/vehicles/${car.vin}/cases`, { token: support, json: { reference, knownIssueId: issue.id } });
        expect(linked.status).toBe(201);
        expect(await json(linked)).toMatchObject({ knownIssueId: issue.id, version });
      }
      const list = await json<KnownIssueList>(ctx.request("GET", `/v1/releases/${version}/known-issues`, { token: null }));
      expect(list.knownIssues[0]).toMatchObject({ reports: 3, cases: 2, failedVehicles: 2 });
    }));

  test("owners see the known issues of the release they wait for, in their language; none when there are none", () =>
    withApp(backend, async (ctx) => {
      const { version, vehicles } = await rollingRelease(ctx, 2);
      const owner = vehicles[0]!;
      expect((await track(ctx, owner.ownerCode)).knownIssues).toEqual([]);
      const issue = await json<KnownIssue>(ctx.request("POST", `/v1/releases/${version}/known-issues`, { json: charging }));
      await fail(ctx, vehicles[1]!, version, "E_CHARGE_80");
      // Past the owner answer's own cache; the known issues were forgotten on creation.
      ctx.clock.advance(2_001);
      const status = await track(ctx, owner.ownerCode, "nl");
      expect(status.knownIssues).toEqual([{ id: issue.id, title: "Laden stopt bij 80%", status: "investigating", fixedIn: null, reports: 1 }]);
    }));

  test("support sees the issues matching the car's last failed report, the answer names them, and a case may name one of its release only", () =>
    withApp(backend, async (ctx) => {
      const { version, vehicles } = await rollingRelease(ctx, 1);
      // Another channel, so it is not the newest release the car could be shown.
      const other = await rollingRelease(ctx, 1, { channel: "beta" });
      const car = vehicles[0]!;
      const issue = await json<KnownIssue>(ctx.request("POST", `/v1/releases/${version}/known-issues`, { json: charging }));
      const unrelated = await json<KnownIssue>(ctx.request("POST", `/v1/releases/${version}/known-issues`, { json: { ...charging, title: "Radio", errorCodes: ["E_RADIO"] } }));
      const foreign = await json<KnownIssue>(ctx.request("POST", `/v1/releases/${other.version}/known-issues`, { json: charging }));
      await fail(ctx, car, version, "E_CHARGE_80");
      const support = await ctx.keyFor("support");
      const detail = await json<VehicleDetail>(ctx.request("GET", `/v1/vehicles/${car.vin}`, { token: support }));
      expect(detail.matchingKnownIssues.map((i) => i.id)).toEqual([issue.id]);
      expect(detail.status.knownIssues.map((i) => i.id).sort()).toEqual([issue.id, unrelated.id].sort());
      expect(detail.answer.en).toContain('This matches a known issue: "Charging stops at 80%"; we are investigating it.');
      expect(detail.answer.nl).toContain('Dit komt overeen met een bekend probleem: "Laden stopt bij 80%"');
      expect(detail.answer.de).toContain("Das entspricht einem bekannten Problem: „Laden stoppt bei 80 %“");
      expect(detail.answer.en).not.toContain("Radio");

      const wrong = await ctx.request("POST", `/v1/vehicles/${car.vin}/cases`, { token: support, json: { reference: "ZD-200001", knownIssueId: foreign.id } });
      expect(wrong.status).toBe(409);
      expect(wrong.headers.get("content-type")).toContain("application/problem+json");
      expect((await json<{ detail: string }>(wrong)).detail).toMatch(/not an issue of release|nor in the issue's release/);
      const missing = await ctx.request("POST", `/v1/vehicles/${car.vin}/cases`, { token: support, json: { reference: "ZD-200002", knownIssueId: 2_000_000_000 } });
      expect(missing.status).toBe(404);
      const cases = rowsOf(await ctx.db.execute(sql`select 1 from support_cases c join vehicles v on v.id = c.vehicle_id where v.vin = ${car.vin}`));
      expect(cases).toHaveLength(0);
      // Its only car failed, so the release is over; a case about its issue still belongs to it.
      const linked = await ctx.request("POST", `/v1/vehicles/${car.vin}/cases`, { token: support, json: { reference: "ZD-200003", knownIssueId: issue.id } });
      expect(linked.status).toBe(201);
      expect(await json(linked)).toMatchObject({ version, knownIssueId: issue.id, waveIndex: 1 });
    }));

  test("malformed input gets a 4xx problem and changes nothing", () =>
    withApp(backend, async (ctx) => {
      const { version } = await rollingRelease(ctx, 1);
      const bad: [string, string, unknown, number][] = [
        ["POST", `/v1/releases/${version}/known-issues`, { ...charging, status: "solved" }, 400],
        ["POST", `/v1/releases/${version}/known-issues`, { ...charging, fixedIn: "v2" }, 400],
        ["POST", `/v1/releases/${version}/known-issues`, { ...charging, fixedIn: version }, 409],
        ["POST", `/v1/releases/${version}/known-issues`, { ...charging, title: { nl: "alleen nl" } }, 400],
        ["POST", `/v1/releases/${version}/known-issues`, { ...charging, errorCodes: ["E 1"] }, 400],
        ["POST", `/v1/releases/${version}/known-issues`, { ...charging, title: "a\u0000b" }, 400],
        ["POST", `/v1/releases/${version}/known-issues`, { ...charging, extra: 1 }, 400],
        ["POST", "/v1/releases/1.2.3.4.5/known-issues", charging, 400],
        ["POST", "/v1/releases/2999.1.1/known-issues", charging, 404],
        ["PATCH", "/v1/known-issues/2000000000", { status: "fixed" }, 404],
        ["PATCH", "/v1/known-issues/abc", { status: "fixed" }, 400],
      ];
      for (const [method, path, body, status] of bad) {
        const res = await ctx.request(method, path, { json: body });
        expect(res.status, `${method} ${path} ${JSON.stringify(body)}`).toBe(status);
        expect((await json<{ detail: string }>(res)).detail).toBeTruthy();
      }
      const issue = await json<KnownIssue>(ctx.request("POST", `/v1/releases/${version}/known-issues`, { json: charging }));
      for (const body of [{}, { status: "gone" }, { fixedIn: "1.0" }]) {
        const res = await ctx.request("PATCH", `/v1/known-issues/${issue.id}`, { json: body });
        expect([400, 409]).toContain(res.status);
      }
      const list = await json<KnownIssueList>(ctx.request("GET", `/v1/releases/${version}/known-issues`, { token: null }));
      expect(list.knownIssues).toEqual([expect.objectContaining({ id: issue.id, status: "investigating", fixedIn: null })]);
      expect((await ctx.request("GET", `/v1/releases/${version}/known-issues?lang=xx_1`, { token: null })).status).toBe(400);
      expect((await ctx.request("GET", "/v1/releases/2999.1.1/known-issues", { token: null })).status).toBe(404);
    }));
});
