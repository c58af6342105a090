/**
 * Starts a Hardhat node on 127.0.0.1:$HARMONIE_RPC_PORT (default 8545). The `localhost` network in
 * hardhat.config.ts reads the same variable, so `npm run deploy -- --network localhost` finds it.
 */
import { spawn } from "node:child_process";
import { createRequire } from "node:module";
import { createServer } from "node:net";
import path from "node:path";

const port = Number(process.env.HARMONIE_RPC_PORT ?? 8545);
if (!Number.isInteger(port) || port <= 0 || port > 65535) {
  console.error(`HARMONIE_RPC_PORT must be a TCP port, got "${process.env.HARMONIE_RPC_PORT}"`);
  process.exit(1);
}

await new Promise<void>((resolve) => {
  const probe = createServer();
  probe.once("error", (error: NodeJS.ErrnoException) => {
    const reason = error.code === "EADDRINUSE" ? "is already in use" : `cannot be opened (${error.code})`;
    console.error(`Port ${port} on 127.0.0.1 ${reason}. Pick another: HARMONIE_RPC_PORT=18545 npm run node`);
    process.exit(1);
  });
  probe.listen(port, "127.0.0.1", () => probe.close(() => resolve()));
});

// Hardhat's CLI under this same Node binary (22+), whatever PATH says.
const hardhatCli = path.join(
  path.dirname(createRequire(import.meta.url).resolve("hardhat/package.json")),
  "dist/src/cli.js",
);
const node = spawn(process.execPath, [hardhatCli, "node", "--hostname", "127.0.0.1", "--port", String(port)], {
  stdio: "inherit",
});
for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => node.kill(signal));
node.on("exit", (code) => process.exit(code ?? 0));
