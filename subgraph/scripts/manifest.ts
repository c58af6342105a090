/**
 * Generates subgraph.yaml for one network from subgraph.template.yaml and deployments/<chainId>.json
 * (written by `npm run deploy`), and extracts the contracts' ABIs from the Hardhat artifacts into
 * abis/. Both outputs are generated: never edit them by hand.
 *
 *   node scripts/manifest.ts [--network localhost|core-testnet2|core]   (default: localhost)
 *                            [--graph-network <name>]   network name the graph-node knows the chain by
 *                            [--deployments <file>]     instead of ../deployments/<chainId>.json
 *                            [--out <file>]             manifest file name in subgraph/ (default subgraph.yaml)
 *                            [--placeholder]            zero addresses if the deployments file is missing
 *
 * `--placeholder` exists so that the subgraph builds without a chain (CI); a manifest made with it
 * indexes nothing and must not be deployed.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { CONTRACT_ARTIFACTS as ARTIFACTS } from "../../scripts/contracts.ts";
import path from "node:path";
import { parseArgs } from "node:util";

interface Deployment {
  chainId: number;
  network: string;
  contracts: Record<string, { address: string; blockNumber: number }>;
}

interface Network {
  chainId: number;
  /** The name in the manifest's `network:` field, as the target graph-node calls the chain. */
  graphNetwork: string;
}

const NETWORKS: Record<string, Network> = {
  // Core's graph-node (thegraph.coredao.org) calls mainnet `core`.
  core: { chainId: 1116, graphNetwork: "core" },
  // Not confirmed by Core's docs: check what Core's testnet2 graph-node expects and pass
  // --graph-network if it differs.
  "core-testnet2": { chainId: 1114, graphNetwork: "core-testnet2" },
  // The local runner (subgraph/runner) and a local graph-node indexing `npm run node`.
  localhost: { chainId: 31337, graphNetwork: "localhost" },
};

const ZERO_ADDRESS = "0x0000000000000000000000000000000000000000";

const subgraphDir = path.resolve(import.meta.dirname, "..");
const rootDir = path.resolve(subgraphDir, "..");

const { values: args } = parseArgs({
  options: {
    network: { type: "string", default: "localhost" },
    "graph-network": { type: "string" },
    deployments: { type: "string" },
    out: { type: "string", default: "subgraph.yaml" },
    placeholder: { type: "boolean", default: false },
    help: { type: "boolean", short: "h", default: false },
  },
});

if (args.help) {
  console.log(readFileSync(import.meta.filename, "utf8").split("*/")[0]);
  process.exit(0);
}

const network = NETWORKS[args.network];
if (!network) fail(`Unknown network "${args.network}"; expected one of ${Object.keys(NETWORKS).join(", ")}`);
const graphNetwork = args["graph-network"] ?? network.graphNetwork;

const deployment = loadDeployment();
const values: Record<string, string | number> = { network: graphNetwork };
for (const name of Object.keys(ARTIFACTS)) {
  const contract = deployment.contracts[name];
  if (!contract) fail(`${deployment.source} has no ${name}`);
  values[`${name}.address`] = contract.address;
  values[`${name}.startBlock`] = contract.blockNumber;
}

writeAbis();
writeManifest();

/** The deployment to index, or zero addresses with --placeholder when there is none. */
function loadDeployment(): Deployment & { source: string } {
  const file = args.deployments
    ? path.resolve(args.deployments)
    : path.join(rootDir, "deployments", `${network.chainId}.json`);
  if (existsSync(file)) {
    const deployment = JSON.parse(readFileSync(file, "utf8")) as Deployment;
    if (deployment.chainId !== network.chainId) {
      fail(`${file} is for chain ${deployment.chainId}, not ${args.network} (chain ${network.chainId})`);
    }
    return { ...deployment, source: path.relative(rootDir, file) };
  }
  if (!args.placeholder) {
    fail(
      `No deployment at ${file}. Deploy first (npm run deploy -- --network …), pass --deployments <file>, ` +
        `or --placeholder to build against zero addresses.`,
    );
  }
  console.warn(`manifest: ${path.relative(rootDir, file)} not found: using PLACEHOLDER zero addresses (build only)`);
  const contracts: Deployment["contracts"] = {};
  for (const name of Object.keys(ARTIFACTS)) contracts[name] = { address: ZERO_ADDRESS, blockNumber: 0 };
  return { chainId: network.chainId, network: args.network, contracts, source: "placeholder" };
}

/** abis/<Name>.json: the ABI array of each compiled contract. */
function writeAbis(): void {
  const abiDir = path.join(subgraphDir, "abis");
  mkdirSync(abiDir, { recursive: true });
  for (const [name, artifact] of Object.entries(ARTIFACTS)) {
    const file = path.join(rootDir, artifact);
    if (!existsSync(file)) fail(`Missing ${path.relative(rootDir, file)}: run \`npx hardhat build\` at the repo root`);
    const { abi } = JSON.parse(readFileSync(file, "utf8")) as { abi: unknown[] };
    writeFileSync(path.join(abiDir, `${name}.json`), `${JSON.stringify(abi, null, 2)}\n`);
  }
}

/** subgraph.yaml: the template with each quoted "{{key}}" replaced by its value as a YAML scalar. */
function writeManifest(): void {
  const template = readFileSync(path.join(subgraphDir, "subgraph.template.yaml"), "utf8");
  const body = template
    .replace(/^(#.*\n)+/, "") // the template's own header
    .replace(/"\{\{([\w.]+)\}\}"/g, (_, key: string) => {
      if (!(key in values)) fail(`subgraph.template.yaml: unknown placeholder {{${key}}}`);
      return JSON.stringify(values[key]); // JSON strings and numbers are valid YAML scalars
    });
  if (body.includes("{{")) fail("subgraph.template.yaml: placeholder left unreplaced (placeholders must be quoted)");
  const header =
    `# GENERATED by scripts/manifest.ts from subgraph.template.yaml — do not edit.\n` +
    `# network: ${graphNetwork} (chain ${network.chainId}); contracts: ${deployment.source}\n`;
  // --out lets the dev stack build for its own chain without touching subgraph.yaml.
  writeFileSync(path.join(subgraphDir, args.out), header + body);
  console.log(`manifest: wrote ${args.out} for ${graphNetwork} (chain ${network.chainId}) from ${deployment.source}`);
}

function fail(message: string): never {
  console.error(`manifest: ${message}`);
  process.exit(1);
}
