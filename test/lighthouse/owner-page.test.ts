// Lighthouse (mobile) on an owner's page scores at least 95 for performance,
// accessibility and best practices, as the median of three runs (`npm run lighthouse` prints one).
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { hasChromium } from "../e2e/browser";
import { seedRollout } from "../e2e/rollout-data";
import { type Server, startServer } from "../e2e/server";
import { medianAudit } from "./audit";

describe.runIf(hasChromium)("Lighthouse on the owner page", () => {
  let server: Server;
  beforeAll(async () => {
    server = await startServer();
  }, 120_000);
  afterAll(() => server?.stop());

  test("mobile: performance, accessibility and best practices at least 95", async () => {
    const rollout = await seedRollout(server, 300);
    const { scores, failing } = await medianAudit(`${server.base}/t/${rollout.owner.code}`, join(process.cwd(), "test-artifacts", "lighthouse"), 3);
    for (const [category, score] of Object.entries(scores)) expect(score, `${category}; below 90: ${failing.join("; ")}`).toBeGreaterThanOrEqual(95);
  }, 180_000);
});
