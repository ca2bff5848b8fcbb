// drizzle wraps driver errors (DrizzleQueryError.cause), so look down the chain.
function* causes(error: unknown): Generator<Record<string, unknown>> {
  let current = error;
  for (let depth = 0; depth < 5 && current && typeof current === "object"; depth++) {
    yield current as Record<string, unknown>; // an object (checked above) whose fields are read as unknown
    current = (current as { cause?: unknown }).cause;
  }
}

// Node socket errors, and postgres.js's own codes for a connection that is gone
// or was never made. UNSAFE_TRANSACTION means the driver lost track of a
// transaction's connection (porsager/postgres#1189, patched): the statement
// did not run as asked, so it is a retryable 503 like a dropped connection.
// POOL_TIMEOUT is ours: no connection freed up in time (src/db/pool-gate.ts).
const unreachableCodes = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ECONNABORTED",
  "EPIPE",
  "ETIMEDOUT",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ENOTFOUND",
  "EAI_AGAIN",
  "ERR_STREAM_DESTROYED",
  "CONNECT_TIMEOUT",
  "CONNECTION_CLOSED",
  "CONNECTION_ENDED",
  "CONNECTION_DESTROYED",
  "UNSAFE_TRANSACTION",
  "POOL_TIMEOUT",
]);

/** True when the database cannot be reached or is shutting down: a 503, never a wrong answer. */
export function isDatabaseUnavailable(error: unknown): boolean {
  for (const e of causes(error)) {
    const code = typeof e.code === "string" ? e.code : "";
    if (unreachableCodes.has(code)) return true;
    // SQLSTATE class 08 (connection exception), 57P0x (shutdown, crash recovery), 53300 (too many connections).
    if (/^08...$|^57P0[1-3]$|^53300$/.test(code)) return true;
    if (typeof e.message === "string" && /PGlite is closed/i.test(e.message)) return true;
  }
  return false;
}

/** The SQLSTATE of a failed statement, e.g. 23505 for a unique violation. */
export function sqlState(error: unknown): string | undefined {
  for (const e of causes(error)) {
    if (typeof e.code === "string" && /^[0-9A-Z]{5}$/.test(e.code)) return e.code;
  }
  return undefined;
}

/** The constraint a failed statement violated (postgres.js names it constraint_name, PGlite constraint). */
export function violatedConstraint(error: unknown): string | undefined {
  for (const e of causes(error)) {
    const name = e.constraint_name ?? e.constraint;
    if (typeof name === "string") return name;
  }
  return undefined;
}

/**
 * True for an error that escaped every request from inside the database driver
 * (known ones are patched, see patches/README.md): the pool reconnects by itself,
 * so the server logs it and keeps serving instead of dying with it.
 */
export function isDriverFault(error: unknown): boolean {
  if (isDatabaseUnavailable(error)) return true;
  const stack = error instanceof Error ? (error.stack ?? "") : "";
  return /[\\/]node_modules[\\/]postgres[\\/]/.test(stack);
}
