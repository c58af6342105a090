// Test helpers: a real Hardhat node on a free port, and contract calls over JSON-RPC.
import { spawn, type ChildProcess } from "node:child_process";
import { createServer } from "node:net";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { encodeFunctionData } from "viem";
import { buildFixture, type Artifact } from "./fixtures/build.ts";

const require = createRequire(import.meta.url);
const here = dirname(fileURLToPath(import.meta.url));

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

export class Chain {
  readonly url: string;
  readonly proc: ChildProcess;
  account = "";
  #id = 0;

  constructor(url: string, proc: ChildProcess) {
    this.url = url;
    this.proc = proc;
  }

  async rpc<T = any>(method: string, params: unknown[] = []): Promise<T> {
    const send = () =>
      fetch(this.url, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ jsonrpc: "2.0", id: ++this.#id, method, params }),
      });
    // A kept-alive connection the node closed while idle fails before the request is sent: once more.
    const res = await send().catch((e) => {
      if ((e as { cause?: { code?: string } }).cause?.code === "UND_ERR_SOCKET") return send();
      throw e;
    });
    const body = await res.json();
    if (body.error) throw new Error(`${method}: ${body.error.message}`);
    return body.result as T;
  }

  async blockNumber(): Promise<number> {
    return Number(await this.rpc("eth_blockNumber"));
  }

  /** Sends a transaction from the first account and waits for it to be mined. */
  async send(
    to: string | null,
    data: string,
  ): Promise<{ blockNumber: number; hash: string; contractAddress: string | null }> {
    const hash = await this.rpc<string>("eth_sendTransaction", [
      { from: this.account, to: to ?? undefined, data, gas: "0xf42400" },
    ]);
    const receipt = await this.rpc("eth_getTransactionReceipt", [hash]);
    if (!receipt || receipt.status !== "0x1") throw new Error(`transaction ${hash} failed`);
    return { blockNumber: Number(receipt.blockNumber), hash, contractAddress: receipt.contractAddress };
  }

  async stop(): Promise<void> {
    if (this.proc.exitCode !== null) return;
    const exited = new Promise((r) => this.proc.once("exit", r));
    this.proc.kill("SIGTERM");
    await Promise.race([exited, new Promise((r) => setTimeout(r, 3000))]);
    if (this.proc.exitCode === null) this.proc.kill("SIGKILL");
  }
}

/** Starts `hardhat node` on 127.0.0.1 and a free port. */
export async function startChain(): Promise<Chain> {
  const port = await freePort();
  const cli = join(dirname(require.resolve("hardhat/package.json")), "dist", "src", "cli.js");
  const proc = spawn(
    process.execPath,
    [
      cli,
      "--config",
      join(here, "fixtures", "hardhat.config.ts"),
      "node",
      "--hostname",
      "127.0.0.1",
      "--port",
      String(port),
    ],
    {
      cwd: join(here, "fixtures"),
      stdio: ["ignore", "ignore", "pipe"],
    },
  );
  let stderr = "";
  proc.stderr!.on("data", (d) => (stderr += d));
  const chain = new Chain(`http://127.0.0.1:${port}`, proc);
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (proc.exitCode !== null) throw new Error(`hardhat node exited: ${stderr}`);
    try {
      [chain.account] = await chain.rpc<string[]>("eth_accounts");
      return chain;
    } catch {
      if (Date.now() > deadline) {
        await chain.stop();
        throw new Error(`hardhat node did not start: ${stderr}`);
      }
      await new Promise((r) => setTimeout(r, 200));
    }
  }
}

export const TIPJAR_ADDRESS = "0x5fbdb2315678afecb367f032d93f642f64180aa3";

export const FACTORY_ADDRESS = "0xe7f1725e7734ce288f8367e1bb143e90bb3f0512";

/**
 * Builds the fixture subgraph and deploys TipJar and TipJarFactory (the first account's
 * first two transactions: the fixed addresses of the manifest).
 */
export async function deployTipJar(
  chain: Chain,
): Promise<{ dir: string; artifact: Artifact; tipjar: TipJar; factory: Factory }> {
  const { dir, artifact, factory } = buildFixture();
  for (const [bytecode, expected] of [
    [artifact.bytecode, TIPJAR_ADDRESS],
    [factory.bytecode, FACTORY_ADDRESS],
  ]) {
    const { contractAddress } = await chain.send(null, bytecode);
    if (contractAddress?.toLowerCase() !== expected)
      throw new Error(`contract deployed at ${contractAddress}, manifest expects ${expected}`);
  }
  return { dir, artifact, tipjar: new TipJar(chain, artifact), factory: new Factory(chain, factory) };
}

/** TipJarFactory: each jar it creates becomes a data source of the Jar template. */
export class Factory {
  readonly chain: Chain;
  readonly abi: Artifact["abi"];
  constructor(chain: Chain, artifact: Artifact) {
    this.chain = chain;
    this.abi = artifact.abi;
  }
  async #send(functionName: string, args: unknown[]) {
    const r = await this.chain.send(
      FACTORY_ADDRESS,
      encodeFunctionData({ abi: this.abi as never, functionName, args } as never),
    );
    const receipt = await this.chain.rpc("eth_getTransactionReceipt", [r.hash]);
    // JarCreated(indexed jar, indexed owner, label): the jar is topic 1.
    const created = receipt.logs.find((l: { address: string }) => l.address.toLowerCase() === FACTORY_ADDRESS);
    return { ...r, jar: ("0x" + created.topics[1].slice(26)) as string };
  }
  create(label: string) {
    return this.#send("create", [label]);
  }
  createAndTip(label: string, artist: string, amount: bigint, message: string) {
    return this.#send("createAndTip", [label, artist, amount, message]);
  }
  /** Tips a jar directly. */
  tipJar(jar: string, artist: string, amount: bigint, message: string, tipjarAbi: Artifact["abi"]) {
    return this.chain.send(
      jar,
      encodeFunctionData({
        abi: tipjarAbi as never,
        functionName: "tip",
        args: [artist, amount, message, "0x"],
      } as never),
    );
  }
}

export class TipJar {
  readonly chain: Chain;
  readonly abi: Artifact["abi"];
  constructor(chain: Chain, artifact: Artifact) {
    this.chain = chain;
    this.abi = artifact.abi;
  }
  #call(functionName: string, args: unknown[]) {
    return this.chain.send(TIPJAR_ADDRESS, encodeFunctionData({ abi: this.abi as never, functionName, args } as never));
  }
  tip(artist: string, amount: bigint, message: string, data = "0x") {
    return this.#call("tip", [artist, amount, message, data]);
  }
  tipMany(artist: string, count: number, amount: bigint) {
    return this.#call("tipMany", [artist, BigInt(count), amount]);
  }
  rename(name: string) {
    return this.#call("rename", [name]);
  }
}

export const ARTIST_A = "0x00000000000000000000000000000000000000aa";
export const ARTIST_B = "0x00000000000000000000000000000000000000bb";
