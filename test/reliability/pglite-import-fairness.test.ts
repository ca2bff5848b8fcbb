import { afterAll, expect, test } from "vitest";
import { createApp } from "../../src/app";
import { parseConfig } from "../../src/config";
import { systemClock } from "../../src/lib/clock";
import { randomVin, vehicleBody } from "../helpers/fleet";
import { openMigratedPglite } from "../helpers/pglite";

// PGlite is one connection shared by every request: an import that kept a
// transaction open while it waits for a slow client would stall them all.

const adminToken = "fairness-admin-token-0123456789";
const pglite = await openMigratedPglite();
afterAll(() => pglite.close());

const app = createApp({ db: pglite.db, clock: systemClock, config: { ...parseConfig({}), adminToken } });
const auth = { authorization: `Bearer ${adminToken}` };

/** Resolves with the response, or with "timeout" when it takes longer than `ms`. */
const within = <T>(ms: number, work: T | Promise<T>) =>
  Promise.race([work, new Promise<"timeout">((resolve) => setTimeout(() => resolve("timeout"), ms))]);

test("while a slow client streams an import, health and owner pages answer at once", async () => {
  const vin = randomVin();
  const put = await app.request(`/v1/vehicles/${vin}`, {
    method: "PUT",
    headers: { ...auth, "content-type": "application/json" },
    body: JSON.stringify(vehicleBody()),
  });
  const { ownerCode } = (await put.json()) as { ownerCode: string };

  // A client that sends a first batch of lines, then goes quiet until told to finish.
  let finish!: () => void;
  const quiet = new Promise<void>((resolve) => (finish = resolve));
  const encoder = new TextEncoder();
  const vins = Array.from({ length: 3000 }, randomVin);
  const body = new ReadableStream<Uint8Array>({
    async start(controller) {
      controller.enqueue(encoder.encode(vins.map((v) => `${JSON.stringify({ vin: v, ...vehicleBody() })}\n`).join("")));
      await quiet;
      controller.close();
    },
  });
  const importing = app.request("/v1/vehicles/import", {
    method: "POST",
    headers: { ...auth, "content-type": "application/x-ndjson" },
    body,
    // @ts-expect-error Node's fetch needs this for a streamed request body
    duplex: "half",
  });
  const response = await within(2000, importing);
  let received = "";
  let reader: ReadableStreamDefaultReader<string> | undefined;
  try {
    expect(response, "the import's response should start at once").not.toBe("timeout");
    // The lines sent so far are committed and answered while the client is still sending.
    reader = (response as Response).body!.pipeThrough(new TextDecoderStream()).getReader();
    const readSome = async () => {
      while (received.split("\n").length <= 1000) {
        const chunk = await reader!.read();
        if (chunk.done) break;
        received += chunk.value;
      }
    };
    expect(await within(5000, readSome())).not.toBe("timeout");
    expect(received.split("\n").length).toBeGreaterThan(1000);

    for (let i = 0; i < 3; i++) {
      const health = await within(1000, app.request("/healthz"));
      expect(health === "timeout" ? "timeout" : health.status).toBe(200);
      const track = await within(1000, app.request(`/v1/track/${ownerCode}`));
      expect(track === "timeout" ? "timeout" : track.status).toBe(200);
    }
  } finally {
    finish();
  }
  for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) received += chunk.value;
  const lines = received.trim().split("\n");
  expect(lines).toHaveLength(3001);
  expect(JSON.parse(lines.at(-1)!)).toEqual({ summary: { lines: 3000, created: 3000, updated: 0, rejected: 0, committed: true } });
});
