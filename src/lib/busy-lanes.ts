// Reads that arrive while the database is busy can share one round trip: a
// DataLoader batch is sent at once while fewer than `lanes` batches are in
// flight, and otherwise waits for one to come back, gathering the reads that
// arrive meanwhile. Nothing waits for company while a lane is free, so a quiet
// server answers as fast as before and a loaded one sends fewer, fuller batches.

export type BusyLanes = {
  /** DataLoader's `batchScheduleFn`: dispatches a batch now or when a lane frees up. */
  schedule(dispatch: () => void): void;
  /** Runs one dispatched batch's work and then hands its lane to the next batch. */
  run<T>(work: () => Promise<T>): Promise<T>;
};

/**
 * `lanes` batches in flight at most. A batch sent while a lane is free waits for
 * `gather` first: by default the current job (the reads that job started join it).
 */
export function busyLanes(lanes: number, gather: (dispatch: () => void) => void = queueMicrotask): BusyLanes {
  let busy = 0;
  const waiting: (() => void)[] = [];
  return {
    schedule(dispatch) {
      if (busy >= lanes) return void waiting.push(dispatch);
      busy++;
      gather(dispatch);
    },
    async run(work) {
      try {
        return await work();
      } finally {
        const next = waiting.shift();
        // The lane passes straight to the oldest waiting batch; otherwise it is free.
        if (next) queueMicrotask(next);
        else busy--;
      }
    },
  };
}
