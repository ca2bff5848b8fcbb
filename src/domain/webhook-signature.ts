// How webhook receivers know an event came from us and is fresh.
//
// Every delivery carries `x-rollout-signature: t=<unix seconds>,v1=<hex>`, where
// v1 is HMAC-SHA256, keyed with the subscription's secret, of "<t>.<raw body>".
// A receiver recomputes it over the exact bytes it received (before parsing the
// JSON) and rejects timestamps far from its own clock, so a captured delivery
// cannot be replayed later. Web Crypto only: this runs in Workers as well.

const encoder = new TextEncoder();

/** How far a signature's timestamp may be from the receiver's clock, by default. */
export const defaultToleranceSeconds = 300;

function hmacKey(secret: string, usage: "sign" | "verify") {
  return crypto.subtle.importKey("raw", encoder.encode(secret), { name: "HMAC", hash: "SHA-256" }, false, [usage]);
}

function toHex(bytes: Uint8Array): string {
  let hex = "";
  for (const byte of bytes) hex += byte.toString(16).padStart(2, "0");
  return hex;
}

function fromHex(hex: string): Uint8Array<ArrayBuffer> | null {
  if (hex.length % 2 !== 0 || !/^[0-9a-f]*$/i.test(hex)) return null;
  const bytes = new Uint8Array(hex.length / 2);
  for (let i = 0; i < bytes.length; i++) bytes[i] = parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return bytes;
}

/** The value of the `x-rollout-signature` header for `body` sent at `timestamp` (unix seconds). */
export async function signPayload(secret: string, timestamp: number, body: string): Promise<string> {
  const key = await hmacKey(secret, "sign");
  const mac = await crypto.subtle.sign("HMAC", key, encoder.encode(`${timestamp}.${body}`));
  return `t=${timestamp},v1=${toHex(new Uint8Array(mac))}`;
}

/**
 * Whether `header` is a valid signature of `body` with `secret`, made within
 * `toleranceSeconds` of `now`. Several v1 entries are accepted (any may match)
 * so a sender can sign with an old and a new secret while rotating.
 */
export async function verifySignature(
  secret: string,
  header: string | null | undefined,
  body: string,
  { now = new Date(), toleranceSeconds = defaultToleranceSeconds }: { now?: Date; toleranceSeconds?: number } = {},
): Promise<boolean> {
  if (!header) return false;
  const parts = header.split(",").map((part) => part.trim().split("="));
  const timestamps = parts.filter(([name]) => name === "t").map(([, value]) => value ?? "");
  const [stamp] = timestamps;
  if (timestamps.length !== 1 || stamp === undefined || !/^\d{1,12}$/.test(stamp)) return false;
  const timestamp = Number(stamp);
  if (Math.abs(now.getTime() / 1000 - timestamp) > toleranceSeconds) return false;

  const key = await hmacKey(secret, "verify");
  const message = encoder.encode(`${timestamp}.${body}`);
  for (const [name, value] of parts) {
    if (name !== "v1") continue;
    const mac = fromHex(value ?? "");
    // subtle.verify compares in constant time, so the check leaks nothing about the expected MAC.
    if (mac && mac.length === 32 && (await crypto.subtle.verify("HMAC", key, mac, message))) return true;
  }
  return false;
}
