import type { FreshAnswer } from "../../lib/answer-cache";
import type { CachedKnownIssue } from "../../services/known-issue-cache";
import type { OwnerStatus } from "../../services/track";
import { type BuiltAnswer, builtAnswer } from "./track.handlers";

// In a refresh storm a few thousand owners each ask for their own URL many times a
// second. Each ask found its answer by three lookups: the owner's status by its code
// (a string cut from the URL, hashed and compared anew each time), the release's known
// issues, and the body in the reader's language. Measured at the socket under a storm,
// those lookups were most of what the read-ahead cost beyond writing the response.
//
// A hot answer is therefore kept here by the request's URL as Node's parser gave it,
// with the status, issues and body it was built from, until the earliest moment either
// cache is to read its part again (`refreshAt`): from then on the read takes the
// caches' way again, where the first one starts their read ahead of the end, so an
// answer kept here is never older than theirs. A change made on this instance (a
// forgotten owner answer, or any known-issues change or store) drops every kept answer.

type HotAnswer = {
  status: OwnerStatus;
  issues: readonly CachedKnownIssue[];
  /** The body in the language it was last asked in. */
  built: BuiltAnswer;
  language: string;
  /** Time (ms) from which the caches are to be asked again. */
  until: number;
  forgets: number;
  issueChanges: number;
};

type Counted = { readonly forgets: number };
type Changing = { readonly changes: number };

/** Hot answers by URL, at most `maxEntries`: when full, all are dropped and the hot ones come back on their next read. */
export function hotAnswers({ answers, knownIssues, maxEntries }: { answers: Counted; knownIssues: Changing; maxEntries: number }) {
  const byUrl = new Map<string, HotAnswer>();
  return {
    /** The answer kept for `url`, in `language`, while nothing it was built from is due or changed. */
    find(url: string, language: string, now: number): BuiltAnswer | undefined {
      const hot = byUrl.get(url);
      if (hot === undefined) return undefined;
      if (now >= hot.until || hot.forgets !== answers.forgets || hot.issueChanges !== knownIssues.changes) {
        byUrl.delete(url);
        return undefined;
      }
      if (hot.language === language) return hot.built;
      return builtAnswer(hot.status, hot.issues, language);
    },
    /** Keeps the answer just built from the caches' fresh parts. */
    keep(url: string, status: FreshAnswer<OwnerStatus>, issues: FreshAnswer<CachedKnownIssue[]>, language: string, built: BuiltAnswer) {
      if (byUrl.size >= maxEntries && !byUrl.has(url)) byUrl.clear();
      byUrl.set(url, {
        status: status.value,
        issues: issues.value,
        built,
        language,
        until: Math.min(status.refreshAt, issues.refreshAt),
        forgets: answers.forgets,
        issueChanges: knownIssues.changes,
      });
    },
  };
}
