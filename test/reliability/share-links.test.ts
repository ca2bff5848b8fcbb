import { request as httpRequest } from "node:http";
import { sql } from "drizzle-orm";
import { afterEach, describe, expect, test } from "vitest";
import { rowsOf } from "../../src/db/rows";
import { type TestContext, withApp } from "../helpers/app";
import { backends } from "../helpers/backends";
import { randomVin, vehicleBody } from "../helpers/fleet";
import { type NodeServer, startNodeServer } from "../helpers/node-server";

async function registeredVin(ctx: TestContext) {
  const vin = randomVin();
  const res = await ctx.request("PUT", `/v1/vehicles/${vin}`, { json: vehicleBody() });
  if (res.status !== 201) throw new Error(`register: ${res.status} ${await res.text()}`);
  return vin;
}

describe.each(backends)("share links ($name)", (backend) => {
  test("are built from PUBLIC_URL whatever the Host header says", () =>
    withApp(
      backend,
      async (ctx) => {
        const vin = await registeredVin(ctx);
        // The full URL is what Hono sees as c.req.url on a Node server: it is built from Host.
        const res = await ctx.request("POST", `http://evil.example/v1/vehicles/${vin}/share-links`, {
          headers: { host: "evil.example", "x-forwarded-host": "evil.example" },
          json: { expiresInHours: 2 },
        });
        expect(res.status).toBe(201);
        const link = (await res.json()) as { url: string; code: string };
        expect(link.url).toBe(`https://status.example.org/owners/t/${link.code}`);
      },
      { config: { publicUrl: "https://status.example.org/owners/" } },
    ));

  test("without a public URL configured, none is made up: the link is refused and nothing is created", () =>
    withApp(
      backend,
      async (ctx) => {
        const vin = await registeredVin(ctx);
        const res = await ctx.request("POST", `http://evil.example/v1/vehicles/${vin}/share-links`, { headers: { host: "evil.example" }, json: { expiresInHours: 2 } });
        expect(res.status).toBe(500);
        expect(res.headers.get("content-type")).toContain("application/problem+json");
        expect(((await res.json()) as { detail: string }).detail).toContain("PUBLIC_URL");
        const links = await ctx.db.execute(sql`select 1 from share_links s join vehicles v on v.id = s.vehicle_id where v.vin = ${vin}`);
        expect(rowsOf(links)).toEqual([]);
      },
      { config: { publicUrl: undefined } },
    ));
});

describe("the Node server without PUBLIC_URL", () => {
  let server: NodeServer | undefined;
  afterEach(() => server?.stop());

  test("says so at start-up and hands out links on its own address, never the Host header's", async () => {
    // Within this worktree's port range (25600-25649), so parallel runs do not collide.
    const port = 25600 + Math.floor(Math.random() * 50);
    const admin = "share-links-admin-token-0123";
    // The warning goes to stderr, the address lines to stdout: wait for both pipes.
    server = await startNodeServer({ port, migrated: true, env: { PUBLIC_URL: "", SEED_DEMO: "0", ADMIN_TOKEN: admin }, waitFor: ["PUBLIC_URL is not set"] });
    const output = server.output();
    expect(output).toMatch(new RegExp(`PUBLIC_URL is not set.*http://localhost:${port}`));

    // node:http, because fetch will not send a Host header of our choosing.
    const call = (method: string, path: string, body: unknown) =>
      new Promise<{ status: number; body: string }>((resolve, reject) => {
        const payload = JSON.stringify(body);
        const req = httpRequest(
          { host: "127.0.0.1", port, method, path, headers: { host: "evil.example", authorization: `Bearer ${admin}`, "content-type": "application/json" } },
          (res) => {
            let text = "";
            res.on("data", (chunk: Buffer) => (text += chunk.toString()));
            res.on("end", () => resolve({ status: res.statusCode!, body: text }));
          },
        );
        req.on("error", reject);
        req.end(payload);
      });
    const vin = randomVin();
    expect((await call("PUT", `/v1/vehicles/${vin}`, vehicleBody())).status).toBe(201);
    const res = await call("POST", `/v1/vehicles/${vin}/share-links`, { expiresInHours: 2 });
    expect(res.status).toBe(201);
    const link = JSON.parse(res.body) as { url: string; code: string };
    expect(link.url).toBe(`http://localhost:${port}/t/${link.code}`);
  });
});
