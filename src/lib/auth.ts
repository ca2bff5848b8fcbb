import { eq, sql } from "drizzle-orm";
import type { DbOrTx } from "../db/client";
import { prepared } from "../db/prepared";
import { createMiddleware } from "hono/factory";
import { apiKeys, vehicles } from "../db/schema";
import { type Role, roleAllows } from "../domain/roles";
import type { AppEnv, Principal } from "./env";
import { ApiError } from "./problem";
import type { PrincipalCache } from "./principal-cache";
import type { FailedAuthLimit } from "./rate-limits";
import { constantTimeEqual, secretPrefixes, sha256Hex } from "./secrets";

const unauthorized = (detail: string) =>
  new ApiError("unauthorized", detail, { headers: { "www-authenticate": 'Bearer realm="rollout-tracker"' } });

// Every authenticated request runs one of these: prepared once per database.
const deviceLookup = (db: DbOrTx) =>
  db
    .select({ id: vehicles.id, vin: vehicles.vin })
    .from(vehicles)
    .where(eq(vehicles.deviceTokenHash, sql.placeholder("hash")))
    .prepare("device_by_token");
const keyLookup = (db: DbOrTx) =>
  db
    .select({ id: apiKeys.id, role: apiKeys.role, label: apiKeys.label, revokedAt: apiKeys.revokedAt })
    .from(apiKeys)
    .where(eq(apiKeys.tokenHash, sql.placeholder("hash")))
    .prepare("key_by_token");

/** The principal behind a token that is not ADMIN_TOKEN, from the database. */
async function lookUp(db: DbOrTx, token: string, hash: string): Promise<Principal | null> {
  if (token.startsWith(secretPrefixes.deviceToken)) {
    const [vehicle] = await prepared(db, "device_by_token", deviceLookup).execute({ hash });
    return vehicle ? { kind: "device", vehicleId: vehicle.id, vin: vehicle.vin } : null;
  }
  const [key] = await prepared(db, "key_by_token", keyLookup).execute({ hash });
  return key && !key.revokedAt ? { kind: "key", role: key.role, keyId: key.id, label: key.label } : null;
}

const bootstrapAdmin: Principal = { kind: "key", role: "admin", keyId: null, label: "ADMIN_TOKEN" };

type AuthOptions = {
  /** ADMIN_TOKEN, the bootstrap admin key. */
  adminToken?: string;
  failures?: FailedAuthLimit;
  /** Recently resolved keys and device tokens (lib/principal-cache.ts). */
  principals: PrincipalCache;
};

/**
 * Who the caller is, from `Authorization: Bearer …`; 401 for a key we do not
 * know. Each unknown key counts against the client's failed-authentication
 * budget, and a client that has used it up is refused before its key is looked
 * at, even a key the cache knows: a guesser over the limit must not learn
 * which guess was right.
 */
export function authenticate({ adminToken, failures, principals }: AuthOptions) {
  // Hashed once, not per request.
  const adminHash = adminToken ? sha256Hex(adminToken) : null;
  return createMiddleware<AppEnv>(async (c, next) => {
    const header = c.req.header("authorization");
    if (header) {
      await failures?.check(c);
      const token = /^Bearer\s+(\S+)\s*$/i.exec(header)?.[1];
      if (!token) throw unauthorized("The Authorization header must be 'Bearer <key>'.");
      const hash = sha256Hex(token);
      const principal =
        adminHash && constantTimeEqual(hash, adminHash) ? bootstrapAdmin : await principals.resolve(hash, () => lookUp(c.get("db"), token, hash));
      if (!principal) {
        await failures?.failed(c);
        throw unauthorized("This key is not valid or has been revoked.");
      }
      c.set("principal", principal);
    }
    await next();
  });
}

/** 401 without a key, 403 when the key's role may not do this. */
export function requireRole(...allowed: Role[]) {
  return createMiddleware<AppEnv>(async (c, next) => {
    // c.get, not c.var: hono builds a new object of every variable on each c.var read.
    const principal = c.get("principal");
    if (!principal) throw unauthorized("This endpoint needs an API key: 'Authorization: Bearer <key>'.");
    if (principal.kind !== "key" || !roleAllows(principal.role, allowed)) {
      throw new ApiError("forbidden", `This needs the role ${allowed.join(" or ")}.`);
    }
    await next();
  });
}

/** Reports: 401 without credentials, 403 for a key without the gateway role; a device token may report (for its own car). */
export function requireReporter() {
  return createMiddleware<AppEnv>(async (c, next) => {
    const principal = c.get("principal");
    if (!principal) throw unauthorized("Reports need a gateway key or the vehicle's device token.");
    if (principal.kind === "key" && !roleAllows(principal.role, ["gateway"])) {
      throw new ApiError("forbidden", "Reports need the gateway role or the vehicle's own device token.");
    }
    await next();
  });
}

/** The key-holder behind a request that passed requireRole. */
export function keyHolder(principal: Principal | undefined) {
  if (principal?.kind !== "key") throw new ApiError("forbidden", "This needs an API key.");
  return principal;
}
