import type { Clock } from "./clock";
import type { Config } from "../config";
import type { Db } from "../db/client";
import type { Role } from "../domain/roles";

/** Who is calling: a key with a role, or a vehicle speaking for itself. */
export type Principal =
  | { kind: "key"; role: Role; keyId: number | null; label: string }
  | { kind: "device"; vehicleId: number; vin: string };

export type Deps = { db: Db; clock: Clock; config: Config };

export type AppEnv = {
  Variables: Deps & { principal?: Principal };
};
