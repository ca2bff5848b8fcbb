// Bearer keys, owner codes, device tokens and share codes: random, shown once,
// stored only as SHA-256. Randomness from Web Crypto; hashing from node:crypto,
// which Workers provide under nodejs_compat (wrangler.toml): crypto.subtle.digest
// costs ~30 µs a call against ~1 µs, and every owner read and API call hashes once.

import { Buffer } from "node:buffer";
import * as nodeCrypto from "node:crypto";

// Unpadded base64url (secret sizes are multiples of 3, so there is never padding).
const base64url = (bytes: Uint8Array, from: number, length: number) =>
  Buffer.from(bytes.buffer, bytes.byteOffset + from, length).toString("base64url");

/** `count` random secrets of `bytes` bytes (default 18 = 144 bits), URL-safe, with a readable prefix. */
export function newSecrets(count: number, prefix: string, bytes = 18): string[] {
  const secrets: string[] = [];
  // getRandomValues fills at most 64 KiB a call.
  const perCall = Math.floor(65536 / bytes);
  // Whole groups of 3 bytes encode on their own, so one encoding of the pool, cut
  // every `bytes`, gives each secret's text without a Buffer per secret.
  const cut = bytes % 3 === 0 ? (bytes / 3) * 4 : 0;
  for (let done = 0; done < count; done += perCall) {
    const n = Math.min(perCall, count - done);
    const pool = crypto.getRandomValues(new Uint8Array(n * bytes));
    const text = cut ? base64url(pool, 0, pool.length) : "";
    for (let k = 0; k < n; k++) secrets.push(prefix + (cut ? text.slice(k * cut, (k + 1) * cut) : base64url(pool, k * bytes, bytes)));
  }
  return secrets;
}

export function newSecret(prefix: string, bytes = 18): string {
  return prefix + base64url(crypto.getRandomValues(new Uint8Array(bytes)), 0, bytes);
}

// node:crypto's one-shot hash (Node 20.12 and later) costs ~0.4 µs on a code
// against ~1.1 µs for a Hash object; a refresh storm hashes a code per request.
// Workers' nodejs_compat may lack it, so it is taken only where it exists.
const oneShot = typeof nodeCrypto.hash === "function" ? nodeCrypto.hash : undefined;

/** Lowercase hex SHA-256 of the UTF-8 text, as stored for keys, codes and tokens. */
export function sha256Hex(text: string): string {
  return oneShot ? oneShot("sha256", text, "hex") : nodeCrypto.createHash("sha256").update(text, "utf8").digest("hex");
}

/** Compares two strings in time independent of where they differ. */
export function constantTimeEqual(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}

export const secretPrefixes = {
  key: "rtk_",
  ownerCode: "",
  deviceToken: "rtd_",
  shareCode: "",
} as const;
