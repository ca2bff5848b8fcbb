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
  // Without a '%' there is nothing to decode, so nothing can be wrong: most
  // requests, which then skip the copy and the decoding (~2% of a cached read).
  if (start !== -1 && url.indexOf("%", start) !== -1) {
    try {
      decodeURIComponent(url.slice(start).replace(/\+/g, " "));
    } catch {
      throw new ApiError("bad_request", "The URL is not valid percent-encoded UTF-8.");
    }
  }
  return next();
});
