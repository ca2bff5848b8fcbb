import type { AppRouteHandler } from "../../lib/types";
import { submitReports } from "../../services/submit-reports";
import type { PostReportsRoute } from "./reports.routes";

export const postReports: AppRouteHandler<PostReportsRoute> = async (c) => {
  const body = c.req.valid("json");
  // c.get, not c.var: hono builds a new object of every variable on each c.var read.
  const principal = c.get("principal");
  const result = await submitReports({
    db: c.get("db"),
    // A single report was validated whole; a batch's items are judged one by one by the service.
    items: "reports" in body ? body.reports : [body],
    onlyVin: principal?.kind === "device" ? principal.vin : null,
    now: c.get("clock").now(),
  });
  return c.json(result, 200);
};
