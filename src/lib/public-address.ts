import ipaddr from "ipaddr.js";

/**
 * Where webhooks may be sent. The default is strict (https, public addresses
 * only): a subscriber URL is chosen by whoever holds an admin key, and the
 * server must not become their way into the network it runs in.
 */
export type WebhookTargets = {
  /** Loopback, private and link-local addresses (on-premise receivers, tests); never the metadata endpoints. */
  allowPrivate: boolean;
  /** Plain http (local test receivers). */
  allowHttp: boolean;
};

export const strictWebhookTargets: WebhookTargets = { allowPrivate: false, allowHttp: false };

/** A host name's addresses; throws when it does not resolve. */
export type ResolveHost = (hostname: string) => Promise<string[]>;

// Cloud instance metadata hands out credentials: refused even when private
// addresses are allowed. AWS/GCP/Azure/OpenStack, AWS ECS tasks, AWS IPv6, Alibaba.
const metadataAddresses = new Set(["169.254.169.254", "169.254.170.2", "fd00:ec2::254", "100.100.100.200"]);
const metadataNames = new Set(["metadata.google.internal", "metadata.goog", "metadata"]);

/** Why nothing may be sent to `address` (an IP literal), or null when it may. */
export function addressProblem(address: string, targets: WebhookTargets): string | null {
  if (!ipaddr.isValid(address)) return `${address} is not an IP address`;
  let ip = ipaddr.parse(address);
  // ::ffff:127.0.0.1 is 127.0.0.1: judge the IPv4 address inside.
  if (ip.kind() === "ipv6" && (ip as ipaddr.IPv6).isIPv4MappedAddress()) ip = (ip as ipaddr.IPv6).toIPv4Address();
  const normal = ip.toString();
  if (metadataAddresses.has(normal)) return `${address} is a cloud metadata address`;
  const range = ip.range();
  // Everything but plain unicast: loopback, private, link-local, unique local,
  // unspecified, carrier-grade NAT, reserved, multicast, broadcast, and the
  // IPv6 translation ranges (NAT64, 6to4, Teredo) that may lead back inside.
  if (range === "unicast") return null;
  const privateRanges = ["loopback", "private", "linkLocal", "uniqueLocal", "carrierGradeNat"];
  if (targets.allowPrivate && privateRanges.includes(range)) return null;
  return `${address} is not a public address (${range})`;
}

/** The URL's host without IPv6 brackets and trailing dot, lower case (the URL parser already turned 0x7f.1 into 127.0.0.1). */
function hostOf(url: URL) {
  return url.hostname.replace(/^\[(.*)\]$/, "$1").replace(/\.$/, "").toLowerCase();
}

/** Why `url` may not be a webhook target, judged without resolving names; null when it passes. */
export function urlProblem(url: string, targets: WebhookTargets): string | null {
  if (!URL.canParse(url)) return "not a URL";
  const parsed = new URL(url);
  const scheme = parsed.protocol.slice(0, -1);
  if (scheme !== "https" && !(scheme === "http" && targets.allowHttp)) return "must be an https:// URL";
  const host = hostOf(parsed);
  if (ipaddr.isValid(host)) return addressProblem(host, targets);
  if (metadataNames.has(host)) return `${host} is a cloud metadata name`;
  // RFC 6761: localhost and everything under it is the machine itself.
  if ((host === "localhost" || host.endsWith(".localhost")) && !targets.allowPrivate) return `${host} is not a public address (loopback)`;
  return null;
}

/**
 * Why `url` may not be a webhook target after resolving its host with
 * `resolve` (every address must pass), or null. Without a resolver only the
 * URL itself is judged: see the entries for where that is the right call.
 */
export async function targetProblem(url: string, targets: WebhookTargets, resolve?: ResolveHost): Promise<string | null> {
  const problem = urlProblem(url, targets);
  if (problem || !resolve) return problem;
  const host = hostOf(new URL(url));
  if (ipaddr.isValid(host)) return null;
  let addresses: string[];
  try {
    addresses = await resolve(host);
  } catch (error) {
    const code = error instanceof Error && "code" in error ? error.code : undefined;
    return `${host} does not resolve${typeof code === "string" ? ` (${code})` : ""}`;
  }
  if (addresses.length === 0) return `${host} does not resolve`;
  for (const address of addresses) {
    const refused = addressProblem(address, targets);
    if (refused) return `${host}: ${refused}`;
  }
  return null;
}
