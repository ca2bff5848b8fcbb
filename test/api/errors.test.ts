import { describe, expect, test } from "vitest";
import type { Problem } from "../../src/routes/common.schemas";
import { backends } from "../helpers/backends";
import { withApp } from "../helpers/app";
import { randomVin, vehicleBody } from "../helpers/fleet";

async function expectProblem(res: Response, status: number, type: string) {
  expect(res.status).toBe(status);
  expect(res.headers.get("content-type")).toMatch(/^application\/problem\+json/);
  const body = (await res.json()) as Problem;
  expect(body).toMatchObject({ type: `/problems/${type}`, status });
  expect(body.title).toBeTruthy();
  expect(body.detail.length).toBeGreaterThan(5);
  return body;
}

describe.each(backends)("every error is problem+json ($name)", (backend) => {
  test("unknown route is 404", () =>
    withApp(backend, async ({ request }) => {
      await expectProblem(await request("GET", "/v1/nothing-here"), 404, "not_found");
    }));

  test("wrong method on a known path is 405 with Allow", () =>
    withApp(backend, async ({ request }) => {
      const res = await request("DELETE", "/v1/releases");
      await expectProblem(res, 405, "method_not_allowed");
      expect(res.headers.get("allow")).toContain("GET");
      expect(res.headers.get("allow")).toContain("POST");
    }));

  test("malformed JSON is 400 and changes nothing", () =>
    withApp(backend, async ({ request }) => {
      const vin = randomVin();
      const res = await request("PUT", `/v1/vehicles/${vin}`, { body: '{"model": "model3",', headers: { "content-type": "application/json" } });
      const body = await expectProblem(res, 400, "bad_request");
      expect(body.detail).toMatch(/JSON/);
      expect((await request("GET", `/v1/vehicles/${vin}`)).status).toBe(404);
    }));

  test("validation failures name the offending fields", () =>
    withApp(backend, async ({ request }) => {
      const res = await request("PUT", `/v1/vehicles/${randomVin()}`, {
        json: vehicleBody({ channel: "nightly", firmware: "2026.04.1" }),
      });
      const body = await expectProblem(res, 400, "validation");
      const fields = body.errors!.map((e) => e.field).sort();
      expect(fields).toEqual(["channel", "firmware"]);

      const badVin = await expectProblem(await request("PUT", "/v1/vehicles/5YJ3E1EA1KF00O123", { json: vehicleBody() }), 400, "validation");
      expect(badVin.errors).toEqual([{ field: "param.vin", message: expect.stringContaining("'O'") }]);
    }));

  test("unknown fields are rejected, not silently dropped", () =>
    withApp(backend, async ({ request }) => {
      const res = await request("PUT", `/v1/vehicles/${randomVin()}`, { json: vehicleBody({ colour: "red" }) });
      await expectProblem(res, 400, "validation");
    }));

  test("a body over the limit is 413", () =>
    withApp(backend, async ({ request }) => {
      const res = await request("POST", "/v1/releases", {
        json: { version: "2026.44.1", channel: "stable", notes: "x".repeat(70 * 1024) },
      });
      await expectProblem(res, 413, "payload_too_large");
    }));

  test("a body that is not JSON is 415", () =>
    withApp(backend, async ({ request }) => {
      const res = await request("POST", "/v1/releases", { body: "version=1", headers: { "content-type": "text/plain" } });
      await expectProblem(res, 415, "unsupported_media_type");
    }));

  test("no key is 401, an unknown key is 401, the wrong role is 403", () =>
    withApp(backend, async ({ request, keyFor }) => {
      await expectProblem(await request("GET", "/v1/releases", { token: null }), 401, "unauthorized");
      await expectProblem(await request("GET", "/v1/releases", { token: "rtk_not-a-key" }), 401, "unauthorized");
      await expectProblem(await request("GET", "/v1/releases", { headers: { authorization: "Basic abc" }, token: null }), 401, "unauthorized");
      const gateway = await keyFor("gateway");
      await expectProblem(await request("GET", "/v1/releases", { token: gateway }), 403, "forbidden");
      const support = await keyFor("support");
      await expectProblem(await request("POST", "/v1/keys", { token: support, json: { role: "admin", label: "x" } }), 403, "forbidden");
    }));
});
