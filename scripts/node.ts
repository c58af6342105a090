/**
 * Starts a Hardhat node on 127.0.0.1:$HARMONIE_RPC_PORT (default 8545). The `localhost` network in
 * hardhat.config.ts reads the same variable, so `npm run deploy -- --network localhost` finds it.
 */
import { spawn } from "node:child_process";
import { assertPortFree, HARDHAT_CLI } from "./local-chain.ts";
import { localPort } from "../sdk/src/stack-config.ts";

let port: number;
try {
  port = localPort("rpc", process.env);
} catch (error) {
  console.error((error as Error).message);
  process.exit(1);
}

await assertPortFree(port, "the Hardhat node").catch((error: Error) => {
  console.error(`${error.message} E.g. HARMONIE_RPC_PORT=18545 npm run node`);
  process.exit(1);
});

const node = spawn(process.execPath, [HARDHAT_CLI, "node", "--hostname", "127.0.0.1", "--port", String(port)], {
  stdio: "inherit",
});
for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => node.kill(signal));
node.on("exit", (code) => process.exit(code ?? 0));
