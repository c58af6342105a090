/**
 * Deploys the whole protocol with the Ignition modules in deploy/ and writes
 * deployments/<chainId>.json: every contract's address and deployment block, read by the SDK and
 * the subgraph.
 *
 *   npm run deploy -- --network localhost|coreTestnet2|core
 *
 * It builds first: with Hardhat's production profile for a public chain (what Core Scan verifies
 * cleanly, see scripts/deploy-build.ts), the default profile for the local one.
 *
 * HARMONIE_DEPLOYMENTS_DIR writes the file elsewhere (tests use it to leave deployments/ alone), and
 * HARMONIE_IGNITION_DIR keeps Ignition's journal elsewhere than ignition/ (hardhat.config.ts reads it):
 * the testnet2 rehearsal uses both, so it never touches a real chain-1114 journal.
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import hre, { network } from "hardhat";
import HarmonieModule, { LocalHarmonieModule } from "../deploy/Harmonie.ts";
import { loadParameters } from "../deploy/parameters.ts";
import type { Deployment } from "../sdk/src/deployments.ts";
import { buildForChain, LOCAL_CHAIN_ID } from "./deploy-build.ts";

const ERC20_METADATA = ["function symbol() view returns (string)", "function decimals() view returns (uint8)"];

const connection = await network.getOrCreate();
const { ethers, ignition, networkName } = connection;
const chainId = Number((await ethers.provider.getNetwork()).chainId);
// A local chain is disposable and its contracts change with every edit: deploy afresh each time, in
// a journal of this process's own (several local chains may be deploying at once), removed afterwards.
const local = chainId === LOCAL_CHAIN_ID;
const deploymentId = local ? `chain-${chainId}-${process.pid}` : `chain-${chainId}`;
const journalDir = path.join(hre.config.paths.ignition, "deployments", deploymentId);
if (local) rmSync(journalDir, { recursive: true, force: true });

const profile = await buildForChain(hre, chainId);
console.log(`Deploying HarmonieCORE to ${networkName} (chain ${chainId}), ${profile} build…`);
// Local chains also get a test stablecoin (Core's bridged USDC's stand-in), allow-listed for tips.
const module = local ? LocalHarmonieModule : HarmonieModule;
const deployed = await ignition.deploy(module, { parameters: loadParameters(networkName), deploymentId });

const blocks = deploymentBlocks();
const contracts: Record<string, { address: `0x${string}`; blockNumber: number }> = {};
const { stablecoin, ...protocol } = deployed as typeof deployed & { stablecoin?: unknown };
void stablecoin; // a payment token, listed in `tokens` below rather than among the protocol's contracts
for (const contract of Object.values(protocol)) {
  const address = (await contract.getAddress()) as `0x${string}`;
  const name = Object.keys(blocks).find((futureId) => blocks[futureId].address === address.toLowerCase());
  if (!name) throw new Error(`No deployment receipt for ${address} in ${journalDir}`);
  contracts[name.split("#")[1]] = { address, blockNumber: blocks[name].blockNumber };
}

if (local) rmSync(journalDir, { recursive: true, force: true });

// Every contract of the modules is in `contracts`: the loop above fails on any it cannot place.
const deployment = { chainId, network: networkName, contracts, tokens: await paymentTokens() } as Deployment;
const outDir = process.env.HARMONIE_DEPLOYMENTS_DIR ?? "deployments";
mkdirSync(outDir, { recursive: true });
const file = path.join(outDir, `${chainId}.json`);
writeFileSync(file, `${JSON.stringify(deployment, null, 2)}\n`);
for (const [name, { address, blockNumber }] of Object.entries(contracts)) {
  console.log(`  ${name.padEnd(20)} ${address}  (block ${blockNumber})`);
}
if (!local && deployment.tokens?.length === 0) {
  console.warn(`  No payment token besides CORE: add them to deploy/parameters/${networkName}.json or by proposal.`);
}
if (!local) {
  const governor = await ethers.getContractAt("HarmonieGovernor", contracts.HarmonieGovernor.address);
  if ((await governor.proposalGuardian()) === ethers.ZeroAddress) {
    console.warn(
      `  No guardian: nobody can cancel a malicious proposal or pause in an emergency before a vote. Set` +
        ` "Governance": { "guardian": "0x…" } (a multisig) in deploy/parameters/${networkName}.json, or propose one.`,
    );
  }
}
for (const { symbol, address, decimals } of deployment.tokens ?? []) {
  console.log(`  ${`${symbol} (payment token)`.padEnd(20)} ${address}  (${decimals} decimals)`);
}
console.log(`Wrote ${file}`);

/** The ERC-20s tips accept, as the tipping contract announced them, with their symbol and decimals. */
async function paymentTokens() {
  const tipping = await ethers.getContractAt("HarmonieTipping", contracts.HarmonieTipping.address);
  const allowed = await tipping.queryFilter(tipping.filters.TokenAllowed(), contracts.HarmonieTipping.blockNumber);
  return Promise.all(
    [...new Set(allowed.map((event) => event.args.token as `0x${string}`))].map(async (address) => {
      const token = new ethers.Contract(address, ERC20_METADATA, ethers.provider);
      return { address, symbol: await token.symbol(), decimals: Number(await token.decimals()) };
    }),
  );
}

/** Contract deployment receipts from Ignition's journal, by future id. */
function deploymentBlocks(): Record<string, { address: string; blockNumber: number }> {
  const journal = path.join(journalDir, "journal.jsonl");
  if (!existsSync(journal)) {
    throw new Error(
      `Ignition kept no journal for ${networkName}: deploy to a persistent network (e.g. --network localhost)`,
    );
  }
  const blocks: Record<string, { address: string; blockNumber: number }> = {};
  for (const line of readFileSync(journal, "utf8").split("\n")) {
    if (!line) continue;
    const entry = JSON.parse(line);
    if (entry.type === "TRANSACTION_CONFIRM" && entry.receipt?.contractAddress) {
      blocks[entry.futureId] = {
        address: entry.receipt.contractAddress.toLowerCase(),
        blockNumber: entry.receipt.blockNumber,
      };
    }
  }
  return blocks;
}
