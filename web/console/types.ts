// The API shapes the console reads, taken from the API's own zod schemas as
// types only (esbuild erases them, so no server code enters the bundle): the
// console and the server cannot drift apart on what a response holds.
// Never declare an API shape here by hand; test/web/api-types.test.ts
// fails if one comes back.
import type { UpdateState } from "../../src/routes/common.schemas";

export type { Release, ReleaseAction, Wave } from "../../src/routes/releases/releases.schemas";
export type { Progress, QueuePage, ReplanPreview, WavePlan, WavePlanItem } from "../../src/routes/rollout/rollout.schemas";
export type { VehicleDetail } from "../../src/routes/vehicles/vehicles.schemas";
export type { CaseLink, ShareLink as CreatedShareLink, ShareLinkRequest } from "../../src/routes/support/support.schemas";
export type { AuditPage } from "../../src/routes/audit/audit.schemas";
export type { KnownIssue, KnownIssueCreate, KnownIssueList, KnownIssueUpdate } from "../../src/routes/known-issues/known-issues.schemas";

/** Every update state in step order, for chart series and filters. */
export const updateStates = ["queued", "offered", "downloading", "installing", "installed", "failed", "cancelled", "skipped"] as const satisfies readonly UpdateState[];

// A state the API adds but this list lacks fails the type check here.
type Complete<Missing extends never> = Missing;
export type UpdateStatesComplete = Complete<Exclude<UpdateState, (typeof updateStates)[number]>>;
