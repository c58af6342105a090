/**
 * For developing the browser tests: starts the dev stack and serves dist/ like `npm test` does, writes
 * what the tests need to a JSON file, and keeps running until Ctrl-C. Then
 *   E2E_RUNNING=<file> node --test --test-name-pattern "…" e2e/dapp.test.ts
 * runs tests against it without starting a stack each time (rebuild dist/ in between as you like).
 *   node e2e/hold.ts /tmp/e2e-running.json
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { startDevStack } from "../../scripts/dev-stack.ts";
import { serveDist } from "./serve.ts";

const out = process.argv[2] ?? path.join(tmpdir(), "e2e-running.json");
const work = mkdtempSync(path.join(tmpdir(), "harmonie-e2e-hold-"));
const stackDir = path.join(work, "stack");
const stack = await startDevStack({
  dataDir: stackDir,
  deploymentsDir: path.join(work, "deployments"),
  blockIntervalMs: 1000,
});
const site = await serveDist(process.env.E2E_DIST ?? path.resolve(import.meta.dirname, "../dist"), stack.dappConfig);
writeFileSync(
  out,
  JSON.stringify({
    rpcUrl: stack.rpcUrl,
    chainId: stack.chainId,
    deployment: stack.deployment,
    dappConfig: stack.dappConfig,
    ipfsUrl: stack.ipfsUrl,
    stackDir,
    site: site.url,
  }),
);
console.log(`Stack and site up: ${site.url} (details in ${out}). Ctrl-C stops.`);
const stop = async () => {
  await site.stop();
  await stack.stop();
  rmSync(work, { recursive: true, force: true });
  process.exit(0);
};
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
