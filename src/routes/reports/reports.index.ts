import { createRouter } from "../../lib/create-router";
import { postReports } from "./reports.handlers";
import * as routes from "./reports.routes";

export const reportsRouter = createRouter().openapi(routes.postReports, postReports);
