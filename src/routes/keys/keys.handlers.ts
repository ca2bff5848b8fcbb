import { actorName } from "../../domain/roles";
import { keyHolder } from "../../lib/auth";
import type { AppRouteHandler } from "../../lib/types";
import * as keys from "../../services/keys";
import type { CreateKeyRoute } from "./keys.routes";

export const createKey: AppRouteHandler<CreateKeyRoute> = async (c) => {
  const { db, clock } = c.var;
  const key = await keys.createKey({
    db,
    input: c.req.valid("json"),
    actor: actorName(keyHolder(c.var.principal)),
    at: clock.now(),
  });
  return c.json({ ...key, createdAt: key.createdAt.toISOString() }, 201);
};
