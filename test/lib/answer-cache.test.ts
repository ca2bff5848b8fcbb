import { expect, test } from "vitest";
import { answerCache } from "../../src/lib/answer-cache";
import { manualClock } from "../../src/lib/clock";

// An answer read again that says the same stays the object kept, so that what was built
// from it (an owner's body in each language) serves on; one that differs replaces it.
// Only the latter counts as a change.

test("an answer read again unchanged stays the one kept, with the new read's times; a changed one replaces it", async () => {
  const clock = manualClock("2026-11-01T08:00:00Z");
  const cache = answerCache<{ state: string }>({ clock, maxAgeMs: 2000, maxEntries: 10, same: (a, b) => a.state === b.state });
  let state = "queued";
  const load = async () => ({ state });
  const first = await cache.get("car", load);
  const changes = cache.changes;

  // Due to be read again: the read ahead finds the same state.
  clock.advance(1500);
  expect(cache.peekFresh("car", load)?.value).toBe(first);
  await expect.poll(() => cache.loads).toBe(2);
  await expect.poll(() => cache.peekFresh("car", load)?.refreshAt).toBe(clock.now().getTime() + 1500);
  expect(cache.peekFresh("car", load)?.value).toBe(first);
  expect(cache.changes).toBe(changes);

  // Read again after a change: the new answer, and a change counted.
  state = "offered";
  clock.advance(1500);
  cache.peekFresh("car", load);
  await expect.poll(() => cache.peekFresh("car", load)?.value.state).toBe("offered");
  expect(cache.changes).toBe(changes + 1);
});
