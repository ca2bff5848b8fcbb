// The console's sign-in: the key lives in sessionStorage (gone when the tab
// closes, never in a URL, never in localStorage) and goes out only as an
// Authorization header.
import { ApiProblem, type ApiRequest, type ApiResponse, apiFetch } from "../lib/api";

const keyItem = "rollout-tracker.console.key";
const roleItem = "rollout-tracker.console.role";

/** The signed-in key's role, as the API's role table has it (gateway keys cannot use the console). */
export type ConsoleRole = "admin" | "release_manager" | "support";
const consoleRoles: readonly string[] = ["admin", "release_manager", "support"] satisfies ConsoleRole[];

export function currentKey(): string | null {
  return sessionStorage.getItem(keyItem);
}

export function currentRole(): ConsoleRole {
  const stored = sessionStorage.getItem(roleItem) ?? "";
  // Anything unknown is read as the narrowest role: the console then offers least.
  return consoleRoles.includes(stored) ? (stored as ConsoleRole) : "support";
}

// What each role may do, from SPEC's role table (admin may do everything):
// the console offers nothing the API would refuse.
/** Create and edit releases, plan waves, start/pause/resume/advance/halt. */
export const maySteerReleases = () => currentRole() !== "support";
/** Read the audit log. */
export const mayReadAudit = () => currentRole() !== "support";
/** Create and revoke share links, link support cases. */
export const mayHelpOwners = () => currentRole() !== "release_manager";

export const roleNames: Record<ConsoleRole, string> = { admin: "Admin", release_manager: "Release manager", support: "Support" };

let onSignedOut: (reason: string) => void = () => undefined;
export function whenSignedOut(handler: (reason: string) => void): void {
  onSignedOut = handler;
}

export function signOut(reason = ""): void {
  sessionStorage.removeItem(keyItem);
  sessionStorage.removeItem(roleItem);
  onSignedOut(reason);
}

/** True when the key may call `path`; false on 403. */
async function allowed(path: string, key: string): Promise<boolean> {
  try {
    await apiFetch(path, { key });
    return true;
  } catch (error) {
    if (error instanceof ApiProblem && error.status === 403) return false;
    throw error;
  }
}

/**
 * Checks the key against the API and learns its role from what it may read:
 * releases need release_manager, support or admin; the audit log a release
 * manager or admin; webhooks only an admin.
 */
export async function signIn(key: string): Promise<ConsoleRole> {
  await apiFetch("/v1/releases", { key });
  const role: ConsoleRole = !(await allowed("/v1/audit?limit=1", key)) ? "support" : (await allowed("/v1/webhooks", key)) ? "admin" : "release_manager";
  sessionStorage.setItem(keyItem, key);
  sessionStorage.setItem(roleItem, role);
  return role;
}

/** An API call with the session's key; a key that stops working signs the console out. */
export async function api<T>(path: string, request: Omit<ApiRequest, "key"> = {}): Promise<ApiResponse<T>> {
  try {
    return await apiFetch<T>(path, { ...request, key: currentKey() });
  } catch (error) {
    if (error instanceof ApiProblem && error.status === 401) signOut(error.describe());
    throw error;
  }
}
