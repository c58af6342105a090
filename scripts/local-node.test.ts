import assert from "node:assert/strict";
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, describe, it } from "node:test";
import { freePort, HARDHAT_CLI, ROOT, rpc as call, waitForRpc } from "./local-chain.ts";

const rpc = (port: number, method: string, params: unknown[] = []) =>
  call<string>(`http://127.0.0.1:${port}`, method, params);

function run(args: string[], env: Record<string, string>) {
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout!.on("data", (chunk) => (output += chunk));
  child.stderr!.on("data", (chunk) => (output += chunk));
  const exited = new Promise<number>((resolve) => child.on("exit", (code) => resolve(code ?? -1)));
  return { child, exited, output: () => output };
}

describe("npm run node + npm run deploy -- --network localhost", { timeout: 180_000 }, () => {
  let node: ChildProcess | undefined;
  const outDir = mkdtempSync(path.join(tmpdir(), "harmonie-deployments-"));

  after(() => {
    node?.kill("SIGTERM");
    rmSync(outDir, { recursive: true, force: true });
  });

  it("starts a node on the configured port, refuses a busy port, and deploys every contract", async () => {
    const port = await freePort();
    const env = { HARMONIE_RPC_PORT: String(port), HARDHAT_DISABLE_TELEMETRY_PROMPT: "true" };
    const started = run([path.join(import.meta.dirname, "node.ts")], env);
    node = started.child;
    await waitForRpc(`http://127.0.0.1:${port}`, 60_000, node);

    const busy = run([path.join(import.meta.dirname, "node.ts")], env);
    assert.equal(await busy.exited, 1);
    assert.match(busy.output(), new RegExp(`Port ${port} on 127.0.0.1 is already in use: the Hardhat node needs it`));

    const deploy = run([HARDHAT_CLI, "run", "scripts/deploy.ts", "--network", "localhost"], {
      ...env,
      HARMONIE_DEPLOYMENTS_DIR: outDir,
    });
    assert.equal(await deploy.exited, 0, deploy.output());
    const deployment = JSON.parse(readFileSync(path.join(outDir, "31337.json"), "utf8"));
    assert.equal(deployment.chainId, 31337);
    assert.deepEqual(Object.keys(deployment.contracts).sort(), [
      "ArtistProfiles",
      "ContentRegistry",
      "HarmonieGovernor",
      "HarmonieTipping",
      "LiveStreams",
      "StakedCore",
      "TimelockController",
    ]);
    for (const { address, blockNumber } of Object.values(deployment.contracts) as {
      address: string;
      blockNumber: number;
    }[]) {
      assert.notEqual(await rpc(port, "eth_getCode", [address, "latest"]), "0x");
      // Deployed exactly at its recorded block: no code the block before.
      assert.equal(await rpc(port, "eth_getCode", [address, `0x${(blockNumber - 1).toString(16)}`]), "0x");
      assert.notEqual(await rpc(port, "eth_getCode", [address, `0x${blockNumber.toString(16)}`]), "0x");
    }
  });
});
