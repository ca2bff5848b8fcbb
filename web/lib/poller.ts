// Keeps a view fresh while the page is open: a steady interval while the
// server answers, exponential backoff (with jitter, honouring Retry-After)
// while it does not, no requests while the tab is hidden, and an immediate
// refresh when the tab comes back or the network returns.
import { ApiProblem } from "./api";

export type PollState =
  | { kind: "ok"; at: Date }
  | { kind: "failing"; error: unknown; failures: number; retryInMs: number };

export type PollerOptions = {
  load: () => Promise<void>;
  /** Normal refresh interval; may depend on what was loaded last. */
  intervalMs: () => number;
  onState: (state: PollState) => void;
  firstRetryMs?: number;
  maxRetryMs?: number;
};

export type Poller = { refreshNow: () => void; stop: () => void };

export function startPolling({ load, intervalMs, onState, firstRetryMs = 5_000, maxRetryMs = 300_000 }: PollerOptions): Poller {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let dueAt = 0;
  let failures = 0;
  let running = false;
  let stopped = false;

  const schedule = (ms: number) => {
    clearTimeout(timer);
    if (stopped) return;
    dueAt = Date.now() + ms;
    if (!document.hidden) timer = setTimeout(run, ms);
  };

  async function run() {
    if (running || stopped) return;
    running = true;
    clearTimeout(timer);
    try {
      await load();
      failures = 0;
      onState({ kind: "ok", at: new Date() });
      schedule(intervalMs());
    } catch (error) {
      failures += 1;
      const backoff = Math.min(maxRetryMs, firstRetryMs * 2 ** (failures - 1)) * (0.8 + Math.random() * 0.4);
      const asked = error instanceof ApiProblem && error.retryAfter ? error.retryAfter * 1000 : 0;
      const retryInMs = Math.round(Math.max(backoff, asked));
      onState({ kind: "failing", error, failures, retryInMs });
      schedule(retryInMs);
    } finally {
      running = false;
    }
  }

  const onVisibility = () => {
    if (document.hidden) clearTimeout(timer);
    else if (Date.now() >= dueAt) void run();
    else schedule(dueAt - Date.now());
  };
  const onOnline = () => void run();
  document.addEventListener("visibilitychange", onVisibility);
  window.addEventListener("online", onOnline);
  void run();

  return {
    refreshNow: () => void run(),
    stop: () => {
      stopped = true;
      clearTimeout(timer);
      document.removeEventListener("visibilitychange", onVisibility);
      window.removeEventListener("online", onOnline);
    },
  };
}
