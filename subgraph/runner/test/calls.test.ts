// Call handlers and `call` block handler filters on a real Hardhat node, from its call traces
// (EDR serves debug_traceTransaction with the callTracer), and the loud failure on an RPC without
// any trace method (a proxy that refuses them, as a node without traces does).
import assert from "node:assert/strict";
import { createServer, type Server } from "node:http";
import { after, before, describe, test } from "node:test";
import { encodeFunctionData } from "viem";
import { buildRegistryFixture, type Artifact } from "./fixtures/build.ts";
import { startChain, type Chain } from "./helpers.ts";
import { startRunner } from "../src/runner.ts";

const REGISTRY = "0x5fbdb2315678afecb367f032d93f642f64180aa3";
const BATCHER = "0xe7f1725e7734ce288f8367e1bb143e90bb3f0512";

/** A JSON-RPC proxy that answers the trace methods like a node that lacks them. */
async function withoutTraces(target: string): Promise<{ url: string; server: Server }> {
  const refused = new Set(["trace_filter", "debug_traceBlockByNumber", "debug_traceTransaction"]);
  const server = createServer(async (req, res) => {
    let body = "";
    for await (const chunk of req) body += chunk;
    const parsed = JSON.parse(body);
    const answer = async (call: { id: number; method: string }) =>
      refused.has(call.method)
        ? { jsonrpc: "2.0", id: call.id, error: { code: -32601, message: `Method ${call.method} is not supported` } }
        : ((await (
            await fetch(target, {
              method: "POST",
              headers: { "content-type": "application/json" },
              body: JSON.stringify(call),
            })
          ).json()) as unknown);
    const out = Array.isArray(parsed) ? await Promise.all(parsed.map(answer)) : await answer(parsed);
    res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(out));
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return { url: `http://127.0.0.1:${(server.address() as { port: number }).port}`, server };
}

describe("call handlers", () => {
  let chain: Chain;
  let dir: string;
  let registry: Artifact;
  let batcher: Artifact;
  const blocks: Record<string, number> = {};

  const send = async (to: string, abi: Artifact["abi"], functionName: string, args: unknown[]) => {
    const data = encodeFunctionData({ abi: abi as never, functionName, args } as never);
    try {
      return (await chain.send(to, data)).blockNumber;
    } catch {
      // Hardhat mines a reverting transaction and answers with the revert: its block is the latest.
      return chain.blockNumber();
    }
  };

  before(async () => {
    ({ dir, registry, batcher } = buildRegistryFixture());
    chain = await startChain();
    for (const [artifact, expected] of [
      [registry, REGISTRY],
      [batcher, BATCHER],
    ] as const) {
      const { contractAddress } = await chain.send(null, artifact.bytecode);
      assert.equal(contractAddress?.toLowerCase(), expected);
    }
    blocks.direct = await send(REGISTRY, registry.abi, "register", ["a"]);
    blocks.twice = await send(BATCHER, batcher.abi, "registerTwice", [REGISTRY, "b", "c"]);
    blocks.reverted = await send(BATCHER, batcher.abi, "registerThenRevert", [REGISTRY, "d"]);
    blocks.caught = await send(BATCHER, batcher.abi, "tryEmptyThenRegister", [REGISTRY, "e"]);
    blocks.other = await send(REGISTRY, registry.abi, "check", [999n]);
    blocks.view = await send(REGISTRY, registry.abi, "label", []);
  });
  after(async () => {
    await chain?.stop();
  });

  test("calls from traces: direct and internal, failed frames and failed transactions skipped, inputs and outputs", async () => {
    const runner = await startRunner({ subgraph: dir, rpc: chain.url, port: 0, pollMs: 50, log: () => {} });
    try {
      await runner.waitForBlock(blocks.view);
      const { data, errors } = await runner.query(
        "{ registrations(orderBy: registered) { cid registered from to txFrom blockNumber } calledBlocks(first: 100) { id runs } }",
      );
      assert.equal(errors, undefined);
      const account = chain.account.toLowerCase();
      const reg = (cid: string, registered: number, from: string, block: number) => ({
        cid,
        registered: String(registered),
        from,
        to: REGISTRY,
        txFrom: account,
        blockNumber: String(block),
      });
      assert.deepEqual(data.registrations, [
        reg("a", 1, account, blocks.direct),
        // Two internal calls in one transaction, in trace order.
        reg("b", 2, BATCHER, blocks.twice),
        reg("c", 3, BATCHER, blocks.twice),
        // `registerThenRevert`: the transaction failed, its successful inner call is not handled;
        // `tryEmptyThenRegister`: the reverted register("") frame is skipped.
        reg("e", 4, BATCHER, blocks.caught),
      ]);
      // The `call` filter: one run per block in which the registry was called (any function, twice in
      // one block still once). graph-node does not check the transaction's status for these, so the
      // reverted transaction's block counts (its inner call to the registry succeeded).
      const called = Object.fromEntries(data.calledBlocks.map((b: { id: string; runs: number }) => [b.id, b.runs]));
      assert.deepEqual(
        called,
        Object.fromEntries(
          [blocks.direct, blocks.twice, blocks.reverted, blocks.caught, blocks.other, blocks.view].map((b) => [
            String(b),
            1,
          ]),
        ),
      );
    } finally {
      await runner.stop();
    }
  });

  test("an RPC without trace methods fails the start, as graph-node does", async () => {
    const proxy = await withoutTraces(chain.url);
    try {
      await assert.rejects(
        startRunner({ subgraph: dir, rpc: proxy.url, port: 0, pollMs: 50, log: () => {} }),
        (e: Error) => {
          assert.match(e.message, /data source 'Registry' \(call handlers or `call` block filters\) need call traces/);
          assert.match(e.message, /serves none of trace_filter, debug_traceBlockByNumber or debug_traceTransaction/);
          assert.match(
            e.message,
            /A matching Ethereum network with NodeCapabilities \{ archive: false, traces: true \} was not found\./,
          );
          return true;
        },
      );
    } finally {
      proxy.server.close();
    }
  });
});
