import { createRoute } from "@hono/zod-openapi";
import { requireRole } from "../../lib/auth";
import { QueryIntSchema, VinParams, bearer, commonErrors, errorResponse, jsonBody, jsonResponse } from "../common.schemas";
import { CaseBody, ShareLink, ShareLinkBody, SupportCase } from "./support.schemas";

const support = requireRole("support");

export const createShareLink = createRoute({
  method: "post",
  path: "/v1/vehicles/{vin}/share-links",
  operationId: "createShareLink",
  tags: ["Support"],
  summary: "Send the owner an expiring status link (/t/{code})",
  security: bearer,
  middleware: support,
  request: { params: VinParams, body: jsonBody(ShareLinkBody) },
  responses: {
    201: jsonResponse(ShareLink, "The link; its code is shown once"),
    404: errorResponse("No such vehicle"),
    500: errorResponse("PUBLIC_URL, the base of share links, is not configured; nothing was created"),
    ...commonErrors,
  },
});

export const revokeShareLink = createRoute({
  method: "delete",
  path: "/v1/vehicles/{vin}/share-links/{id}",
  operationId: "revokeShareLink",
  tags: ["Support"],
  summary: "Revoke a share link",
  security: bearer,
  middleware: support,
  request: { params: VinParams.extend({ id: QueryIntSchema().positive().openapi({ param: { name: "id", in: "path" } }) }) },
  responses: { 204: { description: "Revoked" }, 404: errorResponse("No such active link"), ...commonErrors },
});

export const linkCase = createRoute({
  method: "post",
  path: "/v1/vehicles/{vin}/cases",
  operationId: "linkCase",
  tags: ["Support"],
  summary: "Link a support case to the vehicle and the release and wave it is in",
  security: bearer,
  middleware: support,
  request: { params: VinParams, body: jsonBody(CaseBody) },
  responses: {
    201: jsonResponse(SupportCase, "Linked"),
    404: errorResponse("No such vehicle or known issue"),
    409: errorResponse("Already linked, or the known issue belongs to another release than the case"),
    ...commonErrors,
  },
});

export type CreateShareLinkRoute = typeof createShareLink;
export type RevokeShareLinkRoute = typeof revokeShareLink;
export type LinkCaseRoute = typeof linkCase;
