import { type LookupAddress, lookup as systemLookup } from "node:dns";
import { lookup as lookupAll } from "node:dns/promises";
import type { LookupFunction } from "node:net";
import { Agent, fetch as undiciFetch } from "undici";
import { type ResolveHost, type WebhookTargets, addressProblem, urlProblem } from "../lib/public-address";

/** Every address the system resolver gives for a name (what a connection could end up using). */
export const resolveWithDns: ResolveHost = async (hostname) =>
  (await lookupAll(hostname, { all: true, verbatim: true })).map((a) => a.address);

/**
 * A lookup for the sockets of webhook deliveries: it resolves, refuses the
 * whole name if any address is not allowed, and hands the socket exactly the
 * addresses it checked. A name that is rebound between the delivery's check
 * and the connection therefore still cannot lead inside.
 */
function guardedLookup(targets: WebhookTargets, lookup: LookupFunction): LookupFunction {
  return (hostname, options, callback) => {
    lookup(hostname, { ...options, all: true }, (error, resolved) => {
      // With `all: true` Node answers a list; its LookupFunction type only knows the single-address form.
      const addresses = resolved as unknown as LookupAddress[];
      if (error) return callback(error, "", 0);
      for (const { address } of addresses) {
        const refused = addressProblem(address, targets);
        if (refused) return callback(Object.assign(new Error(`refused: ${hostname}: ${refused}`), { code: "EADDRNOTPUBLIC" }), "", 0);
      }
      if (options.all) (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, addresses); // the list form, as above
      else {
        const [first] = addresses;
        if (!first) return callback(Object.assign(new Error(`${hostname} has no address`), { code: "ENOTFOUND" }), "", 0);
        callback(null, first.address, first.family);
      }
    });
  };
}

/**
 * Node's fetch for webhook deliveries, with the address check at connect
 * time (undici's own fetch and Agent: the one bundled in Node cannot be
 * given a dispatcher from this package reliably across versions).
 * Literal addresses never go through a lookup, so they are checked here.
 */
export function guardedFetch(targets: WebhookTargets, lookup: LookupFunction = systemLookup /* dns.lookup is overloaded; this is its callback form */): typeof globalThis.fetch {
  const dispatcher = new Agent({ connect: { lookup: guardedLookup(targets, lookup) } });
  const fetch = async (input: string | URL | Request, init?: RequestInit) => {
    const url = input instanceof Request ? input.url : String(input);
    const refused = urlProblem(url, targets);
    if (refused) throw new TypeError(`refused: ${refused}`);
    // undici's RequestInit and the DOM's differ only in types the webhook sender never sets.
    return undiciFetch(url, { ...(init as object), dispatcher });
  };
  // undici's Response is the one Node's fetch returns, but its types are its own.
  return fetch as unknown as typeof globalThis.fetch;
}
