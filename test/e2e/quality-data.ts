// One car in every state the owner page knows, and a release for every view
// of the console, built through the real API for the quality suite.
import { randomUUID } from "node:crypto";
import type { ImportAnswerLine } from "../../src/routes/vehicles/vehicles.schemas";
import { createKey } from "./rollout-data";
import type { Server } from "./server";

const vinAlphabet = "ABCDEFGHJKLMNPRSTUVWXYZ0123456789";
const randomVin = () => Array.from({ length: 17 }, () => vinAlphabet[Math.floor(Math.random() * vinAlphabet.length)]).join("");
const region = () => `Q${Math.random().toString(36).slice(2, 8).toUpperCase()}`;

type Car = { hardware?: string; firmware?: string };

async function must<T>(what: string, call: Promise<{ status: number; data: T; headers: Headers }>) {
  const res = await call;
  if (res.status >= 300) throw new Error(`${what}: ${res.status} ${JSON.stringify(res.data)}`);
  return res;
}

/** Imports cars into a region of their own; answers their VINs and owner codes in order. */
async function importFleet(server: Server, key: string, where: string, cars: Car[]) {
  const vins = cars.map(() => randomVin());
  const lines = cars.map((car, i) =>
    JSON.stringify({ vin: vins[i], model: "model3", hardware: car.hardware ?? "HW4", region: where, channel: "stable", cohort: "standard", firmware: car.firmware ?? "2026.38.2" }),
  );
  const res = await must("import", server.api<string>("POST", "/v1/vehicles/import", { key, body: lines.join("\n"), headers: { "content-type": "application/x-ndjson" } }));
  const codes = new Map<string, string>();
  for (const line of String(res.data).trim().split("\n")) {
    const answer = JSON.parse(line) as ImportAnswerLine;
    if ("result" in answer && answer.result === "created") codes.set(answer.vin, answer.ownerCode);
  }
  return vins.map((vin) => ({ vin, code: codes.get(vin) ?? "" }));
}

// Versions never repeat within a server.
let releases = 0;
const newVersion = () => `${2300 + ++releases}.${Math.floor(Math.random() * 50)}.1`;

/** A started two-wave release for a region: wave 1 (half the cars) is offered at once, wave 2 waits. */
async function startRelease(server: Server, key: string, where: string, eligibility: Record<string, unknown> = {}, version = newVersion()) {
  const notes = { en: "Faster DC charging on cold days.", nl: "Sneller DC-laden op koude dagen.", de: "Schnelleres DC-Laden an kalten Tagen." };
  const created = await must("release", server.api("POST", "/v1/releases", { key, json: { version, channel: "stable", notes, eligibility: { regions: [where], ...eligibility } } }));
  const waves = [
    { name: "first", share: 50, stopAt: { maxFailurePercent: 60, minSample: 10, action: "pause" } },
    { name: "everyone", share: 100, ratePerHour: 20 },
  ];
  await must("plan", server.api("PUT", `/v1/releases/${version}/waves`, { key, json: { waves }, headers: { "if-match": created.headers.get("etag") ?? "" } }));
  await must("start", server.api("POST", `/v1/releases/${version}/start`, { key }));
  return version;
}

export type ViewData = Awaited<ReturnType<typeof seedViews>>;

export async function seedViews(server: Server) {
  const managerKey = await createKey(server, "release_manager");
  const supportKey = await createKey(server, "support");
  const gatewayKey = await createKey(server, "gateway");

  // The main release: 8 cars in line, one on other hardware, one already on the release.
  const main = region();
  const version = newVersion();
  const fleet = await importFleet(server, managerKey, main, [...Array.from({ length: 8 }, () => ({})), { hardware: "HW3" }, { firmware: version }]);
  await startRelease(server, managerKey, main, { hardware: ["HW4"] }, version);
  const queue = await must("queue", server.api<{ entries: { vin: string; position: number; wave: number }[] }>("GET", `/v1/releases/${version}/queue?limit=100`, { key: managerKey }));
  const first = queue.data.entries.filter((e) => e.wave === 1).map((e) => e.vin);
  const waiting = queue.data.entries.find((e) => e.wave === 2)?.vin ?? "";
  const [installed = "", failed = "", offered = ""] = first;
  const at = (minutesAgo: number) => new Date(Date.now() - minutesAgo * 60_000).toISOString();
  const reports = [
    { eventId: randomUUID(), vin: installed, version, state: "downloading", at: at(50) },
    { eventId: randomUUID(), vin: installed, version, state: "installed", at: at(20) },
    { eventId: randomUUID(), vin: failed, version, state: "downloading", at: at(40) },
    { eventId: randomUUID(), vin: failed, version, state: "failed", at: at(10), errorCode: "E_FLASH_VERIFY" },
  ];
  await must("reports", server.api("POST", "/v1/reports", { key: gatewayKey, json: { reports } }));
  const codeOf = (vin: string) => fleet.find((car) => car.vin === vin)?.code ?? "";

  // A paused and a halted release, each in a region of its own.
  const pausedRegion = region();
  const pausedFleet = await importFleet(server, managerKey, pausedRegion, [{}, {}]);
  const paused = await startRelease(server, managerKey, pausedRegion);
  const publicMessage = { en: "Paused while we look into a charging issue.", nl: "Gepauzeerd terwijl we een laadprobleem onderzoeken.", de: "Pausiert, während wir ein Ladeproblem untersuchen." };
  await must("pause", server.api("POST", `/v1/releases/${paused}/pause`, { key: managerKey, json: { message: publicMessage } }));
  const haltedRegion = region();
  const haltedFleet = await importFleet(server, managerKey, haltedRegion, [{}, {}]);
  const halted = await startRelease(server, managerKey, haltedRegion);
  await must("halt", server.api("POST", `/v1/releases/${halted}/halt`, { key: managerKey, json: { reason: "bricked head units", message: publicMessage } }));

  return {
    managerKey,
    supportKey,
    version,
    vin: failed,
    owners: {
      queued: codeOf(waiting),
      offered: codeOf(offered),
      installed: codeOf(installed),
      failed: codeOf(failed),
      not_eligible: fleet[8]?.code ?? "",
      up_to_date: fleet[9]?.code ?? "",
      paused: pausedFleet[0]?.code ?? "",
      halted: haltedFleet[0]?.code ?? "",
    },
  };
}
