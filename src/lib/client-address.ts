import { LRUCache } from "lru-cache";
import type { Context } from "hono";
import {
  convertIPv4BinaryToString,
  convertIPv4MappedIPv6ToIPv4,
  convertIPv4ToBinary,
  convertIPv6BinaryToString,
  convertIPv6ToBinary,
  distinctRemoteAddr,
  isIPv4MappedIPv6,
} from "hono/utils/ipaddr";

// Who is asking, for the per-client limits. The only address nobody can forge
// is the connection's peer, so that is the client, unless the operator has
// said (TRUST_PROXY) that a proxy in front of us writes a header we may believe.

/** The connection's peer as the runtime reports it: the socket on Node, `cf-connecting-ip` on Workers. */
export type ConnectionAddress = (c: Context) => string | undefined;

type Ip = { v4: boolean; bits: bigint };
type Range = { v4: boolean; bits: bigint; mask: bigint };

/** `TRUST_PROXY`, parsed: the header a proxy writes, and which peers are such proxies. */
export type TrustProxy = { header: string; proxies: Range[] };

/** Parses an address as it appears on a socket or in a forwarding header (`::ffff:` mapped, `[v6]:port`, `v4:port`). */
export function parseIp(text: string): Ip | null {
  let value = text.trim();
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(value);
  if (bracketed?.[1]) value = bracketed[1];
  else if (/^[\d.]+:\d+$/.test(value)) value = value.slice(0, value.lastIndexOf(":"));
  value = value.replace(/%.*$/, ""); // an IPv6 zone names our interface, not the client
  try {
    const kind = distinctRemoteAddr(value);
    if (kind === "IPv4") return { v4: true, bits: convertIPv4ToBinary(value) };
    if (kind !== "IPv6") return null;
    const bits = convertIPv6ToBinary(value);
    return isIPv4MappedIPv6(bits) ? { v4: true, bits: convertIPv4MappedIPv6ToIPv4(bits) } : { v4: false, bits };
  } catch {
    return null;
  }
}

const formatIp = (ip: Ip) => (ip.v4 ? convertIPv4BinaryToString(ip.bits) : convertIPv6BinaryToString(ip.bits));

function parseRange(text: string): Range {
  const [address, prefixText] = text.split("/");
  const ip = parseIp(address ?? "");
  const width = ip?.v4 ? 32 : 128;
  const prefix = prefixText === undefined ? width : Number(prefixText);
  if (!ip || (prefixText !== undefined && !/^\d{1,3}$/.test(prefixText)) || prefix > width) throw new Error(`TRUST_PROXY: '${text}' is not an address or CIDR range`);
  const mask = ((1n << BigInt(prefix)) - 1n) << BigInt(width - prefix);
  return { v4: ip.v4, bits: ip.bits & mask, mask };
}

// The words express's `trust proxy` made familiar: where proxies of one's own usually sit.
const named: Record<string, string[]> = {
  loopback: ["127.0.0.0/8", "::1/128"],
  private: ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "fc00::/7"],
  linklocal: ["169.254.0.0/16", "fe80::/10"],
};

/**
 * `TRUST_PROXY` is a header name, then optionally the proxies it is believed
 * from (addresses, CIDR ranges, or `loopback`, `private`, `linklocal`),
 * separated by spaces or commas: `x-forwarded-for 10.0.0.0/8`. Without a list,
 * only loopback and private peers count as proxies. Unset: no header is believed.
 */
export function parseTrustProxy(value: string | undefined): TrustProxy | undefined {
  const [header, ...rest] = (value ?? "").split(/[\s,]+/).filter(Boolean);
  if (!header) return undefined;
  if (!/^[a-z0-9-]+$/i.test(header)) throw new Error(`TRUST_PROXY: '${header}' is not a header name`);
  const words = rest.length > 0 ? rest : ["loopback", "private"];
  return { header: header.toLowerCase(), proxies: words.flatMap((w) => named[w.toLowerCase()] ?? [w]).map(parseRange) };
}

const within = (ip: Ip, ranges: Range[]) => ranges.some((r) => r.v4 === ip.v4 && (ip.bits & r.mask) === r.bits);

/**
 * The client's address. Walks from the peer towards the client through the
 * header's hops, right to left, for as long as the hop is a trusted proxy;
 * the first untrusted hop was written by a proxy we trust, so it is the client.
 * Entries further left were written by the client itself and are never read.
 */
export function clientAddress(c: Context, connection: ConnectionAddress, trust: TrustProxy | undefined): string {
  return clientOf(connection(c), (name) => c.req.header(name), trust);
}

/** The same from the parts themselves, for a runtime that answers before the framework (src/node/owner-lane.ts). */
export function clientOf(peerText: string | undefined, header: (name: string) => string | undefined, trust: TrustProxy | undefined): string {
  let current = peerText ? parseIp(peerText) : null;
  if (!current) return peerText ?? "unknown";
  if (trust) {
    const hops = (header(trust.header) ?? "").split(",").filter((h) => h.trim() !== "");
    for (let hop = hops.pop(); hop !== undefined && within(current, trust.proxies); hop = hops.pop()) {
      const next = parseIp(hop);
      // A proxy of ours wrote something that is no address: stop at the proxy rather than guess.
      if (!next) break;
      current = next;
    }
  }
  return formatIp(current);
}

/**
 * The key a client is counted under. One IPv6 host usually holds a whole /64,
 * so counting single IPv6 addresses would hand it 2^64 budgets.
 */
export function clientKey(address: string): string {
  const ip = parseIp(address);
  if (!ip || ip.v4) return address;
  const mask = ((1n << 64n) - 1n) << 64n;
  return `${convertIPv6BinaryToString(ip.bits & mask)}/64`;
}

/**
 * `clientKey(clientOf(…))` remembered by the peer and the forwarding header's value:
 * parsing addresses (BigInt arithmetic) was ~3% of a cached owner read, and a
 * release day's clients ask many times each.
 */
export function rememberedClientKeys(trust: TrustProxy | undefined, max = 10_000) {
  const keys = new LRUCache<string, string>({ max });
  return (peer: string | undefined, header: (name: string) => string | undefined) => {
    const forwarded = trust ? (header(trust.header) ?? "") : "";
    // A peer alone is its own key (its string comes from the socket, its hash computed once); a line break never occurs in either.
    const seen = forwarded ? `${peer ?? ""}\n${forwarded}` : (peer ?? "");
    let key = keys.get(seen);
    if (key === undefined) keys.set(seen, (key = clientKey(clientOf(peer, () => forwarded || undefined, trust))));
    return key;
  };
}
