import { createMiddleware } from "hono/factory";
import type { AppEnv } from "./env";
import { ApiError } from "./problem";

/**
 * Refuses a path or query that is not UTF-8 percent-encoding (`%ED%A0%80`,
 * a lone `%`). Hono would pass such a parameter on undecoded, so a filter
 * would silently search for the raw text instead of saying the URL is wrong.
 */
export const wellFormedUrl = createMiddleware<AppEnv>(async (c, next) => {
  const url = c.req.url;
  const start = url.indexOf("/", url.indexOf("//") + 2);
  try {
    decodeURIComponent(start === -1 ? "" : url.slice(start).replace(/\+/g, " "));
  } catch {
    throw new ApiError("bad_request", "The URL is not valid percent-encoded UTF-8.");
  }
  await next();
});
