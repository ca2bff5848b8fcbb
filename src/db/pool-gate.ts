import pLimit from "p-limit";
import type { Sql } from "postgres";

/** No connection freed up in time: the database is saturated or away, so the request gets a 503. */
export class PoolTimeoutError extends Error {
  readonly code = "POOL_TIMEOUT";
  constructor(ms: number) {
    super(`No database connection became free within ${ms} ms.`);
    this.name = "PoolTimeoutError";
  }
}

type GateOptions = { slots: number; acquireTimeoutMs: number };

/**
 * The client drizzle talks to, with at most `slots` queries or transactions in
 * flight: postgres.js slows down when its own queues grow (porsager/postgres#747),
 * so the rest wait here, in order, and give up after `acquireTimeoutMs` rather
 * than hang. A transaction holds one slot from BEGIN to COMMIT; the queries in it
 * use the transaction's own client and are not counted again.
 */
export function gateClient<T extends Sql>(client: T, { slots, acquireTimeoutMs }: GateOptions): T {
  const limit = pLimit(slots);

  function run<R>(work: () => PromiseLike<R>): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      let abandoned = false;
      const timer = setTimeout(() => {
        abandoned = true;
        reject(new PoolTimeoutError(acquireTimeoutMs));
      }, acquireTimeoutMs);
      // An abandoned request still reaches the front of the line; it then gives
      // its slot straight back instead of running work nobody waits for.
      limit(async () => {
        clearTimeout(timer);
        if (!abandoned) return work();
        // p-limit's result type is the task's (T | undefined for abandoned work nobody reads); the caller's promise is T.
      }).then(resolve as (value: unknown) => void, reject);
    });
  }

  // drizzle uses `unsafe` (awaited, or `.values()`) for queries and `begin` for
  // transactions; everything else (options, end, ...) is the client's own.
  return new Proxy(client, {
    get(target, property, receiver) {
      if (property === "begin") {
        // postgres.js types `begin` by overloads; the gate only passes its arguments through.
        return (...args: Parameters<T["begin"]>) => run(() => (target.begin as (...a: unknown[]) => Promise<unknown>)(...args));
      }
      if (property === "unsafe") {
        // postgres.js types `unsafe` by its many overloads; the gate only passes arguments through.
        const unsafe = (target.unsafe as (...args: unknown[]) => PromiseLike<unknown> & { values(): PromiseLike<unknown> }).bind(target);
        return (...args: unknown[]) => ({
          values: () => run(() => unsafe(...args).values()),
          then: <A, B>(ok?: (rows: unknown) => A, fail?: (error: unknown) => B) => run(() => unsafe(...args)).then(ok, fail),
        });
      }
      return Reflect.get(target, property, receiver);
    },
  });
}
