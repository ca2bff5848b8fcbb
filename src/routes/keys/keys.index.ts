import { createRouter } from "../../lib/create-router";
import * as handlers from "./keys.handlers";
import * as routes from "./keys.routes";

export const keysRouter = createRouter().openapi(routes.createKey, handlers.createKey);
