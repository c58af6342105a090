// `npm run indexer` restarts without rebuilding the subgraph when nothing it is built from changed
// (a restart took 59 s, mostly graph codegen + graph build). One real build, then a restart.
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { test } from "node:test";
import { buildIfChanged } from "../subgraph/runner/src/index.ts";
import { CONTRACT_ARTIFACTS } from "./contracts.ts";
import { indexerBuildInputs, indexerBuildKey, prepareIndexerBuild } from "./indexer.ts";

const deploymentOf = (address: string) => ({
  chainId: 31337,
  network: "localhost",
  contracts: Object.fromEntries(Object.keys(CONTRACT_ARTIFACTS).map((name) => [name, { address, blockNumber: 1 }])),
});

test("a restart with unchanged sources, contracts and deployment reuses the build; a new deployment rebuilds", async () => {
  const dir = mkdtempSync(path.join(tmpdir(), "harmonie-indexer-"));
  try {
    const deployments = path.join(dir, "31337.json");
    writeFileSync(deployments, JSON.stringify(deploymentOf("0x" + "11".repeat(20))));
    const buildDir = path.join(dir, "build");
    const lines: string[] = [];
    const prepare = () =>
      prepareIndexerBuild({ deployments, network: "localhost", buildDir, log: (l) => lines.push(l) });

    assert.equal((await prepare()).rebuilt, true);
    const manifest = path.join(buildDir, "subgraph.yaml");
    assert.match(readFileSync(manifest, "utf8"), /0x1111111111111111111111111111111111111111/);
    const built = statSync(manifest).mtimeMs;

    // The restart: the build wrote nothing that is one of its own inputs, so nothing looks changed.
    const started = performance.now();
    assert.equal((await prepare()).rebuilt, false);
    const restartMs = performance.now() - started;
    assert.equal(statSync(manifest).mtimeMs, built, "the reused build is untouched");
    assert.deepEqual(lines, ["Building the subgraph…", "Subgraph unchanged since the last build: reusing it."]);
    assert.ok(restartMs < 10_000, `checking the inputs took ${restartMs.toFixed(0)} ms`);

    // A redeployment (new addresses) or another network is a new build (a recorder stands in for graph build).
    writeFileSync(deployments, JSON.stringify(deploymentOf("0x" + "22".repeat(20))));
    let builds = 0;
    const check = (network: string) =>
      buildIfChanged({
        inputs: indexerBuildInputs(deployments),
        extra: indexerBuildKey(network),
        outDir: buildDir,
        build: async () => void builds++,
      });
    assert.equal((await check("localhost")).rebuilt, true);
    assert.equal(builds, 1);
    assert.equal((await check("core-testnet2")).rebuilt, true);
    assert.equal(builds, 2);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
