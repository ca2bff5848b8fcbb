import { sql } from "drizzle-orm";
import { describe, expect, test } from "vitest";
import type { CreatedKey } from "../../src/routes/keys/keys.schemas";
import { backends } from "../helpers/backends";
import { withApp } from "../helpers/app";

describe.each(backends)("API keys ($name)", (backend) => {
  test("the admin creates a key; the token works, is shown once and stored only hashed", () =>
    withApp(backend, async ({ request, db }) => {
      const res = await request("POST", "/v1/keys", { json: { role: "support", label: "Desk NL" } });
      expect(res.status).toBe(201);
      const key = (await res.json()) as CreatedKey;
      expect(key).toMatchObject({ role: "support", label: "Desk NL" });
      expect(key.token).toMatch(/^rtk_[A-Za-z0-9_-]{40}$/);

      expect((await request("GET", "/v1/releases", { token: key.token })).status).toBe(200);

      const stored = await db.execute(sql`select token_hash from api_keys where id = ${key.id}`);
      const text = JSON.stringify(stored);
      expect(text).not.toContain(key.token);
      expect(text).toMatch(/[0-9a-f]{64}/);
    }));

  test("a release manager may not create keys; roles outside the list are refused", () =>
    withApp(backend, async ({ request, keyFor }) => {
      const manager = await keyFor("release_manager");
      expect((await request("POST", "/v1/keys", { token: manager, json: { role: "admin", label: "sneaky" } })).status).toBe(403);
      expect((await request("POST", "/v1/keys", { json: { role: "owner", label: "x" } })).status).toBe(400);
      expect((await request("POST", "/v1/keys", { json: { role: "support", label: "" } })).status).toBe(400);
    }));

  test("creating a key is audited", () =>
    withApp(backend, async ({ request, db }) => {
      await request("POST", "/v1/keys", { json: { role: "gateway", label: "OTA gateway EU" } });
      const rows = await db.execute(sql`select actor, action from audit_log where action = 'key.created' and after->>'label' = 'OTA gateway EU'`);
      expect(JSON.stringify(rows)).toContain("ADMIN_TOKEN");
    }));
});
