import { createRoute, z } from "@hono/zod-openapi";
import { requireRole } from "../../lib/auth";
import { QueryIntSchema, TextSchema, VinParams, bearer, commonErrors, errorResponse, jsonBody, jsonResponse } from "../common.schemas";

const support = requireRole("support");
const timestamp = z.string().openapi({ format: "date-time" });

export const ShareLinkBody = z
  .object({ expiresInHours: z.number().int().min(1).max(24 * 30).openapi({ example: 72 }) })
  .strict()
  .openapi("ShareLinkRequest");
export const ShareLink = z
  .object({ id: z.number().int(), url: z.string(), code: z.string().openapi({ description: "Shown once" }), expiresAt: timestamp })
  .openapi("ShareLink");

export const CaseBody = z
  .object({
    reference: z.string().trim().regex(/^[A-Za-z0-9][A-Za-z0-9_.:#-]{1,63}$/, "a case reference like ZD-123456").openapi({ example: "ZD-123456" }),
    summary: TextSchema().trim().max(2000).default(""),
  })
  .strict()
  .openapi("CaseLink");
export const SupportCase = z
  .object({ reference: z.string(), summary: z.string(), vin: z.string(), version: z.string().nullable(), waveIndex: z.number().int().nullable(), createdAt: timestamp })
  .openapi("SupportCase");

// Exported once for web/ and test/, as types only.
export type ShareLinkRequest = z.input<typeof ShareLinkBody>;
export type ShareLink = z.output<typeof ShareLink>;
export type CaseLink = z.input<typeof CaseBody>;
export type SupportCase = z.output<typeof SupportCase>;

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
  responses: { 201: jsonResponse(SupportCase, "Linked"), 404: errorResponse("No such vehicle"), 409: errorResponse("Already linked"), ...commonErrors },
});
