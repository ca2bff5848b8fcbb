// Calls to the rollout API. Every failure becomes an ApiProblem carrying the
// server's RFC 9457 problem (title, detail, offending fields), so pages can
// say in words what went wrong instead of swallowing it.
import type { FieldError, Problem } from "../../src/routes/common.schemas";

export class ApiProblem extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    readonly detail: string,
    readonly errors: FieldError[] = [],
    /** Seconds the server asked us to wait (429, 503). */
    readonly retryAfter: number | null = null,
  ) {
    super(detail || title);
  }

  /** No answer at all: offline, DNS, server down. */
  get unreachable(): boolean {
    return this.status === 0;
  }

  /** One readable sentence, with the offending fields. */
  describe(): string {
    const fields = this.errors.map((e) => `${e.field}: ${e.message}`).join("; ");
    const text = this.detail || this.title || `HTTP ${this.status}`;
    return fields ? `${text} (${fields})` : text;
  }
}

export type ApiRequest = {
  method?: string;
  body?: unknown;
  key?: string | null;
  headers?: Record<string, string>;
};

export type ApiResponse<T> = { data: T; headers: Headers; status: number };

export async function apiFetch<T>(path: string, { method = "GET", body, key, headers = {} }: ApiRequest = {}): Promise<ApiResponse<T>> {
  const init: RequestInit = { method, headers: { accept: "application/json", ...headers }, cache: "no-store" };
  const sent = init.headers as Record<string, string>;
  if (key) sent.authorization = `Bearer ${key}`;
  if (body !== undefined) {
    sent["content-type"] = "application/json";
    init.body = JSON.stringify(body);
  }
  let res: Response;
  try {
    res = await fetch(path, init);
  } catch {
    throw new ApiProblem(0, "Unreachable", "The server cannot be reached. Check your connection.");
  }
  if (res.ok) {
    const data = (res.status === 204 ? null : await res.json()) as T;
    return { data, headers: res.headers, status: res.status };
  }
  throw await problemOf(res);
}

async function problemOf(res: Response): Promise<ApiProblem> {
  const retry = Number(res.headers.get("retry-after"));
  const retryAfter = Number.isFinite(retry) && retry > 0 ? retry : null;
  try {
    // Partial: a proxy or an outage page may answer with something else.
    const p = (await res.json()) as Partial<Problem>;
    return new ApiProblem(res.status, p.title ?? res.statusText, p.detail ?? "", p.errors ?? [], retryAfter);
  } catch {
    return new ApiProblem(res.status, res.statusText, `The server answered ${res.status} ${res.statusText}.`, [], retryAfter);
  }
}
