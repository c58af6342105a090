// Unit tests for the trace and IPFS helpers: the three trace formats reduced to one call list,
// trace method detection, graph-node's content path parsing, and the file monitor's retries.
import assert from "node:assert/strict";
import { createServer, type Server } from "node:http";
import { after, before, describe, test } from "node:test";
import { FileMonitor, IpfsGateway, parseContentPath, parseCid } from "../src/ipfs.ts";
import { Rpc } from "../src/rpc.ts";
import { detectTraceMethod, fetchCalls } from "../src/traces.ts";

/** A JSON-RPC server answering from `handle` (method, params) → result, or { error }. */
async function fakeRpc(handle: (method: string, params: any[]) => unknown): Promise<{ url: string; server: Server }> {
  const server = createServer(async (req, res) => {
    let body = "";
    for await (const chunk of req) body += chunk;
    const parsed = JSON.parse(body);
    const answer = (c: { id: number; method: string; params: any[] }) => {
      const r = handle(c.method, c.params) as { error?: unknown } | undefined;
      return r && typeof r === "object" && "error" in r
        ? { jsonrpc: "2.0", id: c.id, error: r.error }
        : { jsonrpc: "2.0", id: c.id, result: r };
    };
    res
      .writeHead(200, { "content-type": "application/json" })
      .end(JSON.stringify(Array.isArray(parsed) ? parsed.map(answer) : answer(parsed)));
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return { url: `http://127.0.0.1:${(server.address() as { port: number }).port}`, server };
}

const A = "0x00000000000000000000000000000000000000aa";
const B = "0x00000000000000000000000000000000000000bb";
const C = "0x00000000000000000000000000000000000000cc";

describe("traces", () => {
  const servers: Server[] = [];
  after(() => servers.forEach((s) => s.close()));

  test("trace_filter (Parity): calls kept with their errors, creates and rewards dropped", async () => {
    let filter: any;
    const { url, server } = await fakeRpc((method, params) => {
      assert.equal(method, "trace_filter");
      filter = params[0];
      const base = { blockHash: "0xh5", blockNumber: 5, transactionHash: "0xt1", transactionPosition: 0 };
      return [
        {
          ...base,
          type: "call",
          action: { callType: "call", from: A, to: B, value: "0x0", input: "0x12345678" },
          result: { gasUsed: "0x10", output: "0x01" },
          traceAddress: [],
        },
        {
          ...base,
          type: "call",
          action: { callType: "delegatecall", from: B, to: C, input: "0xabcdef01" },
          error: "Reverted",
          traceAddress: [0],
        },
        {
          ...base,
          type: "create",
          action: { from: B, value: "0x0", init: "0x" },
          result: { address: C },
          traceAddress: [1],
        },
        { blockHash: "0xh5", blockNumber: 5, type: "reward", action: { author: A, value: "0x1" } },
      ];
    });
    servers.push(server);
    const calls = await fetchCalls(new Rpc(url), "trace_filter", 5, 6, [B], async () =>
      assert.fail("no blocks needed"),
    );
    assert.deepEqual(filter, { fromBlock: "0x5", toBlock: "0x6", toAddress: [B] });
    assert.deepEqual(calls, [
      {
        blockNumber: 5,
        blockHash: "0xh5",
        transactionHash: "0xt1",
        transactionIndex: 0,
        from: A,
        to: B,
        value: "0x0",
        gasUsed: "0x10",
        input: "0x12345678",
        output: "0x01",
      },
      {
        blockNumber: 5,
        blockHash: "0xh5",
        transactionHash: "0xt1",
        transactionIndex: 0,
        from: B,
        to: C,
        value: "0x0",
        gasUsed: "0x0",
        input: "0xabcdef01",
        output: "0x",
        error: "Reverted",
      },
    ]);
  });

  test("callTracer trees (debug_traceTransaction, debug_traceBlockByNumber) flatten depth first, as Parity orders frames", async () => {
    const tree = {
      type: "CALL",
      from: A,
      to: B,
      input: "0x11111111",
      output: "0x",
      gasUsed: "0x1",
      calls: [
        {
          type: "STATICCALL",
          from: B,
          to: C,
          input: "0x22222222",
          output: "0x02",
          calls: [{ type: "CALL", from: C, to: A, input: "0x33333333" }],
        },
        { type: "CREATE", from: B, to: C, input: "0x6080" },
        { type: "DELEGATECALL", from: B, to: C, input: "0x44444444", error: "execution reverted" },
      ],
    };
    const { url, server } = await fakeRpc((method, params) => {
      if (method === "debug_traceTransaction") return tree;
      if (method === "debug_traceBlockByNumber") return [{ txHash: "0xt9", result: tree }];
      return assert.fail(`unexpected ${method} ${JSON.stringify(params)}`);
    });
    servers.push(server);
    const blocks = async () => [
      { number: 7, hash: "0xh7", transactions: [] },
      { number: 8, hash: "0xh8", transactions: ["0xt9"] },
    ];
    for (const method of ["debug_traceTransaction", "debug_traceBlockByNumber"] as const) {
      const calls = await fetchCalls(new Rpc(url), method, 7, 8, undefined, blocks);
      assert.deepEqual(
        calls.map((c) => [
          c.blockNumber,
          c.blockHash,
          c.transactionHash,
          c.transactionIndex,
          c.from,
          c.to,
          c.input,
          c.error,
        ]),
        [
          [8, "0xh8", "0xt9", 0, A, B, "0x11111111", undefined],
          [8, "0xh8", "0xt9", 0, B, C, "0x22222222", undefined],
          [8, "0xh8", "0xt9", 0, C, A, "0x33333333", undefined],
          [8, "0xh8", "0xt9", 0, B, C, "0x44444444", "execution reverted"],
        ],
        method,
      );
    }
  });

  test("detection: the first method the node has; arguments it rejects still count", async () => {
    const { url, server } = await fakeRpc((method) => {
      if (method === "eth_blockNumber") return "0x10";
      if (method === "trace_filter")
        return { error: { code: -32601, message: "the method trace_filter does not exist/is not available" } };
      if (method === "debug_traceBlockByNumber")
        return { error: { code: -32004, message: "Method debug_traceBlockByNumber is not supported" } };
      return { error: { code: -32000, message: "transaction 0x00 not found" } };
    });
    servers.push(server);
    assert.equal(await detectTraceMethod(new Rpc(url)), "debug_traceTransaction");
    const none = await fakeRpc((method) =>
      method === "eth_blockNumber" ? "0x1" : { error: { code: -32601, message: "Method not found" } },
    );
    servers.push(none.server);
    assert.equal(await detectTraceMethod(new Rpc(none.url)), null);
  });
});

describe("IPFS", () => {
  const v0 = "QmUNLLsPACCz1vLxQVkXqqLX5R1X345qqfHbsf67hvA3Nn";
  const v1 = "bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdi";

  test("content paths and CIDs are parsed like graph-node's ContentPath", () => {
    for (const input of [
      v0,
      `/ipfs/${v0}`,
      `ipfs://${v0}`,
      `ipfs/${v0}/`,
      `https://gw.example/ipfs/${v0}`,
      `http://x/api/v0/cat?arg=${v0}`,
    ])
      assert.equal(parseContentPath(input).text, v0, input);
    assert.equal(parseContentPath(`${v1}/a/b.json`).text, `${v1}/a/b.json`);
    assert.equal(parseContentPath(`${v1}/a/b.json`).path, "a/b.json");
    // v1 in another multibase is printed in base32, as graph-node prints a CID.
    assert.equal(parseCid("B" + v1.slice(1).toUpperCase())?.text, v1);
    assert.equal(parseCid(v0)?.hash, 0x12);
    assert.throws(() => parseContentPath(""), /content path is empty/);
    assert.throws(() => parseContentPath("not a CID"), /invalid CID/);
    assert.throws(() => parseContentPath(`${v0}/x?y=1`), /query parameters not allowed/);
    assert.equal(parseCid("Qm" + "1".repeat(44)), null);
  });

  describe("monitor", () => {
    let server: Server;
    let url: string;
    let available = false;
    let requests = 0;
    before(async () => {
      server = createServer((req, res) => {
        requests++;
        if (available && req.url === `/ipfs/${v0}`) res.writeHead(200).end("hello");
        else res.writeHead(404).end("not found");
      });
      await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
      url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
    });
    after(() => server.close());

    test("a missing file is asked for again with a backoff until it is there", async () => {
      const logs: string[] = [];
      const monitor = new FileMonitor(new IpfsGateway(url, 1000), {
        minBackoffMs: 20,
        maxBackoffMs: 40,
        log: (l) => logs.push(l),
      });
      try {
        monitor.add(parseContentPath(v0));
        monitor.add(parseContentPath(`/ipfs/${v0}`)); // the same file: asked for once
        await new Promise((r) => setTimeout(r, 200));
        assert.equal(monitor.take().size, 0);
        assert.ok(requests >= 3, `asked ${requests} times`);
        assert.equal(logs.length, 1);
        assert.match(logs[0], /not available yet \(.* answered HTTP 404/);
        available = true;
        const deadline = Date.now() + 2000;
        let ready = monitor.take();
        while (!ready.size && Date.now() < deadline) {
          await new Promise((r) => setTimeout(r, 20));
          ready = monitor.take();
        }
        assert.deepEqual(
          [...ready].map(([k, v]) => [k, Buffer.from(v).toString()]),
          [[v0, "hello"]],
        );
        assert.deepEqual(monitor.waiting, []);
      } finally {
        monitor.stop();
      }
    });
  });
});
