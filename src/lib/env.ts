import type { Clock } from "./clock";
import type { Config } from "../config";
import type { Db } from "../db/client";
import type { Role } from "../domain/roles";
import type { KnownIssueCache } from "../services/known-issue-cache";

/** Who is calling: a key with a role, or a vehicle speaking for itself. */
export type Principal =
  | { kind: "key"; role: Role; keyId: number | null; label: string }
  | { kind: "device"; vehicleId: number; vin: string };

export type Deps = { db: Db; clock: Clock; config: Config };

export type AppEnv = {
  // knownIssues: the per-release cache owners' and support's reads share (services/known-issue-cache.ts).
  Variables: Deps & { principal?: Principal; knownIssues: KnownIssueCache };
};
