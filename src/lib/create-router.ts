import { OpenAPIHono } from "@hono/zod-openapi";
import type { AppEnv } from "./env";
import { ApiError, type FieldError } from "./problem";

type Issue = { path: PropertyKey[]; message: string };

export function fieldErrors(issues: readonly Issue[], target?: string): FieldError[] {
  return issues.map((issue) => {
    const path = issue.path.map(String).join(".");
    return { field: [target === "json" ? "" : target, path].filter(Boolean).join(".") || "(body)", message: issue.message };
  });
}

/** Every router (and every test app) is built here, so validation fails one way. */
export function createRouter() {
  return new OpenAPIHono<AppEnv>({
    strict: false,
    defaultHook: (result) => {
      if (result.success) return;
      const errors = fieldErrors(result.error.issues, result.target);
      const summary = errors.map((e) => `${e.field}: ${e.message}`).join("; ");
      throw new ApiError("validation", `The request is not valid: ${summary}`, { errors });
    },
  });
}

export type AppRouter = ReturnType<typeof createRouter>;
