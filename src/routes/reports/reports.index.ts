import { createRouter } from "../../lib/create-router";
import type { AppRouteHandler } from "../../lib/types";
import { postReports } from "./reports.handlers";
import * as routes from "./reports.routes";

export const reportsRouter = createRouter().openapi(routes.postReports, postReports as unknown as AppRouteHandler<typeof routes.postReports>);
