// The console's sign-in: the key lives in sessionStorage (gone when the tab
// closes, never in a URL, never in localStorage) and goes out only as an
// Authorization header.
import { ApiProblem, type ApiRequest, type ApiResponse, apiFetch } from "../lib/api";

const keyItem = "rollout-tracker.console.key";
const roleItem = "rollout-tracker.console.role";

/** What the console shows: managers steer releases; support looks up vehicles. */
export type ConsoleRole = "manager" | "support";

export function currentKey(): string | null {
  return sessionStorage.getItem(keyItem);
}

export function currentRole(): ConsoleRole {
  return sessionStorage.getItem(roleItem) === "manager" ? "manager" : "support";
}

export const isManager = () => currentRole() === "manager";

let onSignedOut: (reason: string) => void = () => undefined;
export function whenSignedOut(handler: (reason: string) => void): void {
  onSignedOut = handler;
}

export function signOut(reason = ""): void {
  sessionStorage.removeItem(keyItem);
  sessionStorage.removeItem(roleItem);
  onSignedOut(reason);
}

/**
 * Checks the key against the API and learns what it may do: reading releases
 * needs release_manager or support; reading the audit log needs a manager.
 */
export async function signIn(key: string): Promise<ConsoleRole> {
  await apiFetch("/v1/releases", { key });
  let role: ConsoleRole = "manager";
  try {
    await apiFetch("/v1/audit?limit=1", { key });
  } catch (error) {
    if (!(error instanceof ApiProblem) || error.status !== 403) throw error;
    role = "support";
  }
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
