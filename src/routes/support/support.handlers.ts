import type { Context } from "hono";
import { actorName } from "../../domain/roles";
import { keyHolder } from "../../lib/auth";
import type { AppEnv } from "../../lib/env";
import { ApiError } from "../../lib/problem";
import { type AppRouteHandler, jsonified } from "../../lib/types";
import * as support from "../../services/support";
import type { CreateShareLinkRoute, LinkCaseRoute, RevokeShareLinkRoute } from "./support.routes";

/** Who acts, and when. */
const who = (c: Context<AppEnv>) => {
  const key = keyHolder(c.var.principal);
  return { db: c.var.db, now: c.var.clock.now(), actor: actorName(key), actorKeyId: key.keyId };
};

export const createShareLink: AppRouteHandler<CreateShareLinkRoute> = async (c) => {
  // Never the request's Host: anyone can send one, and the link goes to an owner.
  // The app's configuration reaches handlers only, so the check stays here.
  const baseUrl = c.var.config.publicUrl;
  if (!baseUrl) throw new ApiError("internal", "Share links need PUBLIC_URL, the address owners open them on, and it is not set; nothing was created.");
  const link = await support.createShareLink({ ...who(c), vin: c.req.valid("param").vin, expiresInHours: c.req.valid("json").expiresInHours, baseUrl });
  return c.json(jsonified(link), 201);
};

export const revokeShareLink: AppRouteHandler<RevokeShareLinkRoute> = async (c) => {
  const { vin, id } = c.req.valid("param");
  await support.revokeShareLink({ ...who(c), vin, id });
  return c.body(null, 204);
};

export const linkCase: AppRouteHandler<LinkCaseRoute> = async (c) => {
  const created = await support.linkCase({ ...who(c), vin: c.req.valid("param").vin, ...c.req.valid("json") });
  return c.json(jsonified(created), 201);
};
