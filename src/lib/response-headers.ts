import { type Context, Hono } from "hono";
import { createMiddleware } from "hono/factory";
// For its ContextVariableMap entry `requestId`, which this middleware sets.
import type {} from "hono/request-id";
import { secureHeaders } from "hono/secure-headers";
import type { AppEnv } from "./env";
import { nextRequestId } from "./request-ids";

// Every response carries hono's secure headers and an X-Request-Id (as hono's
// requestId sets it). Set one by one on a finished response they build and
// validate a web Headers object, which @hono/node-server then turns back into
// a plain object: 12% of the CPU of a cached progress read in a profile.
// Hot reads therefore build their Response with every header in one plain
// object (`json` below), which the Node adapter writes straight to the socket,
// and the middleware leaves those alone. Every other response is handled as
// hono's own middleware would. The header values are hono's: they are read
// once from secureHeaders itself, so the two paths cannot drift apart.
//
// A JSON answer keeps three of hono's secure headers: HSTS, nosniff and X-Frame-Options,
// the set OWASP's REST Security Cheat Sheet gives APIs. The others (COOP,
// Origin-Agent-Cluster, Referrer-Policy, X-DNS-Prefetch-Control, X-Download-Options,
// X-Permitted-Cross-Domain-Policies, X-XSS-Protection) act only on a document a browser
// renders, which JSON never is; anything else (pages, /docs, files) gets them all. Node
// checks each header of each response: those seven were ~5% of a refresh storm's
// throughput (node:http sending an owner's answer with and without them).
const answerHeaderNames = new Set(["strict-transport-security", "x-content-type-options", "x-frame-options"]);
const isJsonAnswer = (contentType: string | null) => contentType !== null && /^application\/(?:[\w.-]+\+)?json\b|^application\/x-ndjson\b/i.test(contentType);

type SecureHeadersOptions = NonNullable<Parameters<typeof secureHeaders>[0]>;

async function secureHeaderValues(options: SecureHeadersOptions): Promise<Record<string, string>> {
  const probe = new Hono().use(secureHeaders(options)).get("/", (c) => c.body(null));
  return Object.fromEntries((await probe.request("/")).headers);
}

export function responseHeaders(options: SecureHeadersOptions) {
  // Read once, when the app is built; until then (a moment) nothing is answered ahead of the middleware.
  let forDocuments: Record<string, string> | undefined;
  let forAnswers: Record<string, string> | undefined;
  const ready = secureHeaderValues(options).then((values) => {
    forDocuments = values;
    forAnswers = Object.fromEntries(Object.entries(values).filter(([name]) => answerHeaderNames.has(name)));
  });
  // Responses built by `json`, complete already.
  const complete = new WeakSet<Response>();

  const middleware = createMiddleware<AppEnv>(async (c, next) => {
    await ready;
    // As hono's requestId does, but set on the response afterwards: set now, it
    // would build a Headers object that a complete response never uses.
    const sent = c.req.header("x-request-id");
    c.set("requestId", sent && sent.length <= 255 && !/[^\w\-=]/.test(sent) ? sent : nextRequestId());
    await next();
    if (complete.has(c.res)) return;
    // As secureHeaders does: overwrite, and no X-Powered-By.
    for (const [name, value] of Object.entries((isJsonAnswer(c.res.headers.get("content-type")) ? forAnswers : forDocuments) ?? {})) c.res.headers.set(name, value);
    c.res.headers.delete("x-powered-by");
    c.res.headers.set("x-request-id", c.get("requestId"));
  });

  // The request id last: `aheadBlock` copies leave its value to be written per request.
  const all = (requestId: string, headers: Record<string, string>) => ({ ...forAnswers, "content-type": "application/json", ...headers, "x-request-id": requestId });
  /** A response whose headers are complete already: the middleware leaves it alone. */
  const finished = (body: string, headers: HeadersInit, status = 200) => {
    const response = new Response(body, { status, headers });
    complete.add(response);
    return response;
  };

  // The headers of a JSON answer with no others, request id last: a copy of this one object keeps
  // its shape, where building `all` anew per request was ~5% of a cached progress read's CPU.
  let plainJson: Record<string, string> | undefined;
  const copyWithId = (requestId: string) => {
    const headers = { ...(plainJson ??= all("", {})) };
    headers["x-request-id"] = requestId;
    return headers;
  };

  /** A 200 JSON response of an already serialized body, with every common header in place. */
  const json = (c: Context<AppEnv>, body: string, headers?: Record<string, string>) =>
    finished(body, headers ? all(c.get("requestId"), headers) : copyWithId(c.get("requestId")));

  /**
   * The headers of a JSON answer to a request answered before the middleware ran
   * (routes/track/track.cached.ts, src/node/owner-lane.ts), as one flat
   * `[name, value, …]` list to be built once per answer and copied per request,
   * which then gives its own request id (as the middleware would a request that
   * sent none) in the last value: a refresh storm sends one answer thousands
   * of times a second. Undefined until hono's values have been read, a moment
   * after start (`ready`).
   */
  const aheadBlock = (headers: Record<string, string>): string[] | undefined => (forAnswers ? Object.entries(all("", headers)).flat() : undefined);

  return { middleware, json, aheadBlock, ready, finished };
}

export type ResponseHeaders = ReturnType<typeof responseHeaders>;
