export const roles = ["admin", "release_manager", "support", "gateway"] as const;
export type Role = (typeof roles)[number];

/** Admin may do everything; every other role only what names it. */
export function roleAllows(role: Role, allowed: readonly Role[]): boolean {
  return role === "admin" || allowed.includes(role);
}

/** How a principal appears in the audit log: readable without a join. */
export function actorName(
  principal: { kind: "key"; keyId: number | null; label: string } | { kind: "device" | "owner"; vin: string },
): string {
  return principal.kind === "key" ? `key:${principal.keyId ?? "bootstrap"} ${principal.label}` : `${principal.kind}:${principal.vin}`;
}
