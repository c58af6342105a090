/**
 * The whole local stack in one process tree, on 127.0.0.1: a Hardhat node with the protocol deployed,
 * the IPFS service, the key service for exclusive tracks, live-stream signalling, demo data, and the subgraph indexed by the
 * local graph-node emulator. `npm run dev` runs it; end-to-end tests start it programmatically.
 */
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { createPublicClient, http } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { startRunner, type Runner } from "../subgraph/runner/src/index.ts";
import { harmonieLocal } from "../sdk/src/chains.ts";
import type { Deployment } from "../sdk/src/deployments.ts";
import { createFsBackend } from "../services/src/ipfs/fs-blockstore.ts";
import { startIpfsService } from "../services/src/ipfs/gateway.ts";
import { startKeyService } from "../services/src/keys/key-service.ts";
import { startSfuService } from "../services/src/sfu/sfu-service.ts";
import { createSessionIssuer } from "../services/src/sign-in/sessions.ts";
import { startSignallingService } from "../services/src/signalling/signalling-service.ts";
import { DEMO_ACCOUNTS } from "./dev/accounts.ts";
import { seedDemo } from "./dev/seed.ts";
import { assertPortFree, freePort, ROOT, rpc, runNode, startLocalChain } from "./local-chain.ts";

const GRAPH_CLI = path.join(ROOT, "node_modules/@graphprotocol/graph-cli/bin/run.js");

export interface DevStackOptions {
  /** Fixed ports (a busy one is an error naming it); free ports when omitted. */
  ports?: { rpc?: number; indexer?: number; ipfs?: number; keys?: number; signal?: number; sfu?: number };
  /** Where IPFS blocks, keys and the index live; wiped at start. Default `.harmonie/` in the repo. */
  dataDir?: string;
  /** Where deployments/31337.json is written; default the repository's deployments/. */
  deploymentsDir?: string;
  /** Seed the demo data (default true). */
  seed?: boolean;
  /**
   * Mine a block every this many ms once up. Real chains make blocks every few seconds; Hardhat only on
   * transactions, so governance deadlines would otherwise stand still.
   */
  blockIntervalMs?: number;
  log?: (line: string) => void;
}

export interface DevStack {
  rpcUrl: string;
  chainId: number;
  deployment: Deployment;
  indexerUrl: string;
  /** IPFS service: gateway at /ipfs/<cid>, uploads at /upload. */
  ipfsUrl: string;
  keyServiceUrl: string;
  /** Live-stream signalling (WebRTC rooms), `ws://…`. */
  signallingUrl: string;
  /** The SFU (WHIP in, WHEP out) that serves a session's fans beyond the rooms' mesh. */
  sfuUrl: string;
  /** The dApp's runtime config (dapp/public/config.json) for this stack. */
  dappConfig: Record<string, unknown>;
  accounts: { name: string; address: `0x${string}`; privateKey: `0x${string}` }[];
  stop(): Promise<void>;
}

/**
 * Builds the subgraph for one deployment into `outDir` (a directory named `build`), leaving the
 * repository's subgraph.yaml alone.
 */
export async function buildSubgraph(deploymentsFile: string, outDir: string, network = "localhost") {
  const manifest = `subgraph.${network}.yaml`;
  const graph = (args: string[]) =>
    runNode([GRAPH_CLI, ...args], {
      cwd: path.join(ROOT, "subgraph"),
      env: { GRAPH_SKIP_NEW_VERSION_CHECK: "true" },
      name: `graph ${args[0]}`,
    });
  await runNode([
    "subgraph/scripts/manifest.ts",
    "--network",
    network,
    "--deployments",
    deploymentsFile,
    "--out",
    manifest,
  ]);
  await graph(["codegen", manifest]);
  await graph(["build", manifest, "--output-dir", outDir]);
}

/**
 * @example
 * const stack = await startDevStack({ dataDir: tmp });
 * try { … stack.indexerUrl … } finally { await stack.stop(); }
 */
export async function startDevStack(options: DevStackOptions = {}): Promise<DevStack> {
  const log = options.log ?? (() => {});
  const ports = options.ports ?? {};
  const services = {
    indexer: ports.indexer,
    ipfs: ports.ipfs,
    keys: ports.keys,
    signalling: ports.signal,
    SFU: ports.sfu,
  };
  for (const [name, port] of Object.entries(services)) {
    if (port) await assertPortFree(port, `the ${name} service`);
  }
  const dataDir = path.resolve(options.dataDir ?? path.join(ROOT, ".harmonie"));
  rmSync(dataDir, { recursive: true, force: true });
  mkdirSync(dataDir, { recursive: true });

  const stops: (() => Promise<void>)[] = [];
  const stop = async () => {
    for (const close of stops.reverse()) await close().catch(() => {});
  };
  try {
    log("Starting the Hardhat node and deploying the protocol…");
    const chain = await startLocalChain({
      port: ports.rpc,
      deploy: true,
      deploymentsDir: options.deploymentsDir ?? path.join(ROOT, "deployments"),
    });
    stops.push(chain.stop);
    const deployment = chain.deployment;

    const storage = await createFsBackend(path.join(dataDir, "ipfs"));
    stops.push(storage.close);
    const ipfs = await startIpfsService({ backend: storage, port: ports.ipfs ?? (await freePort()) });
    stops.push(ipfs.close);

    const keysPort = ports.keys ?? (await freePort());
    const keys = await startKeyService({
      client: createPublicClient({ chain: harmonieLocal, transport: http(chain.rpcUrl) }),
      deployment,
      domain: `127.0.0.1:${keysPort}`,
      port: keysPort,
      keysFile: path.join(dataDir, "keys.json"),
    });
    stops.push(keys.close);

    // One session issuer for both: a fan signed in to the room watches through the SFU with the same token.
    const sessions = createSessionIssuer();
    const signalling = await startSignallingService({
      deployment,
      rpcUrl: chain.rpcUrl,
      port: ports.signal ?? (await freePort()),
      sessions,
    });
    stops.push(signalling.close);
    const sfu = await startSfuService({
      deployment,
      rpcUrl: chain.rpcUrl,
      port: ports.sfu ?? (await freePort()),
      sessions,
      log: (line) => log(`sfu: ${line}`),
    });
    stops.push(sfu.close);

    if (options.seed ?? true) {
      log("Seeding demo data…");
      await seedDemo({ rpcUrl: chain.rpcUrl, deployment, storage, keyServiceUrl: keys.url, log });
    }

    log("Building the subgraph for this chain and starting the indexer…");
    const deploymentsFile = path.join(dataDir, "deployment.json");
    writeFileSync(deploymentsFile, JSON.stringify(deployment));
    await buildSubgraph(deploymentsFile, path.join(dataDir, "build"));
    const runner: Runner = await startRunner({
      subgraph: path.join(dataDir, "build"),
      rpc: chain.rpcUrl,
      name: "harmonie",
      port: ports.indexer ?? 0,
      dataDir: path.join(dataDir, "index"),
      pollMs: 250,
      // The subgraph reads track metadata.json files from IPFS (file data sources), as graph-node's --ipfs.
      ipfs: ipfs.url,
      log: () => {},
    });
    stops.push(runner.stop);
    const head = Number(BigInt(await rpc<string>(chain.rpcUrl, "eth_blockNumber")));
    await runner.waitForBlock(head, 120_000);
    if (options.blockIntervalMs) await rpc(chain.rpcUrl, "evm_setIntervalMining", [options.blockIntervalMs]);

    return {
      rpcUrl: chain.rpcUrl,
      chainId: deployment.chainId,
      deployment,
      indexerUrl: runner.url,
      ipfsUrl: ipfs.url,
      keyServiceUrl: keys.url,
      signallingUrl: signalling.url,
      sfuUrl: sfu.url,
      dappConfig: {
        chainId: deployment.chainId,
        rpcUrl: chain.rpcUrl,
        deployment,
        indexerUrl: runner.url,
        ipfsGatewayUrl: ipfs.url,
        ipfsUploadUrl: ipfs.url,
        keyServiceUrl: keys.url,
        signallingUrl: signalling.url,
        sfuUrl: sfu.url,
      },
      accounts: DEMO_ACCOUNTS.map((a) => ({ ...a, address: privateKeyToAccount(a.privateKey).address })),
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
