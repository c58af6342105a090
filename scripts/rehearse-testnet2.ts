/**
 * Rehearses "deploy to Core testnet2 as the DAO would", locally and with the real commands:
 *
 *   1. a Hardhat node that is chain 1114 (Cancun, like Core), `hardhat node --network coreTestnet2Local`;
 *   2. `npm run deploy -- --network coreTestnet2` with CORE_TESTNET2_RPC_URL pointed at it, a funded local
 *      CORE_DEPLOYER_KEY and deploy/parameters/coreTestnet2.json;
 *   3. `npx hardhat verify --network coreTestnet2 <address> <constructor args…>` for one contract, then
 *      `npm run verify -- --network coreTestnet2` for all of them, against a local stand-in of Core Scan's
 *      API (scripts/testing/core-scan-stand-in.ts) that compiles each submission and compares it with the
 *      chain's code;
 *   4. the DAO: stake, `npm run dao -- propose tip-fee …`, vote, queue, execute (the node's clock moved on
 *      with evm_increaseTime), then the fee on chain.
 *
 *   npm run rehearse:testnet2
 *
 * Contract names and constructor arguments come from the deployment (Ignition's journal and
 * deployments/1114.json), never from a list here. Nothing is written to the repository: the journal and
 * deployments/1114.json go to a temporary directory, and the production-profile build to
 * cache/production-build/ (a build cache, kept for the next run).
 */
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { getVerificationInformation } from "@nomicfoundation/ignition-core";
import { Contract, JsonRpcProvider, parseEther, Wallet } from "ethers";
import type { Deployment } from "../sdk/src/deployments.ts";
import { DEMO_ACCOUNTS } from "./dev/accounts.ts";
import { freePort, HARDHAT_CLI, ROOT, rpc, waitForRpc } from "./local-chain.ts";
import { startCoreScanStandIn, type CoreScanStandIn } from "../testkit/src/stand-ins/core-scan.ts";

const CHAIN_ID = 1114;
const NETWORK = "coreTestnet2";

export interface RehearsalReport {
  deployment: Deployment;
  /** Each deployed contract as Ignition recorded it: what `npm run verify` verified. */
  contracts: { contract: string; address: string; constructorArgs: unknown[] }[];
  /** The contract verified with a hand-typed `hardhat verify` command, and that command. */
  manualVerify: { contract: string; command: string };
  /** The stand-in's view: every request it received and every submission it checked. */
  scan: Pick<CoreScanStandIn, "requests" | "submissions" | "verified"> & { problems: string[] };
  dao: { proposalId: string; feeBefore: number; feeProposed: number; feeAfter: number; states: string[] };
  /** Wall-clock seconds per step. */
  timings: Record<string, number>;
}

export interface RehearsalOptions {
  /** Compile every submission in the stand-in (default true). */
  compile?: boolean;
  log?: (line: string) => void;
}

/**
 * Runs the whole rehearsal and returns what happened; throws on the first step that fails.
 *
 * @example
 * const report = await rehearseTestnet2({ log: console.log });
 * console.log(report.deployment.contracts.HarmonieGovernor.address);
 */
export async function rehearseTestnet2(options: RehearsalOptions = {}): Promise<RehearsalReport> {
  const log = options.log ?? (() => {});
  const timings: Record<string, number> = {};
  const step = async <T>(name: string, run: () => Promise<T>): Promise<T> => {
    const started = Date.now();
    log(`▶ ${name}`);
    try {
      return await run();
    } finally {
      timings[name] = (Date.now() - started) / 1000;
      log(`  ${name}: ${timings[name].toFixed(1)} s`);
    }
  };

  const work = mkdtempSync(path.join(tmpdir(), "harmonie-rehearsal-"));
  const port = await freePort();
  const rpcUrl = `http://127.0.0.1:${port}`;
  const node = spawn(
    process.execPath,
    [HARDHAT_CLI, "node", "--network", "coreTestnet2Local", "--hostname", "127.0.0.1", "--port", String(port)],
    { cwd: ROOT, env: { ...process.env, HARDHAT_DISABLE_TELEMETRY_PROMPT: "true" }, stdio: "ignore" },
  );
  let scan: CoreScanStandIn | undefined;
  try {
    await step("node", async () => {
      await waitForRpc(rpcUrl, 60_000, node);
      const chainId = Number(await rpc<string>(rpcUrl, "eth_chainId"));
      if (chainId !== CHAIN_ID) throw new Error(`the rehearsal node is chain ${chainId}, not ${CHAIN_ID}`);
    });
    scan = await startCoreScanStandIn({ rpcUrl, compile: options.compile ?? true });
    const deployer = DEMO_ACCOUNTS[0].privateKey; // funded by the node, like a testnet2 key from the faucet
    const env = {
      HARDHAT_DISABLE_TELEMETRY_PROMPT: "true",
      HARDHAT_IGNITION_CONFIRM_DEPLOYMENT: "1",
      CORE_TESTNET2_RPC_URL: rpcUrl,
      CORE_DEPLOYER_KEY: deployer,
      CORE_TESTNET2_SCAN_API_URL: scan.apiUrl,
      CORE_SCAN_API_KEY: "rehearsal-api-key",
      HARMONIE_DEPLOYMENTS_DIR: path.join(work, "deployments"),
      HARMONIE_IGNITION_DIR: path.join(work, "ignition"),
      HARMONIE_BUILD_DIR: path.join(ROOT, "cache", "production-build"),
    };
    const npm = (args: string[]) => command("npm", ["run", "--silent", ...args, "--network", NETWORK], env);

    // 2. Deploy, exactly as the DAO's deployer would.
    const deployment = await step("deploy", async (): Promise<Deployment> => {
      await npm(["deploy", "--"]);
      return JSON.parse(readFileSync(path.join(env.HARMONIE_DEPLOYMENTS_DIR, `${CHAIN_ID}.json`), "utf8"));
    });
    const contracts: RehearsalReport["contracts"] = [];
    for await (const info of getVerificationInformation(
      path.join(env.HARMONIE_IGNITION_DIR, "deployments", `chain-${CHAIN_ID}`),
    )) {
      if (typeof info === "string") throw new Error(`Ignition kept no artifact for ${info}`);
      contracts.push({ contract: info.contract, address: info.address, constructorArgs: info.constructorArgs });
    }
    const listed = Object.values(deployment.contracts).map(({ address }) => address.toLowerCase());
    const journaled = contracts.map(({ address }) => address.toLowerCase());
    if (listed.some((address) => !journaled.includes(address))) {
      throw new Error(`deployments/${CHAIN_ID}.json lists contracts Ignition's journal does not have`);
    }

    // 3a. One contract by hand, as the README shows: its arguments typed on the command line.
    const manualVerify = await step("hardhat verify (one contract)", async () => {
      // Arguments typed on the command line when they are all scalars; else a module, as for arrays.
      const chosen = contracts.find(({ constructorArgs }) => constructorArgs.every(isScalar)) ?? contracts[0];
      let args = chosen.constructorArgs.map(String);
      if (!chosen.constructorArgs.every(isScalar)) {
        const file = path.join(work, "constructor-args.mjs");
        const json = JSON.stringify(chosen.constructorArgs, (_key, value) =>
          typeof value === "bigint" ? value.toString() : value,
        );
        writeFileSync(file, `export default ${json};\n`);
        args = ["--constructor-args-path", file];
      }
      await command(process.execPath, [HARDHAT_CLI, "verify", "--network", NETWORK, chosen.address, ...args], env);
      return {
        contract: chosen.contract,
        command: ["npx hardhat verify --network", NETWORK, chosen.address, ...args].join(" "),
      };
    });
    // 3b. All of them, with the arguments from the journal; the one above is already verified.
    await step("npm run verify", () => npm(["verify", "--"]));
    const problems = scan.problems();
    for (const { contract, address } of contracts) {
      const submitted = [...scan.submissions.values()].filter((s) => s.address.toLowerCase() === address.toLowerCase());
      if (!scan.verified.has(address.toLowerCase())) problems.push(`${contract} at ${address} was not verified`);
      if (submitted.length !== 1) problems.push(`${contract} took ${submitted.length} submissions, not 1`);
      const foreign = submitted
        .flatMap((s) => Object.keys(s.input.sources))
        .filter((source) => /\/contracts\/test\//.test(source));
      if (foreign.length > 0) problems.push(`${contract}'s submission publishes test sources: ${foreign.join(", ")}`);
    }
    if (problems.length > 0) throw new Error(`The Core Scan stand-in saw problems:\n  ${problems.join("\n  ")}`);

    // 4. The DAO on that deployment: stake, propose a fee raise, vote, queue, execute.
    const dao = await step("DAO: stake, propose, vote, queue, execute", async () => {
      // No response cache: ethers would otherwise reuse a nonce it fetched within the last 250 ms.
      const provider = new JsonRpcProvider(rpcUrl, CHAIN_ID, { staticNetwork: true, cacheTimeout: -1 });
      const wallet = new Wallet(deployer, provider);
      const at = (name: keyof Deployment["contracts"]) => {
        const { contract } = contracts.find((c) => c.address === deployment.contracts[name].address)!;
        return new Contract(deployment.contracts[name].address, abiOf(env.HARMONIE_BUILD_DIR, contract), wallet);
      };
      const [staked, governor, timelock, tipping] = (
        ["StakedCore", "HarmonieGovernor", "TimelockController", "HarmonieTipping"] as const
      ).map(at);
      const travel = async (seconds: bigint) => {
        await rpc(rpcUrl, "evm_increaseTime", [Number(seconds) + 1]);
        await rpc(rpcUrl, "evm_mine");
      };
      await (await staked.stake({ value: parseEther("10") })).wait();
      await (await staked.delegate(wallet.address)).wait();
      await travel(1n);

      const feeBefore = Number((await tipping.fees()).feeBps);
      const feeProposed = feeBefore + 50;
      const proposed = await npm([
        "dao",
        "--",
        "propose",
        "tip-fee",
        "--bps",
        String(feeProposed),
        "--description",
        `Rehearsal: tipping fee to ${feeProposed / 100}%`,
      ]);
      const proposalId = /Proposed tip-fee: (\d+)/.exec(proposed)?.[1];
      if (!proposalId) throw new Error(`no proposal id in:\n${proposed}`);
      const state = async () => /: (\w+)\n/.exec(await npm(["dao", "--", "status", proposalId]))?.[1] ?? "?";
      const states = [await state()];
      await travel(await governor.votingDelay());
      await npm(["dao", "--", "vote", proposalId, "--support", "for", "--reason", "rehearsal"]);
      await travel(await governor.votingPeriod());
      states.push(await state());
      await npm(["dao", "--", "queue", proposalId]);
      await travel(await timelock.getMinDelay());
      await npm(["dao", "--", "execute", proposalId]);
      states.push(await state());
      // A raise waits out the fee notice period, so artists can withdraw at the old fee first.
      const scheduled = await tipping.fees();
      if (Number(scheduled.pendingFeeBps) !== feeProposed)
        throw new Error(`fee ${feeProposed} is not pending on chain`);
      await travel(scheduled.noticePeriod);
      const feeAfter = Number((await tipping.fees()).feeBps);
      provider.destroy();
      return { proposalId, feeBefore, feeProposed, feeAfter, states };
    });
    if (dao.feeAfter !== dao.feeProposed) throw new Error(`the fee is ${dao.feeAfter} bps, not ${dao.feeProposed}`);
    if (dao.states.join() !== "Pending,Succeeded,Executed")
      throw new Error(`proposal states ${dao.states.join(" → ")}`);

    return {
      deployment,
      contracts,
      manualVerify,
      scan: { requests: scan.requests, submissions: scan.submissions, verified: scan.verified, problems },
      dao,
      timings,
    };
  } finally {
    await scan?.stop();
    if (node.exitCode === null) {
      const exited = new Promise((resolve) => node.once("exit", resolve));
      node.kill("SIGTERM");
      await exited;
    }
    rmSync(work, { recursive: true, force: true });
  }
}

/** A constructor argument one can type on the `hardhat verify` command line. */
function isScalar(value: unknown) {
  return ["string", "number", "bigint"].includes(typeof value);
}

/** The ABI of a contract ("path/File.sol:Name") from the build the deployment used. */
function abiOf(buildDir: string, contract: string) {
  const [source, name] = contract.split(/:(?=[^:]+$)/);
  return JSON.parse(readFileSync(path.join(buildDir, "artifacts", source, `${name}.json`), "utf8")).abi;
}

/** Runs a command from the repository root; resolves with its output, rejects with it on a non-zero exit. */
function command(file: string, args: string[], env: Record<string, string>): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { cwd: ROOT, env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout!.on("data", (chunk) => (output += chunk));
    child.stderr!.on("data", (chunk) => (output += chunk));
    child.on("error", reject);
    child.on("exit", (code) =>
      code === 0
        ? resolve(output)
        : reject(new Error(`${path.basename(file)} ${args.join(" ")} exited ${code}:\n${output}`)),
    );
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const started = Date.now();
  try {
    const report = await rehearseTestnet2({ log: (line) => console.log(line) });
    console.log(`\nDeployed to the chain-${CHAIN_ID} rehearsal node:`);
    for (const [name, { address }] of Object.entries(report.deployment.contracts))
      console.log(`  ${name.padEnd(20)} ${address}`);
    console.log(`Verified on the Core Scan stand-in: ${report.scan.verified.size} contracts, one submission each`);
    console.log(`  by hand: ${report.manualVerify.command}`);
    console.log(
      `DAO: proposal ${report.dao.proposalId} ${report.dao.states.join(" → ")}; tipping fee ${report.dao.feeBefore} → ${report.dao.feeAfter} bps`,
    );
    console.log(`Rehearsal passed in ${((Date.now() - started) / 1000).toFixed(0)} s.`);
  } catch (error) {
    console.error(`Rehearsal failed: ${(error as Error).message}`);
    process.exitCode = 1;
  }
}
