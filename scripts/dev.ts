/**
 * `npm run dev`: the whole HarmonieCORE stack on 127.0.0.1 with demo data, and the dApp, until Ctrl-C.
 * Ports: sdk/src/stack-config.ts (HARMONIE_RPC_PORT 8545, HARMONIE_INDEXER_PORT 8000, HARMONIE_IPFS_PORT 8080,
 * HARMONIE_KEYS_PORT 8790, HARMONIE_SIGNAL_PORT 8791, HARMONIE_SFU_PORT 8793, HARMONIE_DAPP_PORT 5173).
 */
import { writeFileSync } from "node:fs";
import path from "node:path";
import { createServer } from "vite";
import { startDevStack } from "./dev-stack.ts";
import { assertPortFree, ROOT } from "./local-chain.ts";
import { localPort } from "../sdk/src/stack-config.ts";

const started = Date.now();
const dappPort = localPort("dapp", process.env);
await assertPortFree(dappPort, "the dApp").catch((error: Error) => {
  console.error(error.message);
  process.exit(1);
});
const stack = await startDevStack({
  blockIntervalMs: 1000,
  ports: {
    rpc: localPort("rpc", process.env),
    indexer: localPort("indexer", process.env),
    ipfs: localPort("ipfs", process.env),
    keys: localPort("keys", process.env),
    signal: localPort("signal", process.env),
    sfu: localPort("sfu", process.env),
  },
  log: (line) => console.log(line),
}).catch((error: Error) => {
  console.error(`\n${error.message}`);
  process.exit(1);
});

const dappDir = path.join(ROOT, "dapp");
writeFileSync(path.join(dappDir, "public/config.json"), `${JSON.stringify(stack.dappConfig, null, 2)}\n`);
const dapp = await createServer({
  root: dappDir,
  configFile: path.join(dappDir, "vite.config.ts"),
  server: { host: "127.0.0.1", port: dappPort, strictPort: true },
  logLevel: "warn",
});
await dapp.listen();

console.log(`
HarmonieCORE local stack is up (${((Date.now() - started) / 1000).toFixed(1)} s):

  dApp               http://127.0.0.1:${dappPort}
  Chain (JSON-RPC)   ${stack.rpcUrl}   chain id ${stack.chainId} (a block every second)
  Subgraph (GraphQL) ${stack.indexerUrl}
  IPFS gateway       ${stack.ipfsUrl}/ipfs/<cid>   uploads: POST ${stack.ipfsUrl}/upload
  Key service        ${stack.keyServiceUrl}
  Stream signalling  ${stack.signallingUrl}
  Live SFU           ${stack.sfuUrl}   (fans beyond a room's mesh watch through it)
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
    await dapp.close();
    await stack.stop();
    process.exit(0);
  });
}
