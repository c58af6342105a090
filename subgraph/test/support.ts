// Shared by the end-to-end test and the benchmark: a local chain with the protocol deployed, the built
// subgraph pointed at that deployment, wallets, and GraphQL over HTTP.
import { execFileSync } from "node:child_process";
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { type Address, createWalletClient, http, type Hex } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { rpc } from "../../scripts/local-chain.ts";
import { harmonieLocal } from "../../sdk/src/chains.ts";
import type { Deployment } from "../../sdk/src/deployments.ts";

export const SUBGRAPH_DIR = join(dirname(fileURLToPath(import.meta.url)), "..");
// `yaml` is a dependency of the runner (which reads manifests with it).
const { parse: parseYaml, stringify: stringifyYaml } = createRequire(join(SUBGRAPH_DIR, "runner", "package.json"))(
  "yaml",
) as typeof import("yaml");

/** Hardhat's well-known development keys, accounts #1–#8 (#0 deployed the protocol). */
export const KEYS: Hex[] = [
  "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d",
  "0x5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a",
  "0x7c852118294e51e653712a81e05800f419141751be58f605c371e15141b007a6",
  "0x47e179ec197488593b187f80a00eb0da91f1b9d0b13f8733639f19c30a34926a",
  "0x8b3a350cf5c34c9194ca85829a2df0ec3153be0318b5e2d3348e872092edffba",
  "0x92db14e403b83dfe3df233f83dfa3a0d7096f21ca9b0d6d6b8d88b2b4ec1564e",
  "0x4bbbf85ce3377467afe5d46f804f221813b2bb87f24d81f60f1fcdbf7cbf4356",
  "0xdbda1821b80551c9d65939329250298aa3472ba22feea921c0cf5d620ea67b97",
];

export type Wallet = ReturnType<typeof wallet>;

/** A viem wallet client for one key on the local chain (fast receipt polling: the node automines). */
export function wallet(rpcUrl: string, key: Hex) {
  return createWalletClient({
    chain: harmonieLocal,
    transport: http(rpcUrl),
    account: privateKeyToAccount(key),
    pollingInterval: 20,
  });
}

/**
 * A wallet client sending as `address` through the node (Hardhat's impersonation, funded with 100 CORE):
 * how the tests act as the timelock, the protocol's governance.
 */
export async function impersonate(rpcUrl: string, address: Address) {
  await rpc(rpcUrl, "hardhat_impersonateAccount", [address]);
  await rpc(rpcUrl, "hardhat_setBalance", [address, "0x56bc75e2d63100000"]);
  return createWalletClient({ chain: harmonieLocal, transport: http(rpcUrl), account: address, pollingInterval: 20 });
}

/** The lowercase address of a wallet, as the subgraph's ids spell it. */
export const idOf = (w: Wallet) => w.account.address.toLowerCase();

/**
 * A temporary copy of the built subgraph (`build/`, from `npm run build`) whose manifest indexes
 * `deployment`. The manifest comes from scripts/manifest.ts --deployments (into a gitignored
 * subgraph.<name>.yaml, removed at once); only the data sources' network, address and start block
 * differ from the build's, so the compiled mappings are reused instead of rebuilt (graph build takes
 * ~17 s here). The repository's subgraph.yaml and build/ are left alone.
 */
export function prepareSubgraph(deployment: Deployment): { dir: string; remove(): void } {
  const built = join(SUBGRAPH_DIR, "build", "subgraph.yaml");
  const sources = [
    "schema.graphql",
    "subgraph.template.yaml",
    ...readdirSync(join(SUBGRAPH_DIR, "src")).map((f) => join("src", f)),
  ];
  const newest = Math.max(...sources.map((f) => statSync(join(SUBGRAPH_DIR, f)).mtimeMs));
  if ((statSync(built, { throwIfNoEntry: false })?.mtimeMs ?? 0) < newest) {
    throw new Error("subgraph/build is missing or older than the sources: run `npm run build -w @harmonie/subgraph`");
  }
  const dir = mkdtempSync(join(tmpdir(), "harmonie-subgraph-"));
  const remove = () => rmSync(dir, { recursive: true, force: true });
  const out = `subgraph.test-${process.pid}.yaml`;
  try {
    const deploymentFile = join(dir, `${deployment.chainId}.json`);
    writeFileSync(deploymentFile, JSON.stringify(deployment));
    execFileSync(
      process.execPath,
      ["scripts/manifest.ts", "--network", "localhost", "--deployments", deploymentFile, "--out", out],
      { cwd: SUBGRAPH_DIR, stdio: "pipe" },
    );
    const generated = parseYaml(readFileSync(join(SUBGRAPH_DIR, out), "utf8"));
    cpSync(join(SUBGRAPH_DIR, "build"), join(dir, "build"), { recursive: true });
    const manifest = parseYaml(readFileSync(built, "utf8"));
    const handlers = (m: any) =>
      JSON.stringify(m.dataSources.map((d: any) => [d.name, d.mapping.eventHandlers.map((h: any) => h.event)]));
    if (handlers(manifest) !== handlers(generated)) {
      throw new Error(
        "subgraph/build does not match subgraph.template.yaml: run `npm run build -w @harmonie/subgraph`",
      );
    }
    for (const ds of manifest.dataSources) {
      const g = generated.dataSources.find((x: any) => x.name === ds.name);
      ds.network = g.network;
      ds.source.address = g.source.address;
      ds.source.startBlock = g.source.startBlock;
    }
    writeFileSync(join(dir, "build", "subgraph.yaml"), stringifyYaml(manifest));
    return { dir, remove };
  } catch (e) {
    remove();
    throw e;
  } finally {
    rmSync(join(SUBGRAPH_DIR, out), { force: true });
  }
}

/** A GraphQL request over HTTP, as a client sends it; returns the whole response body. */
export async function gql(url: string, query: string, variables?: Record<string, unknown>): Promise<any> {
  const res = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ query, variables }),
  });
  return res.json();
}

/** The `data` of a query that must succeed. */
export async function data(url: string, query: string, variables?: Record<string, unknown>): Promise<any> {
  const body = await gql(url, query, variables);
  if (body.errors) throw new Error(`query failed: ${JSON.stringify(body.errors)}\n${query}`);
  return body.data;
}

export async function blockNumber(rpcUrl: string): Promise<number> {
  return Number(await rpc<string>(rpcUrl, "eth_blockNumber"));
}

export async function blockHash(rpcUrl: string, n: number): Promise<string> {
  return (await rpc<{ hash: string }>(rpcUrl, "eth_getBlockByNumber", ["0x" + n.toString(16), false])).hash;
}

/** Moves the chain's clock forward and mines a block. */
export async function increaseTime(rpcUrl: string, seconds: number): Promise<void> {
  await rpc(rpcUrl, "evm_increaseTime", [seconds]);
  await rpc(rpcUrl, "evm_mine");
}
