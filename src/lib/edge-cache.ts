import { negotiateLanguageTag } from "../domain/locale-negotiation";

// Workers only: the public rollout answers are the same for every reader of a
// language, so the data centre that serves them keeps them for their max-age
// (Cache API) and a release-day crowd reaches the database once per
// location and language, not once per isolate.

/** The Workers Cache API, as far as we use it (`caches.default`). */
export type EdgeCache = {
  match(request: Request): Promise<Response | undefined>;
  put(request: Request, response: Response): Promise<void>;
};

/** Paths whose answers are public and cacheable (Cache-Control: public). */
export const isEdgeCacheable = (request: Request) => request.method === "GET" && new URL(request.url).pathname.startsWith("/v1/public/");

/**
 * The Cache API ignores Vary: the key carries the reader's language instead,
 * as the answer would negotiate it (?lang= wins, else Accept-Language).
 */
export function edgeCacheKey(request: Request): Request {
  const url = new URL(request.url);
  if (!url.searchParams.has("lang")) url.searchParams.set("lang", negotiateLanguageTag(request.headers.get("accept-language") ?? ""));
  url.searchParams.sort();
  return new Request(url.toString(), { method: "GET" });
}

/** Serves a cached answer when there is one; otherwise answers and keeps a public 200 for its max-age. */
export async function withEdgeCache(
  request: Request,
  cache: EdgeCache,
  waitUntil: (promise: Promise<unknown>) => void,
  answer: () => Promise<Response>,
): Promise<Response> {
  const key = edgeCacheKey(request);
  const hit = await cache.match(key);
  if (hit) {
    const response = new Response(hit.body, hit);
    response.headers.set("X-Edge-Cache", "HIT");
    return response;
  }
  const response = await answer();
  if (response.status !== 200 || !(response.headers.get("cache-control") ?? "").startsWith("public")) return response;
  const kept = new Response(response.body, response);
  kept.headers.set("X-Edge-Cache", "MISS");
  waitUntil(cache.put(key, kept.clone()).catch(() => {}));
  return kept;
}
