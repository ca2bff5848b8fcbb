import type { RouteConfig, RouteHandler } from "@hono/zod-openapi";
import type { AppEnv } from "./env";

export type AppRouteHandler<R extends RouteConfig> = RouteHandler<R, AppEnv>;

/** The type a value has after JSON.stringify: dates become ISO strings. */
export type Jsonified<T> = T extends Date
  ? string
  : T extends (infer U)[]
    ? Jsonified<U>[]
    : T extends object
      ? { [K in keyof T]: Jsonified<T[K]> }
      : T;

/** c.json serializes with JSON.stringify, so dates reach the client as ISO strings. */
export const jsonified = <T>(value: T) => value as unknown as Jsonified<T>;
