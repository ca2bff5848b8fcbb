// A thin client of the server under test, for the timed one-off calls (start,
// advance, re-plans) and the correctness probes run alongside the load.
export const adminToken = "bench-admin-token-0123456789";

export type Api = (method: string, path: string, body?: unknown, headers?: Record<string, string>) => Promise<Response>;

export function apiOf(base: string, token = adminToken): Api {
  return (method, path, body, headers = {}) =>
    fetch(base + path, {
      method,
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json", ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
}

/** Calls and insists on a 2xx: a set-up step that fails makes every later figure meaningless. */
export async function ok(res: Response | Promise<Response>, what: string): Promise<Response> {
  const r = await res;
  if (!r.ok) throw new Error(`${what}: ${r.status} ${await r.text()}`);
  return r;
}

export async function timed<T>(work: () => Promise<T>): Promise<{ result: T; ms: number }> {
  const started = performance.now();
  const result = await work();
  return { result, ms: performance.now() - started };
}
