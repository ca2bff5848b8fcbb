import type { IncomingMessage, RequestListener, ServerResponse } from "node:http";
import { type TrustProxy, rememberedClientKeys } from "../lib/client-address";
import { type AheadAnswer, type TrackAhead, type TrackRead, countedAhead } from "../routes/track/track.cached";
import { codePattern } from "../routes/track/track.schemas";

// On a release day nearly every request is an owner's GET, and in a refresh storm
// nearly every one of them is an answer the cache holds. Served through
// @hono/node-server and two Hono apps, such a request built a web Request, a
// Context, ran the router of each app and turned a Response back into Node's
// headers: most of its cost, for an answer that is a string and a header list. Here the Node socket asks the app's own read-ahead
// (routes/track/track.cached.ts) first, with the same client key as the app, and
// writes its answer as it is; anything the read-ahead does not answer goes on to
// the framework untouched, so every other path and every refusal stays the app's.
// A cached answer comes back at once and is written in the same turn: no closure,
// Promise or header object is made for it beyond the answer's own header list.

/** `/v1/track/{code}` of a well-formed code and an optional query, nothing more: any other goes to the framework, which refuses it. */
const trackPath = new RegExp(`^/v1/track/(${codePattern})(?:\\?|$)`);

type ClientKeyOf = ReturnType<typeof rememberedClientKeys>;

/** The socket's request as the read-ahead asks about it. */
class SocketRead implements TrackRead {
  constructor(
    private readonly req: IncomingMessage,
    readonly code: string,
    private readonly clientKeyOf: ClientKeyOf,
  ) {}
  get url() {
    return this.req.url ?? "";
  }
  header(name: string) {
    const value = this.req.headers[name];
    return Array.isArray(value) ? value.join(", ") : value;
  }
  clientKey() {
    return this.clientKeyOf(this.req.socket.remoteAddress, (name) => this.header(name));
  }
}

export function ownerLane(ahead: TrackAhead, trustProxy: TrustProxy | undefined, framework: RequestListener): RequestListener {
  const clientKeyOf = rememberedClientKeys(trustProxy);
  const send = (req: IncomingMessage, res: ServerResponse, answer: AheadAnswer | undefined) => {
    if (answer?.kind !== "answered") {
      if (answer) countedAhead(req);
      return framework(req, res);
    }
    res.writeHead(answer.status, answer.headers);
    res.end(answer.body);
  };
  // The framework answers anything that goes wrong here, as it would have from the start.
  const fallBack = (req: IncomingMessage, res: ServerResponse) => {
    if (!res.headersSent) framework(req, res);
  };
  return (req, res) => {
    const code = req.method === "GET" ? trackPath.exec(req.url ?? "")?.[1] : undefined;
    if (code === undefined) return framework(req, res);
    let answer: ReturnType<TrackAhead>;
    try {
      answer = ahead(new SocketRead(req, code, clientKeyOf));
    } catch {
      return fallBack(req, res);
    }
    if (answer instanceof Promise) return void answer.then((a) => send(req, res, a)).catch(() => fallBack(req, res));
    try {
      send(req, res, answer);
    } catch {
      fallBack(req, res);
    }
  };
}
