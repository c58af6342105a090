import { expect } from "chai";
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { freePort, HARDHAT_CLI, rpc as call, waitForRpc } from "../scripts/local-chain.ts";

const rpc = (port: number, method: string, params: unknown[] = []) =>
  call<string>(`http://127.0.0.1:${port}`, method, params);

function run(args: string[], env: Record<string, string>) {
  const child = spawn(process.execPath, args, { env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout!.on("data", (chunk) => (output += chunk));
  child.stderr!.on("data", (chunk) => (output += chunk));
  const exited = new Promise<number>((resolve) => child.on("exit", (code) => resolve(code ?? -1)));
  return { child, exited, output: () => output };
}

describe("npm run node + npm run deploy -- --network localhost", function () {
  this.timeout(180_000);
  let node: ChildProcess | undefined;
  const outDir = mkdtempSync(path.join(tmpdir(), "harmonie-deployments-"));

  after(() => {
    node?.kill("SIGTERM");
    rmSync(outDir, { recursive: true, force: true });
  });

  it("starts a node on the configured port, refuses a busy port, and deploys every contract", async () => {
    const port = await freePort();
    const env = { HARMONIE_RPC_PORT: String(port), HARDHAT_DISABLE_TELEMETRY_PROMPT: "true" };
    const started = run(["scripts/node.ts"], env);
    node = started.child;
    await waitForRpc(`http://127.0.0.1:${port}`, 60_000, node);

    const busy = run(["scripts/node.ts"], env);
    expect(await busy.exited).to.equal(1);
    expect(busy.output()).to.contain(`Port ${port} on 127.0.0.1 is already in use: the Hardhat node needs it`);

    const deploy = run([HARDHAT_CLI, "run", "scripts/deploy.ts", "--network", "localhost"], {
      ...env,
      HARMONIE_DEPLOYMENTS_DIR: outDir,
    });
    expect(await deploy.exited, deploy.output()).to.equal(0);
    const deployment = JSON.parse(readFileSync(path.join(outDir, "31337.json"), "utf8"));
    expect(deployment.chainId).to.equal(31337);
    expect(Object.keys(deployment.contracts).sort()).to.deep.equal([
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
      expect(await rpc(port, "eth_getCode", [address, "latest"])).to.not.equal("0x");
      // Deployed exactly at its recorded block: no code the block before.
      expect(await rpc(port, "eth_getCode", [address, `0x${(blockNumber - 1).toString(16)}`])).to.equal("0x");
      expect(await rpc(port, "eth_getCode", [address, `0x${blockNumber.toString(16)}`])).to.not.equal("0x");
    }
  });
});
