import { and, eq, sql } from "drizzle-orm";
import type { Db, DbOrTx } from "../db/client";
import { rowsOf, theRow } from "../db/rows";
import { type KnownIssueStatus, knownIssues, releases } from "../db/schema";
import { DomainError, notFound } from "../domain/errors";
import { fixedInProblem } from "../domain/known-issues";
import { type LocalizedText, englishOf } from "../domain/localized-text";
import { recordAudit } from "./audit-write";
import { enqueueWebhookEvent } from "./webhooks";

export type KnownIssueInput = {
  title: LocalizedText;
  body: LocalizedText;
  status: KnownIssueStatus;
  fixedIn?: string | null;
  errorCodes?: string[];
};
export type KnownIssuePatch = Partial<KnownIssueInput>;

/** One known issue as stored, with its report counts. */
export type KnownIssue = {
  id: number;
  version: string;
  title: LocalizedText;
  body: LocalizedText;
  status: KnownIssueStatus;
  fixedIn: string | null;
  errorCodes: string[];
  /** Distinct cars reporting it: a linked case or a failed report with one of its error codes (a car with both counts once). */
  reports: number;
  cases: number;
  failedVehicles: number;
  createdBy: string;
  updatedBy: string;
  createdAt: Date;
  updatedAt: Date;
};

// jsonb, arrays and timestamps leave the statement as JSON text: PGlite and postgres.js parse
// them differently through db.execute, and a plain-string title would be ambiguous otherwise.
type Row = Omit<KnownIssue, "createdAt" | "updatedAt" | "title" | "body" | "errorCodes"> & {
  title: string;
  body: string;
  errorCodes: string;
  createdAt: string;
  updatedAt: string;
};

// One set-based statement for all issues of a release: the cases by their
// known_issue_id index, the failed reports by (release_id, error_code) where
// state = 'failed' (update_events_release_failed_code_idx).
const issuesWithReports = (where: ReturnType<typeof sql>) => sql`
  select ki.id, r.version, ki.title::text as title, ki.body::text as body, ki.status, ki.fixed_in as "fixedIn",
         to_json(ki.error_codes)::text as "errorCodes", ki.created_by as "createdBy", ki.updated_by as "updatedBy",
         to_json(ki.created_at) #>> '{}' as "createdAt", to_json(ki.updated_at) #>> '{}' as "updatedAt",
         (select count(*)::int from support_cases c where c.known_issue_id = ki.id) as cases,
         (select count(distinct e.vehicle_id)::int from update_events e
            where e.release_id = ki.release_id and e.state = 'failed' and e.error_code = any(ki.error_codes)) as "failedVehicles",
         (select count(*)::int from (
            select c.vehicle_id from support_cases c where c.known_issue_id = ki.id
            union
            select e.vehicle_id from update_events e
            where e.release_id = ki.release_id and e.state = 'failed' and e.error_code = any(ki.error_codes)) reporters) as reports
  from known_issues ki join releases r on r.id = ki.release_id
  where ${where}
  order by ki.id`;

// The columns hold what the API validated on the way in (LocalizedText, text[]).
const parsed = <T>(json: string) => JSON.parse(json) as T;

function issueOf(row: Row): KnownIssue {
  return {
    ...row,
    id: Number(row.id),
    title: parsed<LocalizedText>(row.title),
    body: parsed<LocalizedText>(row.body),
    errorCodes: parsed<string[]>(row.errorCodes),
    createdAt: new Date(row.createdAt),
    updatedAt: new Date(row.updatedAt),
  };
}

/** The known issues of a release with their report counts; empty when there is no such release. */
export async function knownIssuesOfVersion(db: DbOrTx, version: string): Promise<KnownIssue[]> {
  return rowsOf<Row>(await db.execute(issuesWithReports(sql`r.version = ${version}`))).map(issueOf);
}

async function knownIssueById(db: DbOrTx, id: number): Promise<KnownIssue> {
  const [row] = rowsOf<Row>(await db.execute(issuesWithReports(sql`ki.id = ${id}`)));
  if (!row) throw notFound(`Known issue ${id}`);
  return issueOf(row);
}

/** The release's known issues; 404 for an unknown release. */
export async function listKnownIssues(db: Db, version: string) {
  const [release] = await db.select({ id: releases.id }).from(releases).where(eq(releases.version, version));
  if (!release) throw notFound(`Release ${version}`);
  return knownIssuesOfVersion(db, version);
}

const invalid = (message: string) => new DomainError("conflict", message);

/** What webhook receivers get: the English text (like every other event) and the issue's facts. */
const eventOf = (issue: KnownIssue, at: Date) => ({
  id: issue.id,
  version: issue.version,
  title: englishOf(issue.title),
  status: issue.status,
  fixedIn: issue.fixedIn,
  errorCodes: issue.errorCodes,
  at: at.toISOString(),
});

type Change = { db: Db; actor: string; now: Date };

export function createKnownIssue({ db, actor, now, version, input }: Change & { version: string; input: KnownIssueInput }) {
  return db.transaction(async (tx) => {
    const [release] = await tx.select({ id: releases.id }).from(releases).where(eq(releases.version, version));
    if (!release) throw notFound(`Release ${version}`);
    const problem = fixedInProblem(version, input.fixedIn);
    if (problem) throw invalid(problem);
    const { id } = theRow(
      await tx
        .insert(knownIssues)
        .values({
          releaseId: release.id,
          title: input.title,
          body: input.body,
          status: input.status,
          fixedIn: input.fixedIn ?? null,
          errorCodes: input.errorCodes ?? [],
          createdBy: actor,
          updatedBy: actor,
          createdAt: now,
          updatedAt: now,
        })
        .returning({ id: knownIssues.id }),
    );
    const issue = await knownIssueById(tx, id);
    await recordAudit(tx, { actor, action: "known_issue.created", at: now, releaseId: release.id, after: eventOf(issue, now) });
    await enqueueWebhookEvent(tx, "known_issue.created", [eventOf(issue, now)], now);
    return issue;
  });
}

export function updateKnownIssue({ db, actor, now, id, patch }: Change & { id: number; patch: KnownIssuePatch }) {
  return db.transaction(async (tx) => {
    // Locked, so two edits of one issue apply one after the other and each audit entry's `before` is true.
    const [locked] = await tx.select({ id: knownIssues.id, releaseId: knownIssues.releaseId }).from(knownIssues).where(eq(knownIssues.id, id)).for("update");
    if (!locked) throw notFound(`Known issue ${id}`);
    const before = await knownIssueById(tx, id);
    const problem = fixedInProblem(before.version, patch.fixedIn);
    if (problem) throw invalid(problem);
    await tx
      .update(knownIssues)
      .set({
        ...(patch.title === undefined ? {} : { title: patch.title }),
        ...(patch.body === undefined ? {} : { body: patch.body }),
        ...(patch.status === undefined ? {} : { status: patch.status }),
        ...(patch.fixedIn === undefined ? {} : { fixedIn: patch.fixedIn }),
        ...(patch.errorCodes === undefined ? {} : { errorCodes: patch.errorCodes }),
        updatedBy: actor,
        updatedAt: now,
      })
      .where(and(eq(knownIssues.id, id), eq(knownIssues.releaseId, locked.releaseId)));
    const after = await knownIssueById(tx, id);
    await recordAudit(tx, { actor, action: "known_issue.updated", at: now, releaseId: locked.releaseId, before: eventOf(before, now), after: { ...eventOf(after, now), changed: Object.keys(patch) } });
    await enqueueWebhookEvent(tx, "known_issue.updated", [{ ...eventOf(after, now), changed: Object.keys(patch) }], now);
    return after;
  });
}

/** The release a known issue belongs to, or null when there is no such issue. */
export async function releaseOfKnownIssue(tx: DbOrTx, id: number): Promise<number | null> {
  const [issue] = await tx.select({ releaseId: knownIssues.releaseId }).from(knownIssues).where(eq(knownIssues.id, id));
  return issue?.releaseId ?? null;
}

/** The issue a case names, if it belongs to the case's release; else why not. */
export async function knownIssueForCase(tx: DbOrTx, id: number, releaseId: number | null, version: string | null) {
  const [issue] = await tx.select({ releaseId: knownIssues.releaseId }).from(knownIssues).where(eq(knownIssues.id, id));
  if (!issue) throw notFound(`Known issue ${id}`);
  if (releaseId === null) throw invalid(`Known issue ${id} cannot be linked: the car is in no release rolling out or paused, nor in the issue's release.`);
  if (issue.releaseId !== releaseId) throw invalid(`Known issue ${id} is not an issue of release ${version ?? "?"}, the release this case is linked to.`);
}
