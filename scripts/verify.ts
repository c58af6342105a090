/**
 * Verifies every contract of a deployment on Core Scan, each with the constructor arguments Ignition
 * recorded in its journal (ignition/deployments/chain-<id>/), so nothing here lists contracts or
 * arguments: a module that deploys more, or with other arguments, is verified as deployed.
 *
 *   npm run verify -- --network coreTestnet2|core      # needs CORE_SCAN_API_KEY (and the network's key)
 *
 * Contracts Core Scan already has are skipped. Exits 1 if any contract was not verified, or if a
 * contract of deployments/<chainId>.json is missing from the journal. HARMONIE_IGNITION_DIR and
 * HARMONIE_DEPLOYMENTS_DIR point elsewhere, as for `npm run deploy`.
 */
import { existsSync } from "node:fs";
import path from "node:path";
import { verifyContract } from "@nomicfoundation/hardhat-verify/verify";
import { getVerificationInformation } from "@nomicfoundation/ignition-core";
import hre from "hardhat";
import { readDeployment } from "./dao/operations.ts";
import { buildForChain } from "./deploy-build.ts";

const { ethers, networkName } = await hre.network.getOrCreate();
const chainId = Number((await ethers.provider.getNetwork()).chainId);
const journalDir = path.join(hre.config.paths.ignition, "deployments", `chain-${chainId}`);
if (!existsSync(journalDir)) {
  console.error(`No Ignition journal for chain ${chainId} in ${journalDir}: deploy with \`npm run deploy\` first`);
  process.exit(1);
}

// The artifacts to match the chain's code against, built as scripts/deploy.ts built them.
const profile = await buildForChain(hre, chainId);
console.log(`Verifying the deployment in ${journalDir} on ${networkName} (chain ${chainId}), ${profile} build…`);
const verified: string[] = [];
const failed: string[] = [];
for await (const info of getVerificationInformation(journalDir)) {
  if (typeof info === "string") {
    failed.push(`${info} (its artifact is missing from the journal)`);
    continue;
  }
  try {
    await verifyContract({ ...info, provider: "etherscan" }, hre);
    verified.push(info.address.toLowerCase());
  } catch (error) {
    console.error(`\n✗ ${info.contract} at ${info.address}: ${(error as Error).message}`);
    failed.push(`${info.contract} at ${info.address}`);
  }
}

// The journal is the source of constructor arguments; deployments/<chainId>.json is what the SDK and
// subgraph use. A contract in the latter that the former did not deploy would go unverified silently.
const listed = Object.entries(safeDeployment()?.contracts ?? {});
const missing = listed.filter(([, { address }]) => !verified.includes(address.toLowerCase()));
for (const [name, { address }] of missing) {
  if (!failed.some((entry) => entry.endsWith(address))) failed.push(`${name} at ${address} (not in the journal)`);
}

console.log(`\n${verified.length} contract(s) verified or already verified on chain ${chainId}.`);
if (failed.length > 0) {
  console.error(`Not verified:\n${failed.map((entry) => `  ${entry}`).join("\n")}`);
  process.exitCode = 1;
}

function safeDeployment() {
  try {
    return readDeployment(chainId);
  } catch {
    console.warn(`(no deployments/${chainId}.json to cross-check the journal against)`);
    return undefined;
  }
}
