const vinAlphabet = "ABCDEFGHJKLMNPRSTUVWXYZ0123456789";

/** A random valid VIN, so tests never collide on fixed ids. */
export function randomVin(): string {
  let vin = "";
  for (let i = 0; i < 17; i++) vin += vinAlphabet[Math.floor(Math.random() * vinAlphabet.length)];
  return vin;
}

/** A random version no other test uses. */
export function randomVersion(): string {
  return `${2100 + Math.floor(Math.random() * 800)}.${Math.floor(Math.random() * 52)}.${Math.floor(Math.random() * 1000)}`;
}

export const vehicleBody = (overrides: Record<string, unknown> = {}) => ({
  model: "model3",
  hardware: "HW4",
  region: "NL",
  channel: "stable",
  cohort: "standard",
  firmware: "2026.38.2",
  ...overrides,
});
