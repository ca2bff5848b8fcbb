// Firmware versions like 2026.44.1: two to four numeric parts, ordered part by
// part as numbers (2026.9.0 < 2026.10.0), no leading zeros so each version has
// exactly one spelling. Parts stay within Postgres int so SQL orders them alike.
const versionPattern = /^(0|[1-9]\d{0,8})(\.(0|[1-9]\d{0,8})){1,3}$/;

export function isVersion(text: string): boolean {
  return versionPattern.test(text);
}

export function versionParts(version: string): number[] {
  return version.split(".").map(Number);
}

/** Negative when a is older than b, zero when equal, positive when newer. */
export function compareVersions(a: string, b: string): number {
  const pa = versionParts(a);
  const pb = versionParts(b);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const diff = (pa[i] ?? -1) - (pb[i] ?? -1);
    if (diff !== 0) return diff;
  }
  return 0;
}
