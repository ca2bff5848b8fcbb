import type { AppRouteHandler } from "../../lib/types";
import { checkDatabase } from "../../services/health";
import type { GetHealthRoute } from "./health.routes";

export const getHealth: AppRouteHandler<GetHealthRoute> = async (c) => {
  // A failure here surfaces through onError as 503 with Retry-After.
  await checkDatabase(c.var.db);
  return c.json({ status: "ok" as const, database: "ok" as const }, 200);
};
