export const updateStates = ["queued", "offered", "downloading", "installing", "installed", "failed", "cancelled", "skipped"] as const;
export type UpdateState = (typeof updateStates)[number];
export type StateCounts = Record<UpdateState, number>;

export const emptyCounts = (): StateCounts => Object.fromEntries(updateStates.map((s) => [s, 0])) as StateCounts;
