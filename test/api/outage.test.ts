import { parseConfig } from "../../src/config";
import { describe, expect, test } from "vitest";
import { createApp } from "../../src/app";
import { connectPostgres } from "../../src/db/postgres";
import { manualClock } from "../../src/lib/clock";
import { randomVin, vehicleBody } from "../helpers/fleet";
import { openMigratedPglite } from "../helpers/pglite";

const adminToken = "outage-admin-token-0123456789";

async function expectUnavailable(res: Response) {
  expect(res.status).toBe(503);
  expect(res.headers.get("retry-after")).toMatch(/^\d+$/);
  expect(res.headers.get("content-type")).toMatch(/problem\+json/);
  expect(((await res.json()) as { type: string }).type).toBe("/problems/unavailable");
}

describe("a database that is down gives 503 with Retry-After, never a wrong answer", () => {
  test("Postgres that cannot be reached", async () => {
    // Nothing listens on port 1 of the loopback: the connection is refused at once.
    const { db, close } = connectPostgres("postgres://postgres@127.0.0.1:1/none", { max: 1 });
    const app = createApp({ db, clock: manualClock(), config: { ...parseConfig({}), adminToken, maxBodyBytes: 65536, trackRateLimit: 2 } });
    try {
      await expectUnavailable(await app.request("/healthz"));
      // An owner's read that fails is counted once, though it is tried at the front door and again the long way.
      const owner = () => app.request("/v1/track/some-owner-code-0123456789");
      await expectUnavailable(await owner());
      await expectUnavailable(await owner());
      expect((await owner()).status).toBe(429);
      await expectUnavailable(
        await app.request(`/v1/vehicles/${randomVin()}`, {
          method: "PUT",
          headers: { authorization: `Bearer ${adminToken}`, "content-type": "application/json" },
          body: JSON.stringify(vehicleBody()),
        }),
      );
      // a key that must be looked up in the database: 503, not 401
      await expectUnavailable(await app.request("/v1/releases", { headers: { authorization: "Bearer rtk_some-key" } }));
    } finally {
      await close();
    }
  });

  test("PGlite that has been closed", async () => {
    const { db, close } = await openMigratedPglite();
    const app = createApp({ db, clock: manualClock(), config: { ...parseConfig({}), adminToken, maxBodyBytes: 65536 } });
    expect((await app.request("/healthz")).status).toBe(200);
    await close();
    await expectUnavailable(await app.request("/healthz"));
  });
});
