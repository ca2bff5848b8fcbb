import { describe, expect, test } from "vitest";
import { backends } from "../helpers/backends";
import { withApp } from "../helpers/app";

type OpenApi = { openapi: string; paths: Record<string, Record<string, { security?: unknown; responses: Record<string, unknown> }>>; components: { schemas: Record<string, unknown> } };

describe.each(backends.slice(0, 1))("the API documents itself ($name)", (backend) => {
  test("/openapi.json is OpenAPI 3.1 with every endpoint of this version", () =>
    withApp(backend, async ({ request }) => {
      const res = await request("GET", "/openapi.json", { token: null });
      expect(res.status).toBe(200);
      const doc = (await res.json()) as OpenApi;
      expect(doc.openapi).toBe("3.1.0");
      expect(Object.keys(doc.paths)).toEqual(
        expect.arrayContaining([
          "/healthz",
          "/v1/keys",
          "/v1/releases",
          "/v1/releases/{version}",
          "/v1/releases/{version}/waves",
          "/v1/releases/{version}/start",
          "/v1/releases/{version}/pause",
          "/v1/releases/{version}/resume",
          "/v1/releases/{version}/advance",
          "/v1/releases/{version}/halt",
          "/v1/releases/{version}/progress",
          "/v1/releases/{version}/queue",
          "/v1/audit",
          "/v1/vehicles/import",
          "/v1/vehicles/{vin}",
        ]),
      );
      expect(Object.keys(doc.paths["/v1/vehicles/{vin}"]!).sort()).toEqual(["get", "put"]);
      expect(doc.paths["/v1/releases"]!.post!.security).toEqual([{ bearerAuth: [] }]);
      expect(doc.paths["/v1/releases"]!.post!.responses).toHaveProperty("409");
      expect(doc.components.schemas).toHaveProperty("Problem");
      expect(doc.components.schemas).toHaveProperty("Release");
    }));

  test("/docs serves interactive docs with assets from this server, not a CDN", () =>
    withApp(backend, async ({ request }) => {
      const res = await request("GET", "/docs", { token: null });
      expect(res.status).toBe(200);
      const html = await res.text();
      expect(html).toContain("/openapi.json");
      expect(html).toContain("/assets/swagger-ui-dist/swagger-ui-bundle.js");
      expect(html).not.toMatch(/cdn\.|unpkg/);
    }));
});
