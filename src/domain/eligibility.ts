import type { Eligibility } from "../db/schema";
import { compareVersions } from "./version";

export type VehicleProfile = {
  model: string;
  hardware: string;
  region: string;
  channel: string;
  firmware: string;
};

export type ReleaseTarget = { version: string; channel: string; eligibility: Eligibility };

/**
 * Why a release does not apply to a vehicle, in words an owner understands,
 * or null when it applies. An empty list in the eligibility means "any".
 */
export function ineligibilityReason(vehicle: VehicleProfile, release: ReleaseTarget): string | null {
  const { models, hardware, regions, minVersion } = release.eligibility;
  if (vehicle.channel !== release.channel)
    return `This release is for the ${release.channel} channel; your car is on ${vehicle.channel}.`;
  if (models?.length && !models.includes(vehicle.model))
    return `This release is not for the ${vehicle.model} model.`;
  if (hardware?.length && !hardware.includes(vehicle.hardware))
    return `This release does not support hardware ${vehicle.hardware}.`;
  if (regions?.length && !regions.includes(vehicle.region))
    return `This release is not available in region ${vehicle.region} yet.`;
  if (minVersion && compareVersions(vehicle.firmware, minVersion) < 0)
    return `Your car needs firmware ${minVersion} or newer first; it has ${vehicle.firmware}.`;
  return null;
}
