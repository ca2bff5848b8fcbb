import type { ContentfulStatusCode } from "hono/utils/http-status";

// The closed set of problems this API answers with (RFC 9457). Every error
// path — validation, domain rules, auth, unknown routes, outages — ends here.
export const problems = {
  bad_request: { status: 400, title: "Bad request" },
  validation: { status: 400, title: "Invalid request" },
  unauthorized: { status: 401, title: "Unauthorized" },
  forbidden: { status: 403, title: "Forbidden" },
  not_found: { status: 404, title: "Not found" },
  method_not_allowed: { status: 405, title: "Method not allowed" },
  conflict: { status: 409, title: "Conflict" },
  precondition_failed: { status: 412, title: "Precondition failed" },
  payload_too_large: { status: 413, title: "Payload too large" },
  unsupported_media_type: { status: 415, title: "Unsupported media type" },
  precondition_required: { status: 428, title: "Precondition required" },
  rate_limited: { status: 429, title: "Too many requests" },
  internal: { status: 500, title: "Internal error" },
  unavailable: { status: 503, title: "Service unavailable" },
} as const satisfies Record<string, { status: ContentfulStatusCode; title: string }>;

export type ProblemType = keyof typeof problems;

export type FieldError = { field: string; message: string };

export type Problem = {
  type: string;
  title: string;
  status: number;
  detail: string;
  errors?: FieldError[];
};

export class ApiError extends Error {
  constructor(
    readonly problem: ProblemType,
    readonly detail: string,
    readonly options: { errors?: FieldError[]; headers?: Record<string, string> } = {},
  ) {
    super(detail);
    this.name = "ApiError";
  }

  get status() {
    return problems[this.problem].status;
  }
}

export function problemBody(type: ProblemType, detail: string, errors?: FieldError[]): Problem {
  const { status, title } = problems[type];
  return { type: `/problems/${type}`, title, status, detail, ...(errors ? { errors } : {}) };
}

export function problemResponse(error: ApiError): Response {
  return new Response(JSON.stringify(problemBody(error.problem, error.detail, error.options.errors)), {
    status: error.status,
    headers: { "content-type": "application/problem+json", ...error.options.headers },
  });
}
