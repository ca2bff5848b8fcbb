import type { OfferForecast } from "./forecast";

// An owner's ETA as a range around the projected offer time (forecast.ts),
// as wide as what decides the wait and no wider:
// - the clock offers on beats, so an offer lands up to one beat after it is due;
//   a car due within the next beat sees [now, next beat]: honest about the beat,
//   while `ahead` still counts every car before it (SPEC);
// - a fixed schedule (the active wave at its rate, a start time) only drifts by
//   what nobody can foresee (a pause, a re-plan): a small share of the wait;
// - a soak + success rule before the car may hold longer than its soak: the
//   forecast's slack, added on the late side only (a rule never opens early).
// The shares were checked by test/domain/eta-simulation.test.ts (a 20,000-car
// rollout with a pause, a re-plan, failures and late joiners).

export type EtaRange = { earliest: Date; latest: Date };

/** Early side: only a re-plan, a manual advance or late joiners (moving cut points) bring an offer forward. */
const earlyShare = 0.02;
/** Late side: pauses and re-plans that nobody can foresee; waiting costs more trust, so it leans late. */
const lateShare = 0.1;

export function etaRange(forecast: OfferForecast, now: Date, beatMs: number): EtaRange {
  const projected = forecast.at.getTime();
  const wait = Math.max(0, projected - now.getTime());
  return {
    earliest: new Date(Math.max(now.getTime(), projected - wait * earlyShare)),
    latest: new Date(projected + wait * lateShare + forecast.slackMs + beatMs),
  };
}
