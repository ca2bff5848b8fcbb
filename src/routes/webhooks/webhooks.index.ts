import { createRouter } from "../../lib/create-router";
import * as handlers from "./webhooks.handlers";
import * as routes from "./webhooks.routes";

export const webhooksRouter = createRouter().openapi(routes.createWebhook, handlers.createWebhook);
