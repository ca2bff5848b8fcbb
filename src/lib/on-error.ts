import type { ErrorHandler, NotFoundHandler } from "hono";
import { HTTPException } from "hono/http-exception";
import type { AppEnv } from "./env";
import { isDatabaseUnavailable } from "./db-errors";
import { DomainError, type DomainErrorKind } from "../domain/errors";
import { ApiError, type ProblemType, problemResponse } from "./problem";

const byStatus: Partial<Record<number, ProblemType>> = {
  400: "bad_request",
  401: "unauthorized",
  403: "forbidden",
  404: "not_found",
  405: "method_not_allowed",
  413: "payload_too_large",
  415: "unsupported_media_type",
};

/** The one place a domain refusal becomes an HTTP problem. */
const byDomainKind: Record<DomainErrorKind, ProblemType> = {
  not_found: "not_found",
  conflict: "conflict",
  precondition_failed: "precondition_failed",
  precondition_required: "precondition_required",
  forbidden: "forbidden",
};

/** The single error path: whatever went wrong leaves as problem+json. */
export const onError: ErrorHandler<AppEnv> = (error) => {
  if (error instanceof ApiError) return problemResponse(error);
  if (error instanceof DomainError) return problemResponse(new ApiError(byDomainKind[error.kind], error.message));
  if (error instanceof HTTPException) {
    const type = byStatus[error.status] ?? (error.status >= 500 ? "internal" : "bad_request");
    const detail = /malformed json/i.test(error.message)
      ? "The body is not valid JSON."
      : error.message || "The request could not be processed.";
    return problemResponse(new ApiError(type, detail));
  }
  if (isDatabaseUnavailable(error)) {
    return problemResponse(
      new ApiError("unavailable", "The database cannot be reached right now; nothing was changed. Try again shortly.", {
        headers: { "retry-after": "5" },
      }),
    );
  }
  console.error(error);
  return problemResponse(new ApiError("internal", "Something went wrong on our side; nothing was changed."));
};

type RouteDefinition = { method: string; pattern: RegExp };

/** 404 for paths we do not serve, 405 (with Allow) for known paths and the wrong method. */
export function notFoundHandler(routes: () => RouteDefinition[]): NotFoundHandler<AppEnv> {
  return (c) => {
    const path = new URL(c.req.url).pathname;
    const allowed = [...new Set(routes().filter((r) => r.pattern.test(path)).map((r) => r.method.toUpperCase()))];
    if (allowed.length) {
      return problemResponse(
        new ApiError("method_not_allowed", `${c.req.method} is not allowed here; use ${allowed.join(", ")}.`, {
          headers: { allow: allowed.join(", ") },
        }),
      );
    }
    return problemResponse(new ApiError("not_found", `There is nothing at ${path}.`));
  };
}

/** `/v1/vehicles/{vin}` → a regular expression matching concrete paths. */
export function pathPattern(openApiPath: string): RegExp {
  const source = openApiPath
    .split(/\{[^}]+\}/)
    .map((part) => part.replace(/[.*+?^$()|[\]\\]/g, "\\$&"))
    .join("[^/]+");
  return new RegExp(`^${source}/?$`);
}
