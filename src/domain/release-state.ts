// The release state machine: draft → rolling_out ⇄ paused → completed, or
// halted for good. Every command a person gives a release is decided here, and
// allowedActions is derived from the same decisions, so what a client offers
// and what the server accepts cannot disagree.
import { DomainError, conflict } from "./errors";

export type ReleaseState = "draft" | "rolling_out" | "paused" | "completed" | "halted";

/** What the rules need to know about a release: its state, its waves and its offer frontier. */
export type ReleaseModel = {
  version: string;
  state: ReleaseState;
  waves: readonly { index: number; state: "pending" | "active" | "done" }[];
  /** Positions 1..offeredThrough have been offered. */
  offeredThrough: number;
  /** Vehicles in the queue (the API calls it `total`). */
  queueSize: number;
};

/** The state changes a person can ask for (SPEC: allowedActions). */
export const releaseActions = ["start", "pause", "resume", "advance", "halt"] as const;
export type ReleaseAction = (typeof releaseActions)[number];

/** Commands: the state changes, and replacing the wave plan. */
export type ReleaseCommand = ReleaseAction | "replan";

/** What `advance` does: open the next wave now, or complete from a last wave that reached everyone. */
export type AdvanceStep = { kind: "open_wave"; wave: number } | { kind: "complete" };

export type Decision<C extends ReleaseCommand = ReleaseCommand> =
  | { allowed: false; reason: string }
  | (C extends "advance" ? { allowed: true; step: AdvanceStep } : { allowed: true });

const refuse = (reason: string) => ({ allowed: false as const, reason });

/** The states each command is accepted in. */
const acceptedIn: Record<ReleaseCommand, readonly ReleaseState[]> = {
  start: ["draft"],
  pause: ["rolling_out"],
  resume: ["paused"],
  advance: ["rolling_out"],
  halt: ["rolling_out", "paused"],
  replan: ["draft", "rolling_out", "paused"],
};

const verbs: Record<ReleaseCommand, string> = {
  start: "start",
  pause: "pause",
  resume: "resume",
  advance: "advance",
  halt: "halt",
  replan: "change its plan",
};

function nextStep(release: ReleaseModel): AdvanceStep | string {
  const active = release.waves.find((w) => w.state === "active");
  const next = active ? active.index + 1 : 1;
  if (next <= release.waves.length) return { kind: "open_wave", wave: next };
  if (release.offeredThrough >= release.queueSize) return { kind: "complete" };
  return `Wave ${active?.index ?? release.waves.length} is the last wave and has not reached every vehicle; extend the plan first.`;
}

/** Whether the release accepts a command now, and if not, why in words a person can act on. */
export function decide<C extends ReleaseCommand>(release: ReleaseModel, command: C): Decision<C>;
export function decide(release: ReleaseModel, command: ReleaseCommand): Decision {
  const states = acceptedIn[command];
  if (!states.includes(release.state)) {
    const when = command === "replan" ? "" : ` (only when ${states.join(" or ")})`;
    return refuse(`Release ${release.version} is ${release.state}; it cannot ${verbs[command]}${when}.`);
  }
  if (command === "start" && release.waves.length === 0) {
    return refuse(`Release ${release.version} has no waves yet: PUT a wave plan first.`);
  }
  if (command === "advance") {
    const step = nextStep(release);
    return typeof step === "string" ? refuse(step) : { allowed: true, step };
  }
  return { allowed: true };
}

/** The state changes the release accepts now: exactly those `decide` allows. */
export function allowedActions(release: ReleaseModel): ReleaseAction[] {
  return releaseActions.filter((action) => decide(release, action).allowed);
}

/** The decision for a command the caller means to carry out; a refusal is a domain conflict. */
export function requireAllowed<C extends ReleaseCommand>(release: ReleaseModel, command: C): Extract<Decision<C>, { allowed: true }> {
  const decision = decide(release, command);
  if (!decision.allowed) throw conflict(decision.reason);
  // TypeScript does not narrow a union that depends on the generic C; `allowed` was checked above.
  return decision;
}

/**
 * A plan edit must be based on the release as it is now (optimistic
 * concurrency): an edit without the ETag it was based on is refused, and so
 * is one based on an older revision. A dry run changes nothing, so it may
 * omit the ETag; one it does send must still be current.
 */
export function requireCurrentEtag(edit: { dryRun: boolean; ifMatch: string | undefined }, current: string) {
  if (edit.ifMatch === undefined) {
    if (edit.dryRun) return;
    throw new DomainError("precondition_required", "Send If-Match with the release's ETag (from GET /v1/releases/{version}) so no edit is lost.");
  }
  if (edit.ifMatch !== current) {
    throw new DomainError("precondition_failed", `The release changed since you read it (now ${current}); reload and re-apply your edit.`);
  }
}
