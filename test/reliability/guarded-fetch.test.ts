import { lookup as systemLookup } from "node:dns";
import type { LookupFunction } from "node:net";
import { expect, test } from "vitest";
import { guardedFetch } from "../../src/node/guarded-fetch";
import { startReceiver } from "../helpers/receiver";

// The Node delivery path checks the address it actually connects to, so a
// name that resolves publicly when checked and privately a moment later
// (DNS rebinding) still never reaches inside. `rebind.example` exists only in
// this lookup, which always answers 127.0.0.1: nothing leaves the machine.
const lookup = ((hostname, options, callback) => {
  if (hostname !== "rebind.example") return systemLookup(hostname, options, callback);
  const address = { address: "127.0.0.1", family: 4 };
  if (options.all) (callback as (e: null, a: (typeof address)[]) => void)(null, [address]);
  else callback(null, address.address, address.family);
}) as LookupFunction;

test("the connection itself is refused when the name resolves to a non-public address", async () => {
  const receiver = await startReceiver();
  const fetch = guardedFetch({ allowPrivate: false, allowHttp: true }, lookup);
  const error = await fetch(`http://rebind.example:${receiver.port}/hook`, { method: "POST", body: "{}" }).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(Error);
  expect(String((error as Error).cause)).toMatch(/127\.0\.0\.1.*not a public address/);
  // A literal address is refused as well, before any lookup.
  await expect(fetch(`http://127.0.0.1:${receiver.port}/hook`, { method: "POST", body: "{}" })).rejects.toThrow(/not a public address/);
  expect(receiver.received).toHaveLength(0);
});

test("with private addresses allowed, the pinned lookup is the one used to connect", async () => {
  const receiver = await startReceiver(() => 204);
  const fetch = guardedFetch({ allowPrivate: true, allowHttp: true }, lookup);
  const res = await fetch(`http://rebind.example:${receiver.port}/hook`, { method: "POST", body: "{}" });
  expect(res.status).toBe(204);
  expect(receiver.received).toHaveLength(1);
});
