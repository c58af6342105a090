/**
 * Generates subgraph.yaml for one network from subgraph.template.yaml and deployments/<chainId>.json
 * (written by `npm run deploy`), and extracts the contracts' ABIs from the Hardhat artifacts into
 * abis/. Both outputs are generated: never edit them by hand.
 *
 *   node scripts/manifest.ts [--network localhost|core-testnet2|core]   (default: localhost)
 *                            [--graph-network <name>]   network name the graph-node knows the chain by
 *                            [--spec-version <x.y.z>]   manifest specVersion (default 1.0.0, see below)
 *                            [--api-version <0.0.n>]    every mapping's apiVersion (default 0.0.7)
 *                            [--deployments <file>]     instead of ../deployments/<chainId>.json
 *                            [--out <file>]             manifest file, relative to subgraph/ (default subgraph.yaml)
 *                            [--placeholder]            zero addresses if the deployments file is missing
 *
 * `--placeholder` exists so that the subgraph builds without a chain (CI); a manifest made with it
 * indexes nothing and must not be deployed.
 *
 * Versions: the defaults are the pair Core's subgraph tutorial deploys to Core's graph-node
 * (specVersion 1.0.0, apiVersion 0.0.7; Core does not publish its graph-node version). This subgraph
 * needs nothing newer. `--spec-version 1.3.0 --api-version 0.0.9` (graph-node >= 0.37) is the newest
 * pair graph-cli 0.98 writes. The script refuses a pair below what the template's features need
 * (graph-node's rules, graph/src/data/subgraph/api_version.rs) or above what graph-node knows.
 * subgraph/README.md ("Networks and versions") has the evidence.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
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
  // Core's docs tell every deployment to set `network: core`, and their tutorial's testnet tab
  // deploys that manifest to the testnet2 graph-node (thegraph-node.test2.btcs.network).
  "core-testnet2": { chainId: 1114, graphNetwork: "core" },
  // The local runner (subgraph/runner) and a local graph-node indexing `npm run node`.
  localhost: { chainId: 31337, graphNetwork: "localhost" },
};

/** The versions Core's subgraph tutorial deploys to Core's graph-node: the default. */
const CORE_DOCUMENTED_VERSIONS = { specVersion: "1.0.0", apiVersion: "0.0.7" } as const;

/** Spec versions graph-node knows (graph/src/data/subgraph/api_version.rs), and what each adds. */
const SPEC_VERSIONS = ["0.0.4", "0.0.5", "0.0.6", "0.0.7", "0.0.8", "0.0.9", "1.0.0", "1.1.0", "1.2.0", "1.3.0"];
/** Mapping API versions graph-node knows; 0.0.5 is the first that graph-cli 0.98 / AssemblyScript 0.19 compile. */
const API_VERSIONS = ["0.0.5", "0.0.6", "0.0.7", "0.0.8", "0.0.9"];

const ZERO_ADDRESS = "0x0000000000000000000000000000000000000000";

const subgraphDir = path.resolve(import.meta.dirname, "..");
const rootDir = path.resolve(subgraphDir, "..");

const { values: args } = parseArgs({
  options: {
    network: { type: "string", default: "localhost" },
    "graph-network": { type: "string" },
    "spec-version": { type: "string", default: CORE_DOCUMENTED_VERSIONS.specVersion },
    "api-version": { type: "string", default: CORE_DOCUMENTED_VERSIONS.apiVersion },
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
const specVersion = args["spec-version"]!;
const apiVersion = args["api-version"]!;
if (!SPEC_VERSIONS.includes(specVersion))
  fail(`Unknown --spec-version ${specVersion}; graph-node knows ${SPEC_VERSIONS.join(", ")}`);
if (!API_VERSIONS.includes(apiVersion))
  fail(`Unknown --api-version ${apiVersion}; graph-cli 0.98 builds ${API_VERSIONS.join(", ")}`);

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

/**
 * subgraph.yaml: the template with each quoted "{{key}}" replaced by its value as a YAML scalar, and
 * its `specVersion` and every mapping's `apiVersion` set to the chosen versions.
 */
function writeManifest(): void {
  const template = readFileSync(path.join(subgraphDir, "subgraph.template.yaml"), "utf8");
  let body = template
    .replace(/^(#.*\n)+/, "") // the template's own header
    .replace(/"\{\{([\w.]+)\}\}"/g, (_, key: string) => {
      if (!(key in values)) fail(`subgraph.template.yaml: unknown placeholder {{${key}}}`);
      return JSON.stringify(values[key]); // JSON strings and numbers are valid YAML scalars
    });
  if (body.includes("{{")) fail("subgraph.template.yaml: placeholder left unreplaced (placeholders must be quoted)");
  if (!/^specVersion: .*$/m.test(body)) fail("subgraph.template.yaml: no top-level `specVersion:` line");
  body = body.replace(/^specVersion: .*$/m, `specVersion: ${specVersion}`);
  let mappings = 0;
  body = body.replace(
    /^(\s+)apiVersion: .*$/gm,
    (_, indent: string) => (mappings++, `${indent}apiVersion: ${apiVersion}`),
  );
  if (mappings === 0) fail("subgraph.template.yaml: no mapping `apiVersion:` line");
  checkFeatures(body);
  const header =
    `# GENERATED by scripts/manifest.ts from subgraph.template.yaml — do not edit.\n` +
    `# network: ${graphNetwork} (chain ${network.chainId}); specVersion ${specVersion}, apiVersion ${apiVersion}; contracts: ${deployment.source}\n`;
  // --out lets the dev stack build for its own chain without touching subgraph.yaml.
  writeFileSync(path.resolve(subgraphDir, args.out), header + body);
  console.log(
    `manifest: wrote ${args.out} for ${graphNetwork} (chain ${network.chainId}), specVersion ${specVersion}, apiVersion ${apiVersion}, from ${deployment.source}`,
  );
}

/** Version comparison for x.y.z strings. */
function atLeast(version: string, min: string): boolean {
  const a = version.split(".").map(Number);
  const b = min.split(".").map(Number);
  for (let i = 0; i < 3; i++) if (a[i] !== b[i]) return a[i] > b[i];
  return true;
}

/**
 * Refuses versions below what the manifest's features need, with graph-node's rules
 * (graph/src/data/subgraph/mod.rs, chain/ethereum/src/data_source.rs, graph/src/schema/input/mod.rs).
 */
function checkFeatures(manifestText: string): void {
  // `yaml` is a dependency of the runner (which reads manifests with it).
  const { parse } = createRequire(path.join(subgraphDir, "runner", "package.json"))("yaml") as typeof import("yaml");
  const manifest = parse(manifestText) as Record<string, any>;
  const schema = readFileSync(path.join(subgraphDir, manifest.schema?.file ?? "schema.graphql"), "utf8");
  const sources: Record<string, any>[] = [...(manifest.dataSources ?? []), ...(manifest.templates ?? [])];
  const handlers = (key: string) => sources.flatMap((d) => (d.mapping?.[key] ?? []) as Record<string, any>[]);
  const needs: [boolean, "spec" | "api", string, string][] = [
    [handlers("eventHandlers").some((h) => h.receipt === true), "spec", "0.0.5", "event handlers with `receipt: true`"],
    [handlers("eventHandlers").some((h) => h.receipt === true), "api", "0.0.7", "event handlers with `receipt: true`"],
    [sources.some((d) => String(d.kind).startsWith("file/")), "spec", "0.0.7", "file data sources"],
    [
      handlers("blockHandlers").some((h) => ["polling", "once"].includes(h.filter?.kind)),
      "spec",
      "0.0.8",
      "block handlers with a `polling` or `once` filter",
    ],
    [sources.some((d) => d.source?.endBlock !== undefined), "spec", "0.0.9", "`endBlock`"],
    [manifest.indexerHints !== undefined, "spec", "1.0.0", "`indexerHints`"],
    [/@aggregation\b/.test(schema), "spec", "1.1.0", "`@aggregation` entities"],
    [/^\s*id\s*:\s*Int8!/m.test(schema), "spec", "1.1.0", "`id: Int8!`"],
    [handlers("eventHandlers").some((h) => h.topic1 || h.topic2 || h.topic3), "spec", "1.2.0", "topic filters"],
    [handlers("eventHandlers").some((h) => h.calls), "spec", "1.2.0", "declared eth_calls"],
    [sources.some((d) => d.kind === "subgraph"), "spec", "1.3.0", "subgraph data sources"],
  ];
  // graph-node's validate_subgraph_features (graph/src/data/subgraph/features.rs) refuses at deploy time a
  // subgraph that uses a feature its manifest does not declare; `@fulltext` is the one this schema uses.
  if (/@fulltext\b/.test(schema) && !(manifest.features ?? []).includes("fullTextSearch"))
    fail(
      "the schema uses `@fulltext`: the manifest must declare `features: [fullTextSearch]` (graph-node refuses it otherwise)",
    );
  for (const [used, which, min, feature] of needs) {
    const chosen = which === "spec" ? specVersion : apiVersion;
    if (used && !atLeast(chosen, min)) {
      fail(`${feature} need ${which === "spec" ? "specVersion" : "apiVersion"} >= ${min}; ${chosen} was chosen`);
    }
  }
}

function fail(message: string): never {
  console.error(`manifest: ${message}`);
  process.exit(1);
}
