import { eq, sql } from "drizzle-orm";
import type { App } from "../app";
import type { Db } from "../db/client";
import { rowsOf } from "../db/rows";
import { vehicles } from "../db/schema";
import type { PrincipalCache } from "../lib/principal-cache";
import { createKey, revokeKeys } from "../services/keys";
import { createShareLink } from "../services/support";

// A living demo for `npm start`: a realistic fleet, two releases rolling out,
// and a simulator that plays the OTA gateway through the real report path.

const demoVin = "5YJ3E1EA1DMX00042";
const models = ["model3", "modelY", "modelS", "modelX"];
const regions = ["NL", "DE", "BE", "FR", "NO", "SE", "US"];

function fleet(count: number): string {
  const lines: string[] = [];
  for (let i = 0; i < count; i++) {
    const vin = i === 42 ? demoVin : `5YJ3E1EA1DMX${String(i).padStart(5, "0")}`;
    lines.push(
      JSON.stringify({
        vin,
        model: i === 42 ? "model3" : models[i % 4],
        hardware: i === 42 || i % 5 ? "HW4" : "HW3",
        region: i === 42 ? "NL" : regions[i % 7],
        channel: i % 12 === 0 ? "beta" : "stable",
        cohort: i === 42 ? "standard" : i % 50 === 0 ? "employee" : i % 9 === 0 ? "early_access" : "standard",
        firmware: `2026.${30 + (i % 12)}.${i % 3}`,
      }),
    );
  }
  return lines.join("\n");
}

async function call(app: App, token: string, method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
  const res = await app.request(path, {
    method,
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json", ...headers },
    body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
  });
  if (res.status >= 400) throw new Error(`demo: ${method} ${path} → ${res.status} ${await res.text()}`);
  return res;
}

/** Fresh demo keys on every start; the previous ones are revoked (their tokens were only ever printed). */
async function demoKeys(db: Db, now: Date, principals: PrincipalCache) {
  await revokeKeys({ db, labelLike: "Demo %", at: now, principals });
  const make = async (role: "release_manager" | "support" | "gateway", label: string) =>
    (await createKey({ db, input: { role, label }, actor: "demo", at: now })).token;
  return { manager: await make("release_manager", "Demo release manager"), support: await make("support", "Demo support desk"), gateway: await make("gateway", "Demo OTA gateway") };
}

/** A known issue of the stable release with reports: three cars failing with its code, and a support case naming it. */
async function seedKnownIssue(app: App, keys: { manager: string; support: string; gateway: string }) {
  const version = "2026.44.1";
  const created = await call(app, keys.support, "POST", `/v1/releases/${version}/known-issues`, {
    title: {
      en: "The install may stop at the verification step",
      nl: "De installatie kan stoppen bij de controlestap",
      de: "Die Installation kann beim Prüfschritt abbrechen",
    },
    body: {
      en: "Some cars stop installing while the update is verified. The car tries again by itself; keeping it connected to Wi-Fi overnight helps.",
      nl: "Bij sommige auto's stopt de installatie tijdens de controle. De auto probeert het zelf opnieuw; 's nachts verbonden blijven met wifi helpt.",
      de: "Bei manchen Fahrzeugen bricht die Installation bei der Prüfung ab. Das Fahrzeug versucht es selbst erneut; über Nacht im WLAN bleiben hilft.",
    },
    status: "workaround",
    fixedIn: "2026.44.2",
    errorCodes: ["E_FLASH_VERIFY"],
  });
  const issue = (await created.json()) as { id: number };
  const queue = (await (await call(app, keys.manager, "GET", `/v1/releases/${version}/queue?state=offered&limit=3`)).json()) as { entries: { vin: string }[] };
  const at = new Date().toISOString();
  const reports = queue.entries.map(({ vin }) => ({ eventId: crypto.randomUUID(), vin, version, at, state: "failed", errorCode: "E_FLASH_VERIFY" }));
  if (reports.length) await call(app, keys.gateway, "POST", "/v1/reports", { reports });
  const first = queue.entries[0];
  if (first) await call(app, keys.support, "POST", `/v1/vehicles/${first.vin}/cases`, { reference: "ZD-100042", summary: "Owner called: install stopped overnight", knownIssueId: issue.id });
}

async function seed(app: App, keys: { manager: string; support: string; gateway: string }) {
  await (await call(app, keys.manager, "POST", "/v1/vehicles/import", fleet(3000), { "content-type": "application/x-ndjson" })).text();
  const plans = [
    {
      // Localized like a real release, so the pages show each language from the start.
      release: {
        version: "2026.44.1",
        channel: "stable",
        notes: {
          en: "Improved charging curve on cold batteries. Navigation shows charger availability. Fixes a rare wiper stall.",
          nl: "Betere laadcurve bij koude accu's. De navigatie toont of laadpalen vrij zijn. Verhelpt een zeldzaam vastlopen van de ruitenwissers.",
          de: "Verbesserte Ladekurve bei kalten Batterien. Die Navigation zeigt freie Ladesäulen. Behebt ein seltenes Hängen der Scheibenwischer.",
        },
        purpose: "fix",
        installMinutes: 25,
        unavailableDuring: { en: ["Driving", "Charging", "Climate control"], nl: ["Rijden", "Laden", "Klimaatregeling"], de: ["Fahren", "Laden", "Klimatisierung"] },
        instructions: {
          en: ["Park the car", "Connect to Wi-Fi", "Charge above 20%"],
          nl: ["Parkeer de auto", "Verbind met wifi", "Laad op tot boven 20%"],
          de: ["Fahrzeug parken", "Mit WLAN verbinden", "Auf über 20 % laden"],
        },
        eligibility: { models: ["model3", "modelY"], hardware: ["HW4"], minVersion: "2026.32.0" },
      },
      waves: [
        { name: { en: "Employees", nl: "Medewerkers", de: "Mitarbeitende" }, share: 2, autoAdvance: { minSuccessPercent: 80, soakMinutes: 1 } },
        {
          name: { en: "Early access", nl: "Vroege toegang", de: "Früher Zugang" },
          share: 15,
          ratePerHour: 1200,
          autoAdvance: { minSuccessPercent: 85, soakMinutes: 2 },
          // Also stops on support cases: more than 25 per 1,000 offered, once 100 were offered.
          stopAt: { maxFailurePercent: 20, minSample: 30, maxCasesPerThousand: 25, minOffered: 100, action: "pause" },
        },
        { name: { en: "Everyone", nl: "Iedereen", de: "Alle" }, share: 100, ratePerHour: 600, stopAt: { maxFailurePercent: 20, minSample: 50, action: "pause" } },
      ],
    },
    {
      release: { version: "2026.45.0", channel: "beta", notes: "Beta: new driver profiles and a faster app connection.", eligibility: {} },
      waves: [{ name: "Beta testers", share: 100, ratePerHour: 300 }],
    },
  ];
  for (const { release, waves } of plans) {
    const created = await call(app, keys.manager, "POST", "/v1/releases", release);
    await call(app, keys.manager, "PUT", `/v1/releases/${release.version}/waves`, { waves }, { "if-match": created.headers.get("etag") ?? "" });
    await call(app, keys.manager, "POST", `/v1/releases/${release.version}/start`);
  }
  await seedKnownIssue(app, keys);
}

/** Offered cars download, install and (a few) fail, a step per beat, through POST /v1/reports. */
function simulate(app: App, db: Db, gatewayToken: string, everyMs: number) {
  // A failed car retries now and then, as real ones do after a reboot.
  const next: Record<string, string> = { offered: "downloading", downloading: "installing", installing: "installed", failed: "downloading" };
  let running = false;
  return setInterval(async () => {
    if (running) return;
    running = true;
    try {
      const moving = rowsOf<{ vin: string; version: string; state: string }>(
        await db.execute(sql`
          select v.vin, r.version, q.state from queue_entries q
          join releases r on r.id = q.release_id join vehicles v on v.id = q.vehicle_id
          where r.state = 'rolling_out' and q.state in ('offered', 'downloading', 'installing', 'failed')
          order by random() limit 150`),
      );
      const now = new Date().toISOString();
      const reports = moving
        .filter(({ state }) => Math.random() < (state === "failed" ? 0.15 : 0.6))
        .map(({ vin, version, state }) => {
          const fails = state === "installing" && vin !== demoVin && Math.random() < 0.03;
          return { eventId: crypto.randomUUID(), vin, version, at: now, state: fails ? "failed" : (next[state] ?? state), ...(fails ? { errorCode: "E_FLASH_VERIFY" } : {}) };
        });
      if (reports.length) await call(app, gatewayToken, "POST", "/v1/reports", { reports });
    } catch (error) {
      console.error("demo simulator:", error instanceof Error ? error.message : error);
    } finally {
      running = false;
    }
  }, everyMs);
}

/** Seeds an empty database, then starts the simulator; prints where to look. */
export async function startDemo({ app, db, baseUrl, principals }: { app: App; db: Db; baseUrl: string; principals: PrincipalCache }) {
  const now = new Date();
  const [{ n }] = rowsOf<{ n: number }>(await db.execute(sql`select count(*)::int as n from vehicles`)) as [{ n: number }];
  const [demoCar] = await db.select({ id: vehicles.id }).from(vehicles).where(eq(vehicles.vin, demoVin));
  if (n > 0 && !demoCar) return null; // a real fleet: never touch it
  const keys = await demoKeys(db, now, principals);
  if (n === 0) await seed(app, keys);
  const link = await createShareLink({ db, vin: demoVin, actor: "demo", actorKeyId: null, now, expiresInHours: 24 * 30, baseUrl });
  const timer = simulate(app, db, keys.gateway, 4000);
  return { timer, ownerUrl: link.url, keys };
}
