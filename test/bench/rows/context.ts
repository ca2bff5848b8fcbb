import type { Api } from "../lib/api";
import type { Check } from "../lib/checks";
import type { Db } from "../../../src/db/client";
import type { Fleet } from "../lib/fleet";
import type { Server } from "../lib/proc";

/** What every row of the Postgres part gets: the two servers, the database and the run's settings. */
export type BenchContext = {
  app: Server;
  bare: Server;
  db: Db;
  api: Api;
  /** The big fleet (BENCH_VEHICLES) and its started release. */
  big: Fleet;
  version: string;
  /** 10k vehicles: the other side of the re-plan ratio. */
  small: Fleet;
  smallVersion: string;
  gatewayToken: string;
  /** Seconds per load run, and interleaved (ceiling, figure) pairs per row. */
  seconds: number;
  rounds: number;
  checks: Check[];
  notes: string[];
};
