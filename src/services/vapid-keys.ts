import { eq } from "drizzle-orm";
import type { VapidKeys } from "../config";
import type { DbOrTx } from "../db/client";
import { settings } from "../db/schema";

const settingName = "vapid_keys";

const base64url = (bytes: ArrayBuffer) =>
  btoa(String.fromCharCode(...new Uint8Array(bytes)))
    .replace(/\+/g, "-")
    .replace(/\//g, "_")
    .replace(/=+$/, "");

/** A fresh P-256 key pair in the form web-push tools use (raw public point, private scalar `d`), made by Web Crypto. */
export async function generateVapidKeys(): Promise<VapidKeys> {
  const pair = await crypto.subtle.generateKey({ name: "ECDSA", namedCurve: "P-256" }, true, ["sign", "verify"]);
  const raw = await crypto.subtle.exportKey("raw", pair.publicKey);
  const jwk = await crypto.subtle.exportKey("jwk", pair.privateKey);
  if (!jwk.d) throw new Error("Web Crypto exported a private key without d");
  return { publicKey: base64url(raw), privateKey: jwk.d };
}

/** The settings row is jsonb (unknown to TypeScript): checked before it is trusted as keys. */
function isVapidKeys(value: unknown): value is VapidKeys {
  if (typeof value !== "object" || value === null) return false;
  const { publicKey, privateKey } = value as Record<string, unknown>; // any object may be read by key; each is checked below
  return typeof publicKey === "string" && typeof privateKey === "string";
}

async function storedKeys(db: DbOrTx): Promise<VapidKeys | null> {
  const [row] = await db.select({ value: settings.value }).from(settings).where(eq(settings.name, settingName));
  return row && isVapidKeys(row.value) ? row.value : null;
}

/**
 * The keys push messages are signed with: the configured ones, else the ones
 * this database keeps, else a pair generated now and kept (the first writer
 * wins, so concurrent instances agree). Browsers subscribe with the public
 * key; changing it would orphan every subscription, hence kept, not per process.
 */
export async function vapidKeys(db: DbOrTx, configured?: VapidKeys): Promise<VapidKeys> {
  if (configured) return configured;
  const stored = await storedKeys(db);
  if (stored) return stored;
  await db.insert(settings).values({ name: settingName, value: await generateVapidKeys() }).onConflictDoNothing();
  const kept = await storedKeys(db);
  if (!kept) throw new Error("the VAPID keys could not be kept");
  return kept;
}
