import { apiKeys } from "../db/schema";
import type { Db } from "../db/client";
import { theRow } from "../db/rows";
import type { Role } from "../domain/roles";
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
