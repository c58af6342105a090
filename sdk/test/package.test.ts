/**
 * The published package, as a third party gets it: build, `npm pack`, install the tarball and viem
 * into an empty project outside the repository, and run the README's quickstart against a local chain.
 */
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, it } from "node:test";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { type LocalChain, rpc, startLocalChain } from "../../scripts/local-chain.ts";

const SDK = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const ROOT = path.resolve(SDK, "..");
// Hardhat's development account #2 (funded on every local node).
const FAN_KEY = "0x5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a";

let chain: LocalChain;
let project: string;

before(async () => {
  project = mkdtempSync(path.join(tmpdir(), "harmonie-sdk-consumer-"));
  chain = await startLocalChain({ deploy: true });
});

after(async () => {
  await chain?.stop();
  rmSync(project, { recursive: true, force: true });
});

/** The README's quickstart, exactly as documented. */
function quickstart(): string {
  const readme = readFileSync(path.join(SDK, "README.md"), "utf8");
  const match = readme.match(/<!-- quickstart[^>]*-->\s*```ts\n([\s\S]*?)```/);
  assert.ok(match, "README has a quickstart block");
  return match[1];
}

it("installs from its tarball in an empty project and runs the README quickstart", { timeout: 300_000 }, async () => {
  const run = async (command: string, args: string[], cwd: string, env: Record<string, string> = {}) =>
    (await promisify(execFile)(command, args, { cwd, env: { ...process.env, ...env }, encoding: "utf8" })).stdout;

  await run(process.execPath, [path.join(ROOT, "node_modules/typescript/bin/tsc"), "-p", "tsconfig.build.json"], SDK);
  await run("npm", ["pack", "--pack-destination", project], SDK);
  const tarball = readdirSync(project).find((file) => file.endsWith(".tgz"));
  assert.ok(tarball, "npm pack produced a tarball");

  const viemVersion = JSON.parse(readFileSync(path.join(ROOT, "node_modules/viem/package.json"), "utf8")).version;
  writeFileSync(
    path.join(project, "package.json"),
    JSON.stringify({ name: "consumer", private: true, type: "module" }),
  );
  await run("npm", ["install", "--no-audit", "--no-fund", `./${tarball}`, `viem@${viemVersion}`], project);

  mkdirSync(path.join(project, "deployments"));
  writeFileSync(path.join(project, "deployments/31337.json"), JSON.stringify(chain.deployment));
  writeFileSync(path.join(project, "quickstart.ts"), quickstart());
  const output = await run(process.execPath, ["quickstart.ts"], project, {
    RPC_URL: chain.rpcUrl,
    PRIVATE_KEY: FAN_KEY,
  });

  const hash = output.match(/tipped 1000000000000000000 wei in (0x[0-9a-f]{64})/)?.[1];
  assert.ok(hash, `quickstart printed the tip: ${output}`);
  const receipt = await rpc<{ status: string }>(chain.rpcUrl, "eth_getTransactionReceipt", [hash]);
  assert.equal(receipt.status, "0x1");
});
