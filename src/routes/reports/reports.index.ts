import { createRouter } from "../../lib/create-router";
import * as handlers from "./reports.handlers";
import * as routes from "./reports.routes";

export const reportsRouter = createRouter().openapi(routes.postReports, handlers.postReports);
