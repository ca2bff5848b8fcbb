// `npm run lighthouse`: starts the server on a fresh PGlite folder, seeds a
// rollout, runs Lighthouse (mobile) on an owner's page and prints the scores;
// the reports go to test-artifacts/lighthouse/.
import { join } from "node:path";
import { seedRollout } from "../e2e/rollout-data";
import { startServer } from "../e2e/server";
import { auditPage } from "./audit";

const server = await startServer();
try {
  const rollout = await seedRollout(server, 300);
  const url = `${server.base}/t/${rollout.owner.code}`;
  const started = Date.now();
  const { scores, failing } = await auditPage(url, join(process.cwd(), "test-artifacts", "lighthouse"));
  console.log(`Lighthouse (mobile) on ${url} in ${((Date.now() - started) / 1000).toFixed(1)} s:`);
  for (const [category, score] of Object.entries(scores)) console.log(`  ${category.padEnd(15)} ${score}`);
  for (const line of failing) console.log(`  below 90: ${line}`);
  console.log("Reports: test-artifacts/lighthouse/owner-page.report.{html,json}");
} finally {
  await server.stop();
}
