/**
 * `npm run dev`: the whole HarmonieCORE stack on 127.0.0.1 with demo data, until Ctrl-C.
 * Ports: HARMONIE_RPC_PORT (8545), HARMONIE_INDEXER_PORT (8000), HARMONIE_IPFS_PORT (8080),
 * HARMONIE_KEYS_PORT (8790).
 */
import { startDevStack } from "./dev-stack.ts";

const port = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
const started = Date.now();
const stack = await startDevStack({
  ports: {
    rpc: port("HARMONIE_RPC_PORT", 8545),
    indexer: port("HARMONIE_INDEXER_PORT", 8000),
    ipfs: port("HARMONIE_IPFS_PORT", 8080),
    keys: port("HARMONIE_KEYS_PORT", 8790),
  },
  log: (line) => console.log(line),
}).catch((error: Error) => {
  console.error(`\n${error.message}`);
  process.exit(1);
});

console.log(`
HarmonieCORE local stack is up (${((Date.now() - started) / 1000).toFixed(1)} s):

  Chain (JSON-RPC)   ${stack.rpcUrl}   chain id ${stack.chainId}
  Subgraph (GraphQL) ${stack.indexerUrl}
  IPFS gateway       ${stack.ipfsUrl}/ipfs/<cid>   uploads: POST ${stack.ipfsUrl}/upload
  Key service        ${stack.keyServiceUrl}
  Deployment         deployments/31337.json

Demo wallets (Hardhat's public development keys — never use them on a real network):
${stack.accounts.map((a) => `  ${a.name.padEnd(16)} ${a.address}  ${a.privateKey}`).join("\n")}

Ctrl-C stops everything.`);

let stopping = false;
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, async () => {
    if (stopping) return;
    stopping = true;
    console.log("\nStopping…");
    await stack.stop();
    process.exit(0);
  });
}
