import { compareVersions } from "./version";

/** Which vehicles a release is for; an absent or empty list means any. */
export type Eligibility = {
  models?: string[];
  hardware?: string[];
  regions?: string[];
  minVersion?: string;
};

export type VehicleProfile = {
  model: string;
  hardware: string;
  region: string;
  channel: string;
  firmware: string;
};

export type ReleaseTarget = { version: string; channel: string; eligibility: Eligibility };

export type IneligibilityCode = "channel" | "model" | "hardware" | "region" | "min_version";

/**
 * Why a release does not apply to a vehicle: a stable code (pages translate
 * it) and the same in English words, or null when it applies. An empty list
 * in the eligibility means "any".
 */
export function ineligibility(vehicle: VehicleProfile, release: ReleaseTarget): { code: IneligibilityCode; reason: string } | null {
  const { models, hardware, regions, minVersion } = release.eligibility;
  if (vehicle.channel !== release.channel)
    return { code: "channel", reason: `This release is for the ${release.channel} channel; your car is on ${vehicle.channel}.` };
  if (models?.length && !models.includes(vehicle.model))
    return { code: "model", reason: `This release is not for the ${vehicle.model} model.` };
  if (hardware?.length && !hardware.includes(vehicle.hardware))
    return { code: "hardware", reason: `This release does not support hardware ${vehicle.hardware}.` };
  if (regions?.length && !regions.includes(vehicle.region))
    return { code: "region", reason: `This release is not available in region ${vehicle.region} yet.` };
  if (minVersion && compareVersions(vehicle.firmware, minVersion) < 0)
    return { code: "min_version", reason: `Your car needs firmware ${minVersion} or newer first; it has ${vehicle.firmware}.` };
  return null;
}

/** The car already runs this version or a newer one: it is skipped, never offered. */
export function isUpToDate(firmware: string, version: string): boolean {
  return compareVersions(firmware, version) >= 0;
}

/** Where a vehicle stands towards a release's queue: in line, already up to date, or not eligible. */
export type QueueMembership = "queued" | "skipped" | "excluded";

export function queueMembership(vehicle: VehicleProfile, release: ReleaseTarget): QueueMembership {
  if (ineligibility(vehicle, release)) return "excluded";
  return isUpToDate(vehicle.firmware, release.version) ? "skipped" : "queued";
}
