import { Hono } from "hono";
import { describe, expect, test } from "vitest";
import { parseConfig } from "../../src/config";
import { clientAddress, clientKey, clientOf, parseIp, parseTrustProxy, rememberedClientKeys } from "../../src/lib/client-address";

/** The client address the app would count, for a peer and request headers. */
async function resolve(peer: string | undefined, headers: Record<string, string>, trustProxy?: string) {
  const trust = parseTrustProxy(trustProxy);
  const app = new Hono().get("/", (c) => c.text(clientAddress(c, () => peer, trust)));
  return (await app.request("/", { headers })).text();
}

describe("client address", () => {
  test("the peer is the client; forwarding headers are ignored unless TRUST_PROXY names one", async () => {
    const forged = { "x-forwarded-for": "198.51.100.1", "x-real-ip": "198.51.100.2", "cf-connecting-ip": "198.51.100.3" };
    expect(await resolve("203.0.113.7", forged)).toBe("203.0.113.7");
    expect(await resolve("::ffff:127.0.0.2", forged)).toBe("127.0.0.2");
    expect(await resolve(undefined, forged)).toBe("unknown");
    // A named header from a peer that is not a trusted proxy is still the client's own word.
    expect(await resolve("203.0.113.7", forged, "x-forwarded-for")).toBe("203.0.113.7");
    expect(await resolve("10.1.2.3", forged, "x-forwarded-for 10.9.0.0/16")).toBe("10.1.2.3");
    // Only the named header: x-real-ip is not believed when x-forwarded-for is.
    expect(await resolve("10.1.2.3", { "x-real-ip": "198.51.100.2" }, "x-forwarded-for")).toBe("10.1.2.3");
  });

  test("through trusted proxies: the right-most hop that is not a trusted proxy, never the left-most", async () => {
    const trust = "x-forwarded-for 10.0.0.0/8 192.0.2.10";
    expect(await resolve("10.0.0.5", { "x-forwarded-for": "203.0.113.9" }, trust)).toBe("203.0.113.9");
    expect(await resolve("10.0.0.5", { "x-forwarded-for": "198.51.100.66, 203.0.113.9, 192.0.2.10" }, trust)).toBe("203.0.113.9");
    expect(await resolve("::ffff:10.0.0.5", { "x-forwarded-for": "[2001:db8::1]:4711" }, trust)).toBe("2001:db8::1");
    // Everything trusted (a client inside the proxies' own network): the left-most hop.
    expect(await resolve("10.0.0.5", { "x-forwarded-for": "10.0.0.7, 10.0.0.6" }, trust)).toBe("10.0.0.7");
    // A proxy of ours wrote garbage: stop at the proxy rather than count under a made-up name.
    expect(await resolve("10.0.0.5", { "x-forwarded-for": "1.2.3.4, not-an-ip" }, trust)).toBe("10.0.0.5");
    // No header from a trusted proxy: the proxy itself.
    expect(await resolve("10.0.0.5", {}, trust)).toBe("10.0.0.5");
    // Without a list, loopback and private peers are the proxies; a public peer is not.
    expect(await resolve("127.0.0.1", { "x-forwarded-for": "203.0.113.9" }, "X-Forwarded-For")).toBe("203.0.113.9");
    expect(await resolve("fd00::1", { "x-forwarded-for": "203.0.113.9" }, "x-forwarded-for")).toBe("203.0.113.9");
    expect(await resolve("203.0.113.1", { "x-forwarded-for": "203.0.113.9" }, "x-forwarded-for")).toBe("203.0.113.1");
    expect(await resolve("192.168.1.1", { "x-forwarded-for": "203.0.113.9" }, "x-forwarded-for loopback")).toBe("192.168.1.1");
  });

  test("TRUST_PROXY that cannot be understood stops the start, not the first request", () => {
    expect(parseTrustProxy(undefined)).toBeUndefined();
    expect(parseTrustProxy("  ")).toBeUndefined();
    expect(parseConfig({ TRUST_PROXY: "x-forwarded-for, 10.0.0.0/8" }).trustProxy?.header).toBe("x-forwarded-for");
    expect(parseConfig({}).trustProxy).toBeUndefined();
    for (const bad of ["x-forwarded-for 10.0.0.0/33", "x-forwarded-for 10.0.0.0/", "x-forwarded-for somewhere", "x forwarded: for"]) {
      expect(() => parseConfig({ TRUST_PROXY: bad }), bad).toThrow(/TRUST_PROXY/);
    }
  });

  test("addresses parse as sockets and proxies write them; an IPv6 client is counted by its /64", () => {
    expect(parseIp("::ffff:192.0.2.1")).toEqual(parseIp("192.0.2.1"));
    expect(parseIp("192.0.2.1:8080")).toEqual(parseIp("192.0.2.1"));
    expect(parseIp("fe80::1%eth0")).toEqual(parseIp("fe80::1"));
    for (const bad of ["", "unknown", "256.1.1.1", "1.2.3", "for=1.2.3.4"]) expect(parseIp(bad), bad).toBeNull();
    expect(clientKey("2001:db8:1:2:aaaa::1")).toBe(clientKey("2001:db8:1:2:ffff::9"));
    expect(clientKey("2001:db8:1:2::1")).not.toBe(clientKey("2001:db8:1:3::1"));
    expect(clientKey("192.0.2.1")).toBe("192.0.2.1");
  });

  test("keys remembered by peer and forwarding header are the keys computed afresh, also when the header changes", () => {
    const cases: [string | undefined, Record<string, string>, string | undefined][] = [
      ["203.0.113.7", { "x-forwarded-for": "198.51.100.1" }, undefined],
      ["203.0.113.7", { "x-forwarded-for": "198.51.100.2" }, undefined],
      ["::ffff:127.0.0.2", {}, undefined],
      ["2001:db8:1:2:3::9", {}, undefined],
      [undefined, {}, undefined],
      ["10.0.0.5", { "x-forwarded-for": "203.0.113.9" }, "x-forwarded-for"],
      ["10.0.0.5", { "x-forwarded-for": "203.0.113.10" }, "x-forwarded-for"],
      ["10.0.0.5", { "x-forwarded-for": "2001:db8::1, 10.0.0.7" }, "x-forwarded-for"],
      ["10.0.0.5", {}, "x-forwarded-for"],
    ];
    for (const setting of [undefined, "x-forwarded-for"]) {
      const trust = parseTrustProxy(setting);
      const remembered = rememberedClientKeys(trust, 4);
      // Twice round: the second answers come from memory (or after eviction, afresh).
      for (let round = 0; round < 2; round++) {
        for (const [peer, headers, caseSetting] of cases) {
          if (caseSetting !== setting) continue;
          const header = (name: string) => headers[name];
          expect(remembered(peer, header), `${peer} ${JSON.stringify(headers)}`).toBe(clientKey(clientOf(peer, header, trust)));
        }
      }
    }
    // Different forwarded clients behind one proxy are different clients.
    const remembered = rememberedClientKeys(parseTrustProxy("x-forwarded-for"));
    expect(remembered("10.0.0.5", () => "203.0.113.9")).not.toBe(remembered("10.0.0.5", () => "203.0.113.10"));
    // The proxy itself, with no forwarded client, is remembered apart from the clients it forwards.
    expect(remembered("10.0.0.5", () => undefined)).toBe("10.0.0.5");
    expect(remembered("10.0.0.5", () => "203.0.113.9")).toBe("203.0.113.9");
  });
});
