import { z } from "@hono/zod-openapi";
import { roles } from "../../domain/roles";
import { TextSchema } from "../common.schemas";

export const CreateKeyBody = z
  .object({
    role: z.enum(roles),
    label: TextSchema().trim().min(1).max(100).openapi({ example: "Support desk Amsterdam" }),
  })
  .openapi("CreateKey");

export const CreatedKey = z
  .object({
    id: z.number().int(),
    role: z.enum(roles),
    label: z.string(),
    createdAt: z.string(),
    token: z.string().openapi({ description: "The bearer key. Shown only in this response." }),
  })
  .openapi("CreatedKey");

// Exported once for test/, as types only.
export type CreateKey = z.input<typeof CreateKeyBody>;
export type CreatedKey = z.output<typeof CreatedKey>;
