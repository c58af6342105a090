/**
 * `harmonie serve`: each service starts from flags, answers `/health` and the one error shape; a busy
 * port is a clear exit (never an uncaught exception), a wrong flag prints the usage, and no secret from
 * the environment is ever printed.
 */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { type Chain, startChain } from "../../testkit/src/chain.ts";
import { createFsBackend } from "./ipfs/fs-blockstore.ts";
import { startIpfsService } from "./ipfs/gateway.ts";
import { startKeyService } from "./keys/key-service.ts";
import { startLivepeerAccessControl } from "./livepeer/access-control.ts";
import { serve, UsageError } from "./cli.ts";
import { startSignallingService } from "./signalling/signalling-service.ts";

const CLI = fileURLToPath(new URL("./cli.ts", import.meta.url));

let chain: Chain;
let deploymentFile: string;
before(async () => {
  chain = await startChain();
  deploymentFile = path.join(mkdtempSync(path.join(tmpdir(), "harmonie-cli-")), "31337.json");
  writeFileSync(deploymentFile, JSON.stringify(chain.deployment));
});
after(() => chain?.stop());

/** Runs the bin to its exit; stdout and stderr together. */
function runCli(args: string[], env: Record<string, string> = {}): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], { env: { ...process.env, ...env }, stdio: "pipe" });
    let output = "";
    child.stdout.on("data", (chunk) => (output += chunk));
    child.stderr.on("data", (chunk) => (output += chunk));
    child.once("exit", (code) => resolve({ code, output }));
  });
}

/** A port something else listens on. */
async function busyPort(): Promise<{ port: number; release: () => Promise<void> }> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  return { port, release: () => new Promise((resolve) => server.close(() => resolve())) };
}

describe("harmonie serve", () => {
  it("keys: listens, /health names the service, routes answer the one error shape", async () => {
    const keys = await serve(["keys", "--port", "0", "--rpc", chain.rpcUrl, "--deployment", deploymentFile], {});
    try {
      const health = await (await fetch(`${keys.url}/health`)).json();
      assert.deepEqual(health, { service: "keys", ok: true, chainId: 31337, tracks: 0 });
      const noToken = await fetch(`${keys.url}/keys/1`);
      assert.equal(noToken.status, 401);
      assert.equal((await noToken.json()).error.name, "SignInRequired");
      const unknown = await fetch(`${keys.url}/nowhere`);
      assert.equal(unknown.status, 404);
      assert.deepEqual(Object.keys((await unknown.json()).error), ["name", "message"]);
      const notJson = await fetch(`${keys.url}/session`, { method: "POST", body: "{" });
      assert.deepEqual((await notJson.json()).error, { name: "BadRequest", message: "The body is not JSON." });
      const huge = await fetch(`${keys.url}/session`, { method: "POST", body: "x".repeat(17_000) });
      assert.equal(huge.status, 413);
      assert.deepEqual((await huge.json()).error.limitBytes, 16 * 1024);
    } finally {
      await keys.close();
    }
  });

  it("livepeer-gate: the webhook secret from the environment is used and never printed", async () => {
    const secret = "webhook-secret-not-for-logs";
    const gate = await serve(["livepeer-gate", "--port", "0", "--rpc", chain.rpcUrl, "--deployment", deploymentFile], {
      LIVEPEER_WEBHOOK_SECRET: secret,
    });
    try {
      assert.match(gate.banner, /signed calls only/);
      assert.ok(!gate.banner.includes(secret));
      const unsigned = await fetch(`${gate.url}/livepeer/access-control`, {
        method: "POST",
        body: JSON.stringify({ context: { streamId: "1" }, accessKey: "x" }),
      });
      assert.equal(unsigned.status, 401);
      const text = await unsigned.text();
      assert.equal(JSON.parse(text).error.name, "SignInRequired");
      assert.ok(!text.includes(secret));
      assert.equal((await (await fetch(`${gate.url}/health`)).json()).service, "livepeer-gate");
    } finally {
      await gate.close();
    }
  });

  it("a bad session secret is refused without echoing it; unknown services and flags print the usage", async () => {
    const secret = "not-hex-but-secret-123";
    await assert.rejects(
      serve(["keys", "--port", "0", "--deployment", deploymentFile], { HARMONIE_SESSION_SECRET: secret }),
      (error: Error) => error instanceof UsageError && !error.message.includes(secret),
    );
    const unknown = await runCli(["serve", "ftp"]);
    assert.equal(unknown.code, 2);
    assert.match(unknown.output, /harmonie serve <service>[\s\S]*livepeer-gate/);
    const badFlag = await runCli(["serve", "ipfs", "--colour"]);
    assert.equal(badFlag.code, 2);
    assert.match(badFlag.output, /--max-upload-mb/);
    const help = await runCli(["serve", "signal", "--help"]);
    assert.equal(help.code, 0);
    assert.match(help.output, /--turn-user/);
  });

  it("a busy port ends the CLI with exit 1 and a sentence naming the port, not a stack", async () => {
    const { port, release } = await busyPort();
    try {
      const data = mkdtempSync(path.join(tmpdir(), "harmonie-cli-ipfs-"));
      const ipfs = await runCli(["serve", "ipfs", "--port", String(port), "--data", data]);
      assert.equal(ipfs.code, 1, ipfs.output);
      assert.match(ipfs.output, new RegExp(`Cannot listen: .*EADDRINUSE.*${port}.*Pick another --port`));
      assert.ok(!ipfs.output.includes("    at "), ipfs.output);
      const signal = await runCli(["serve", "signal", "--port", String(port), "--deployment", deploymentFile]);
      assert.equal(signal.code, 1, signal.output);
      assert.match(signal.output, /EADDRINUSE/);
    } finally {
      await release();
    }
  });
});

describe("every service's listen rejects on a busy port (EADDRINUSE)", () => {
  it("ipfs, keys, signal and livepeer-gate", async () => {
    const { port, release } = await busyPort();
    const backend = await createFsBackend(mkdtempSync(path.join(tmpdir(), "harmonie-busy-")));
    try {
      const busy = (error: NodeJS.ErrnoException) => error.code === "EADDRINUSE";
      await assert.rejects(startIpfsService({ backend, port }), busy);
      await assert.rejects(
        startKeyService({ client: chain.publicClient, deployment: chain.deployment, domain: "x", port }),
        busy,
      );
      await assert.rejects(
        startSignallingService({ client: chain.publicClient, deployment: chain.deployment, port }),
        busy,
      );
      await assert.rejects(
        startLivepeerAccessControl({ client: chain.publicClient, deployment: chain.deployment, port }),
        busy,
      );
    } finally {
      await backend.close();
      await release();
    }
  });
});
