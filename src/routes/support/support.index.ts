import { createRouter } from "../../lib/create-router";
import * as handlers from "./support.handlers";
import * as routes from "./support.routes";

export const supportRouter = createRouter()
  .openapi(routes.createShareLink, handlers.createShareLink)
  .openapi(routes.revokeShareLink, handlers.revokeShareLink)
  .openapi(routes.linkCase, handlers.linkCase);
