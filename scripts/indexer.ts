/**
 * `npm run indexer`: builds the subgraph for a deployment and indexes a chain with the local graph-node
 * emulator (subgraph/runner), serving graph-node's GraphQL API. Production indexing runs on graph-node.
 *
 *   npm run indexer -- [--rpc http://127.0.0.1:8545] [--deployments deployments/31337.json]
 *                      [--data .harmonie/index | DATABASE_URL=postgres://…] [--port 8000]
 *                      [--ipfs http://127.0.0.1:8080]   IPFS gateway for track metadata (file data sources)
 */
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { buildIfChanged, startRunner } from "../subgraph/runner/src/index.ts";
import { CONTRACT_ARTIFACTS } from "./contracts.ts";
import { buildSubgraph } from "./dev-stack.ts";
import { ROOT, rpc } from "./local-chain.ts";
import { localPort, localUrl } from "../sdk/src/stack-config.ts";

/** What the indexer's subgraph build is made from: sources, contracts and the deployment (never what the build writes). */
export function indexerBuildInputs(deployments: string): string[] {
  return [
    ...["schema.graphql", "src", "subgraph.template.yaml", "scripts"].map((p) => path.join(ROOT, "subgraph", p)),
    ...Object.values(CONTRACT_ARTIFACTS).map((artifact) => path.join(ROOT, artifact)),
    deployments,
  ];
}

/** The build's other inputs: graph-cli's version and the network. */
export function indexerBuildKey(network: string): string[] {
  const { version } = JSON.parse(
    readFileSync(path.join(ROOT, "node_modules/@graphprotocol/graph-cli/package.json"), "utf8"),
  ) as { version: string };
  return [version, network];
}

/**
 * Builds the subgraph into `buildDir` unless the last build there was made from the same inputs:
 * a restart with unchanged sources, contracts and deployment reuses it (graph codegen + graph build
 * take most of a minute).
 */
export async function prepareIndexerBuild(opts: {
  deployments: string;
  network: string;
  buildDir: string;
  log?: (line: string) => void;
}): Promise<{ rebuilt: boolean }> {
  const log = opts.log ?? console.log;
  const result = await buildIfChanged({
    inputs: indexerBuildInputs(opts.deployments),
    extra: indexerBuildKey(opts.network),
    outDir: opts.buildDir,
    build: async () => {
      log("Building the subgraph…");
      await buildSubgraph(opts.deployments, opts.buildDir, opts.network);
    },
  });
  if (!result.rebuilt) log("Subgraph unchanged since the last build: reusing it.");
  return result;
}

async function main(): Promise<void> {
  const { values: args } = parseArgs({
    options: {
      rpc: { type: "string", default: localUrl("rpc", process.env) },
      deployments: { type: "string", default: "deployments/31337.json" },
      data: { type: "string", default: ".harmonie/index" },
      port: { type: "string", default: String(localPort("indexer", process.env)) },
      network: { type: "string", default: "localhost" },
      ipfs: { type: "string", default: localUrl("ipfs", process.env) },
    },
  });

  const deployments = path.resolve(ROOT, args.deployments);
  if (!existsSync(deployments)) {
    console.error(
      `No deployment at ${deployments}: run \`npm run deploy -- --network localhost\` first, or pass --deployments.`,
    );
    process.exit(1);
  }
  try {
    await rpc(args.rpc, "eth_chainId");
  } catch {
    console.error(`The chain at ${args.rpc} is unreachable: start it with \`npm run node\` or pass --rpc.`);
    process.exit(1);
  }

  const buildDir = path.resolve(ROOT, ".harmonie/indexer-build/build");
  await prepareIndexerBuild({ deployments, network: args.network, buildDir });
  const runner = await startRunner({
    subgraph: buildDir,
    rpc: args.rpc,
    name: "harmonie",
    port: Number(args.port),
    ipfs: args.ipfs,
    dataDir: process.env.DATABASE_URL ? undefined : path.resolve(ROOT, args.data),
    log: (line) => console.log(line),
  });
  console.log(`Indexing ${args.rpc}; GraphQL at ${runner.url} (an emulator of graph-node for development)`);
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.on(signal, async () => {
      await runner.stop();
      process.exit(0);
    });
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await main();
