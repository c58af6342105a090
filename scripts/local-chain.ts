/**
 * A real local chain for tests and the dev stack: a Hardhat node on a free 127.0.0.1 port, with the
 * protocol deployed by the same script as `npm run deploy`. One place for this, used by the contract,
 * SDK and subgraph tests.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { Deployment } from "../sdk/src/deployments.ts";

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
export const HARDHAT_CLI = path.join(ROOT, "node_modules/hardhat/dist/src/cli.js");

export interface LocalChain {
  port: number;
  rpcUrl: string;
  /** Present when started with `deploy: true`. */
  deployment: Deployment;
  stop(): Promise<void>;
}

/** A TCP port nothing listens on right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** Rejects with a clear message naming the port and what wanted it, when it is taken. */
export function assertPortFree(port: number, what: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", (error: NodeJS.ErrnoException) => {
      const reason = error.code === "EADDRINUSE" ? "is already in use" : `cannot be opened (${error.code})`;
      reject(new Error(`Port ${port} on 127.0.0.1 ${reason}: ${what} needs it. Pick another port.`));
    });
    probe.listen(port, "127.0.0.1", () => probe.close(() => resolve()));
  });
}

/** One JSON-RPC call; rejects while the node is not up. */
export async function rpc<T = unknown>(
  rpcUrl: string,
  method: string,
  params: unknown[] = [],
  retried = false,
): Promise<T> {
  let response: Response;
  try {
    response = await fetch(rpcUrl, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }),
    });
  } catch (error) {
    // A kept-alive socket the node closed while idle fails once; a fresh connection is fine.
    if (retried) throw error;
    return rpc(rpcUrl, method, params, true);
  }
  const body = await response.json();
  if (body.error) throw new Error(`${method}: ${body.error.message}`);
  return body.result as T;
}

/**
 * Runs a Node script under this Node (22+), resolving with its output or rejecting with it: the one
 * way the scripts and tests run the Hardhat, graph and project CLIs.
 */
export function runNode(
  args: string[],
  options: { cwd?: string; env?: Record<string, string>; name?: string } = {},
): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, {
      cwd: options.cwd ?? ROOT,
      env: { ...process.env, ...options.env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout!.on("data", (chunk) => (output += chunk));
    child.stderr!.on("data", (chunk) => (output += chunk));
    const name = options.name ?? args.map((arg) => path.basename(arg)).join(" ");
    child.on("exit", (code) => (code === 0 ? resolve(output) : reject(new Error(`${name} failed:\n${output}`))));
  });
}

/** Runs a Hardhat CLI command from the repository root. */
export function hardhat(args: string[], env: Record<string, string> = {}): Promise<string> {
  return runNode([HARDHAT_CLI, ...args], {
    env: { HARDHAT_DISABLE_TELEMETRY_PROMPT: "true", ...env },
    name: `hardhat ${args.join(" ")}`,
  });
}

export async function waitForRpc(rpcUrl: string, timeoutMs = 60_000, process?: ChildProcess) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (process?.exitCode != null) throw new Error(`the node exited with code ${process.exitCode}`);
    try {
      return await rpc(rpcUrl, "eth_chainId");
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  throw new Error(`${rpcUrl} did not answer within ${timeoutMs} ms`);
}

/**
 * Starts a Hardhat node on 127.0.0.1 and, with `deploy`, deploys the protocol to it (writing
 * <deploymentsDir>/31337.json, a temporary directory by default).
 *
 * @example
 * const chain = await startLocalChain({ deploy: true });
 * try { … chain.deployment.contracts.HarmonieTipping.address … } finally { await chain.stop(); }
 */
export async function startLocalChain(
  options: { port?: number; deploy?: boolean; deploymentsDir?: string } = {},
): Promise<LocalChain> {
  if (options.port) await assertPortFree(options.port, "the Hardhat node");
  const port = options.port ?? (await freePort());
  const rpcUrl = `http://127.0.0.1:${port}`;
  const node = spawn(process.execPath, [HARDHAT_CLI, "node", "--hostname", "127.0.0.1", "--port", String(port)], {
    cwd: ROOT,
    env: { ...process.env, HARDHAT_DISABLE_TELEMETRY_PROMPT: "true" },
    stdio: "ignore",
  });
  const stop = async () => {
    if (node.exitCode !== null) return;
    const exited = new Promise((resolve) => node.once("exit", resolve));
    node.kill("SIGTERM");
    await exited;
  };
  try {
    await waitForRpc(rpcUrl, 60_000, node);
    let deployment = undefined as unknown as Deployment;
    if (options.deploy) {
      const outDir = options.deploymentsDir ?? mkdtempSync(path.join(tmpdir(), "harmonie-deployments-"));
      try {
        await hardhat(["run", "scripts/deploy.ts", "--network", "localhost"], {
          HARMONIE_RPC_PORT: String(port),
          HARMONIE_DEPLOYMENTS_DIR: outDir,
        });
        deployment = JSON.parse(readFileSync(path.join(outDir, "31337.json"), "utf8"));
      } finally {
        if (!options.deploymentsDir) rmSync(outDir, { recursive: true, force: true });
      }
    }
    return { port, rpcUrl, deployment, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
