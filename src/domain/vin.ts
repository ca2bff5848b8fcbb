// ISO 3779: 17 characters from the digits and capital letters, never I, O or Q
// (they read as 1 and 0). The check digit is a North American rule, so it is
// not required here.
const vinPattern = /^[A-HJ-NPR-Z0-9]{17}$/;

export function normalizeVin(input: string): string {
  return input.trim().toUpperCase();
}

export function vinProblem(vin: string): string | null {
  if (vin.length !== 17) return `a VIN has 17 characters, this one has ${vin.length}`;
  const bad = vin.match(/[^A-HJ-NPR-Z0-9]/);
  if (bad) return `a VIN never contains '${bad[0]}' (only digits and capital letters except I, O and Q)`;
  return vinPattern.test(vin) ? null : "not a valid VIN";
}

/** What an owner page shows: enough to recognise the car, not enough to name it. */
export function maskVin(vin: string): string {
  return `${vin.slice(0, 9)}*****${vin.slice(14)}`;
}
