// An owner's ETA as a range around the projected offer time. The projection
// comes from the plan and the clock (forecast.ts); the range widens with the
// distance (plans drift: pauses elsewhere, re-plans, a slow fleet) and always
// covers one beat of the clock, because offers land on the next beat.

export type EtaRange = { earliest: Date; latest: Date };

/** Early side: a re-plan or faster rate rarely brings an offer more than ~10% forward. */
const earlyShare = 0.1;
/** Late side: waiting costs more trust than a pleasant surprise, so the range leans late. */
const lateShare = 0.25;

export function etaRange(projected: Date, now: Date, beatMs: number): EtaRange {
  const wait = Math.max(0, projected.getTime() - now.getTime());
  return {
    earliest: new Date(Math.max(now.getTime(), projected.getTime() - wait * earlyShare)),
    latest: new Date(projected.getTime() + wait * lateShare + beatMs),
  };
}
