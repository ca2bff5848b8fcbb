// Why a rule refused, in domain words. Domain code and services throw these;
// one place (src/lib/on-error.ts) turns them into problem+json, so no service
// knows about HTTP statuses.

export const domainErrorKinds = ["not_found", "conflict", "precondition_failed", "precondition_required", "forbidden"] as const;
export type DomainErrorKind = (typeof domainErrorKinds)[number];

export class DomainError extends Error {
  constructor(
    readonly kind: DomainErrorKind,
    message: string,
  ) {
    super(message);
    this.name = "DomainError";
  }
}

/** Something the request names does not exist (a release, a vehicle, a link). */
export const notFound = (what: string) => new DomainError("not_found", `${what} was not found.`);

/** The request is fine, but the current state refuses it. */
export const conflict = (message: string) => new DomainError("conflict", message);

/** The caller is known, but this is not theirs to do (a device reporting for another car). */
export const forbidden = (message: string) => new DomainError("forbidden", message);
