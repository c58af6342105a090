/**
 * `npm run chain`: a local chain for an app of your own. Starts a Hardhat node on 127.0.0.1
 * (HARMONIE_RPC_PORT, default 8545), deploys the protocol and writes `deployments/31337.json` into the
 * folder npm was run from (npm's INIT_CWD: `npm --prefix <this repo> run chain` in your project), or
 * into `--out <dir>`. Prints RPC_URL and a funded PRIVATE_KEY; Ctrl-C stops the node.
 */
import { mkdirSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { DEMO_ACCOUNTS } from "./dev/accounts.ts";
import { startLocalChain } from "./local-chain.ts";
import { localPort } from "../sdk/src/stack-config.ts";

const { values } = parseArgs({ options: { out: { type: "string" } } });
const project = path.resolve(values.out ?? process.env.INIT_CWD ?? process.cwd());
const deploymentsDir = path.join(project, "deployments");
mkdirSync(deploymentsDir, { recursive: true });

const chain = await startLocalChain({ port: localPort("rpc", process.env), deploy: true, deploymentsDir }).catch(
  (error: Error) => {
    console.error(error.message);
    process.exit(1);
  },
);
const [deployer] = DEMO_ACCOUNTS;
console.log(`HarmonieCORE local chain (chain id 31337), protocol deployed.
Deployment written to ${path.join(deploymentsDir, "31337.json")}

RPC_URL=${chain.rpcUrl}
PRIVATE_KEY=${deployer.privateKey}
(Hardhat's first development account, funded with 10,000 CORE on this chain only: never use it elsewhere.)

Ctrl-C stops the chain.`);

for (const signal of ["SIGINT", "SIGTERM"] as const)
  process.on(signal, async () => {
    await chain.stop();
    process.exit(0);
  });
