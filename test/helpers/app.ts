import { type Config, parseConfig } from "../../src/config";
import { type AppDeps, createApp } from "../../src/app";
import type { Db } from "../../src/db/client";
import { manualClock } from "../../src/lib/clock";
import type { CreatedKey } from "../../src/routes/keys/keys.schemas";
import type { Backend } from "./backends";

export const adminToken = "test-admin-token-0123456789";

class Rollback extends Error {}

export type TestContext = Awaited<ReturnType<typeof buildContext>>;

/** What a test may set beyond the defaults: config entries and the optional dependencies of createApp. */
export type AppOverrides = Partial<Omit<AppDeps, "db" | "clock" | "config">> & { config?: Partial<Config> };

function buildContext(db: Db, { config, ...deps }: AppOverrides = {}) {
  const clock = manualClock("2026-11-01T08:00:00Z");
  const base = { ...parseConfig({}), adminToken, maxBodyBytes: 64 * 1024, publicUrl: "https://rollout.example.com" };
  const app = createApp({
    db,
    clock,
    // In-process requests have no socket: a test names the client's address itself (`peer`).
    connectionAddress: (c) => (c.env as { peer?: string } | undefined)?.peer,
    ...deps,
    config: { ...base, ...config },
  });
  const request = (
    method: string,
    path: string,
    init: { token?: string | null; json?: unknown; body?: BodyInit; headers?: Record<string, string>; peer?: string } = {},
  ) => {
    const headers: Record<string, string> = { ...init.headers };
    const token = init.token === undefined ? adminToken : init.token;
    if (token) headers.authorization = `Bearer ${token}`;
    let body = init.body;
    if (init.json !== undefined) {
      body = JSON.stringify(init.json);
      headers["content-type"] ??= "application/json";
    }
    return app.request(path, { method, headers, body }, { peer: init.peer });
  };
  /** A key of the given role, created through the API. */
  const keyFor = async (role: "admin" | "release_manager" | "support" | "gateway") => {
    const res = await request("POST", "/v1/keys", { json: { role, label: `test ${role}` } });
    if (res.status !== 201) throw new Error(`creating a ${role} key: ${res.status} ${await res.text()}`);
    return ((await res.json()) as CreatedKey).token;
  };
  return Promise.resolve({ app, db, clock, request, keyFor });
}

/**
 * Runs a test against the app inside a transaction that is rolled back, so
 * tests build what they need, see only their own rows and leave nothing behind.
 */
export async function withApp(backend: Backend, run: (ctx: TestContext) => Promise<void>, overrides: AppOverrides = {}) {
  const db = await backend.db();
  try {
    await db.transaction(async (tx) => {
      await run(await buildContext(tx, overrides));
      throw new Rollback();
    });
  } catch (error) {
    if (!(error instanceof Rollback)) throw error;
  }
}
