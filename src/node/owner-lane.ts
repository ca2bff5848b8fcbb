import type { IncomingMessage, RequestListener, ServerResponse } from "node:http";
import { type TrustProxy, rememberedClientKeys } from "../lib/client-address";
import { type TrackAhead, countedAhead } from "../routes/track/track.cached";

// On a release day nearly every request is an owner's GET, and in a refresh storm
// nearly every one of them is an answer the cache holds. Served through
// @hono/node-server and two Hono apps, such a request built a web Request, a
// Context, ran the router of each app and turned a Response back into Node's
// headers: most of its cost, for an answer that is a string and a header object. Here the Node socket asks the app's own read-ahead
// (routes/track/track.cached.ts) first, with the same client key as the app, and
// writes its answer as it is; anything the read-ahead does not answer goes on to
// the framework untouched, so every other path and every refusal stays the app's.

/** `/v1/track/{code}` and an optional query, nothing more (the app's code pattern). */
const trackPath = /^\/v1\/track\/([A-Za-z0-9_-]{1,128})(?:\?|$)/;

const headerOf = (req: IncomingMessage) => (name: string) => {
  const value = req.headers[name];
  return Array.isArray(value) ? value.join(", ") : value;
};

export function ownerLane(ahead: TrackAhead, trustProxy: TrustProxy | undefined, framework: RequestListener): RequestListener {
  const clientKeyOf = rememberedClientKeys(trustProxy);
  const answer = async (req: IncomingMessage, res: ServerResponse, code: string) => {
    const url = req.url ?? "";
    const header = headerOf(req);
    const answered = await ahead({ code, url, header, clientKey: () => clientKeyOf(req.socket.remoteAddress, header) });
    if (answered?.kind !== "answered") {
      if (answered) countedAhead(req);
      return framework(req, res);
    }
    // The read-ahead built this header object for this response alone.
    answered.headers["content-length"] = String(Buffer.byteLength(answered.body));
    res.writeHead(answered.status, answered.headers);
    res.end(answered.body);
  };
  return (req, res) => {
    const code = req.method === "GET" ? trackPath.exec(req.url ?? "")?.[1] : undefined;
    if (code === undefined) return framework(req, res);
    // The framework answers anything that goes wrong here, as it would have from the start.
    answer(req, res, code).catch(() => {
      if (!res.headersSent) framework(req, res);
    });
  };
}
