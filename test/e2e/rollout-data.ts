// A realistic rollout built through the real API: keys, a fleet of 1,200
// cars in a region of its own, a three-wave release that has started, and
// reports from the first wave (installs and a few failures).
import { randomUUID } from "node:crypto";
import type { ImportAnswerLine } from "../../src/routes/vehicles/vehicles.schemas";
import type { Server } from "./server";

const vinAlphabet = "ABCDEFGHJKLMNPRSTUVWXYZ0123456789";
const randomVin = () => Array.from({ length: 17 }, () => vinAlphabet[Math.floor(Math.random() * vinAlphabet.length)]).join("");

export async function createKey(server: Server, role: string): Promise<string> {
  const res = await server.api<{ token: string }>("POST", "/v1/keys", { json: { role, label: `e2e ${role}` } });
  if (res.status !== 201) throw new Error(`key: ${res.status} ${JSON.stringify(res.data)}`);
  return res.data.token;
}

// Owners see the newest rolling-out release of their channel, so each rollout in a server gets a newer version.
let releases = 0;

export type Rollout = Awaited<ReturnType<typeof seedRollout>>;

export async function seedRollout(server: Server, fleetSize = 1200, channel: "stable" | "beta" = "stable") {
  const managerKey = await createKey(server, "release_manager");
  const supportKey = await createKey(server, "support");
  const gatewayKey = await createKey(server, "gateway");
  const region = `E${Math.random().toString(36).slice(2, 8).toUpperCase()}`;
  const lines = Array.from({ length: fleetSize }, (_, i) =>
    JSON.stringify({ vin: randomVin(), model: i % 3 ? "model3" : "modelY", hardware: "HW4", region, channel, cohort: i % 40 === 0 ? "employee" : i % 9 === 0 ? "early_access" : "standard", firmware: "2026.38.2" }),
  );
  const imported = await server.api<string>("POST", "/v1/vehicles/import", { key: managerKey, body: lines.join("\n"), headers: { "content-type": "application/x-ndjson" } });
  const codes = new Map<string, string>();
  for (const line of String(imported.data).trim().split("\n")) {
    const r = JSON.parse(line) as ImportAnswerLine;
    if ("result" in r && r.result === "created") codes.set(r.vin, r.ownerCode);
  }
  if (codes.size !== fleetSize) throw new Error(`imported ${codes.size} of ${fleetSize}: ${String(imported.data).slice(0, 500)}`);

  releases += 1;
  const version = `${2100 + releases}.${Math.floor(Math.random() * 50)}.1`;
  const created = await server.api("POST", "/v1/releases", {
    key: managerKey,
    json: { version, channel, notes: "Faster DC charging on cold days.\nNew trip planner with live charger availability.", eligibility: { regions: [region] } },
  });
  if (created.status !== 201) throw new Error(`release: ${created.status} ${JSON.stringify(created.data)}`);
  const waves = [
    { name: "early", share: 2, autoAdvance: { minSuccessPercent: 80, soakMinutes: 60 }, stopAt: { maxFailurePercent: 20, minSample: 10, action: "pause" } },
    { name: "adopters", share: 25, ratePerHour: 200, autoAdvance: { minSuccessPercent: 95, soakMinutes: 120 }, stopAt: { maxFailurePercent: 5, minSample: 20, action: "pause" } },
    { name: "everyone", share: 100, ratePerHour: 400, stopAt: { maxFailurePercent: 5, minSample: 50, action: "halt" } },
  ];
  const planned = await server.api("PUT", `/v1/releases/${version}/waves`, { key: managerKey, json: { waves }, headers: { "if-match": created.headers.get("etag")! } });
  if (planned.status !== 200) throw new Error(`plan: ${planned.status} ${JSON.stringify(planned.data)}`);
  const started = await server.api("POST", `/v1/releases/${version}/start`, { key: managerKey });
  if (started.status !== 200) throw new Error(`start: ${started.status} ${JSON.stringify(started.data)}`);

  // Wave 1 reports in: most install, two fail.
  const first = await server.api<{ entries: { vin: string; position: number }[] }>("GET", `/v1/releases/${version}/queue?wave=1&limit=100`, { key: managerKey });
  const now = Date.now();
  const reports = first.data.entries.flatMap((e, i) => [
    { eventId: randomUUID(), vin: e.vin, version, state: "downloading", at: new Date(now - 3_600_000 + i * 1000).toISOString() },
    { eventId: randomUUID(), vin: e.vin, version, state: i < 2 ? "failed" : "installed", at: new Date(now - 1_800_000 + i * 60_000).toISOString(), ...(i < 2 ? { errorCode: "E_FLASH_VERIFY" } : {}) },
  ]);
  const reported = await server.api("POST", "/v1/reports", { key: gatewayKey, json: { reports } });
  if (reported.status >= 300) throw new Error(`reports: ${reported.status} ${JSON.stringify(reported.data)}`);

  // An owner far back in line (wave 3), so numbers need locale formatting (#1,150 / #1.150).
  const late = await server.api<{ entries: { vin: string; position: number; wave: number }[] }>("GET", `/v1/releases/${version}/queue?after=${Math.floor(fleetSize * 0.95)}&limit=1`, { key: managerKey });
  const entry = late.data.entries[0]!;
  return { version, region, managerKey, supportKey, owner: { vin: entry.vin, code: codes.get(entry.vin)!, position: entry.position, wave: entry.wave }, codes };
}
