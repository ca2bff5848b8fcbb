import { type AppRouteHandler, jsonified } from "../../lib/types";
import * as audit from "../../services/audit-read";
import type { ListAuditRoute } from "./audit.routes";

export const listAudit: AppRouteHandler<ListAuditRoute> = async (c) => {
  const page = await audit.listAudit(c.var.db, c.req.valid("query"));
  return c.json(jsonified(page), 200);
};
