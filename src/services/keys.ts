import { and, isNull, like } from "drizzle-orm";
import { apiKeys } from "../db/schema";
import type { Db } from "../db/client";
import { theRow } from "../db/rows";
import type { Role } from "../domain/roles";
import type { PrincipalCache } from "../lib/principal-cache";
import { newSecret, secretPrefixes, sha256Hex } from "../lib/secrets";
import { recordAudit } from "./audit-write";

/** A new key; the token is returned here once and only its hash is kept. */
export async function createKey({ db, input, actor, at }: { db: Db; input: { role: Role; label: string }; actor: string; at: Date }) {
  const token = newSecret(secretPrefixes.key, 30);
  const tokenHash = sha256Hex(token);
  return db.transaction(async (tx) => {
    const key = theRow(
      await tx
        .insert(apiKeys)
        .values({ role: input.role, label: input.label, tokenHash, createdAt: at })
        .returning({ id: apiKeys.id, role: apiKeys.role, label: apiKeys.label, createdAt: apiKeys.createdAt }),
    );
    await recordAudit(tx, { actor, action: "key.created", at, after: key });
    return { ...key, token };
  });
}

/**
 * Revokes the live keys whose label matches (SQL LIKE). The principal cache of
 * this instance forgets them once the revocation has committed; other
 * instances stop accepting them within their cache's bound (lib/principal-cache.ts).
 */
export async function revokeKeys({ db, labelLike, at, principals }: { db: Db; labelLike: string; at: Date; principals: PrincipalCache }) {
  const revoked = await db
    .update(apiKeys)
    .set({ revokedAt: at })
    .where(and(like(apiKeys.label, labelLike), isNull(apiKeys.revokedAt)))
    .returning({ id: apiKeys.id });
  principals.forgetAll();
  return revoked.length;
}
