// Benchmark of the HarmonieCORE subgraph on graph-runner (not part of the tests):
// 10,000 real tips through HarmonieTipping on a local Hardhat node (many transactions per block),
// then indexing throughput, tip-to-queryable latency and two typical queries' latencies.
//
//   npm run bench -w @harmonie/subgraph      (needs `npm run build -w @harmonie/subgraph` first)
//
// BENCH_TIPS (10000), BENCH_PER_BLOCK (200 transactions per block), BENCH_ARTISTS (50),
// BENCH_POLL_MS (the runner's chain polling, 100), BENCH_RANGE (blocks per eth_getLogs, 500).
import { startRunner } from "@harmonie/graph-runner";
import { encodeFunctionData, parseEther, type Hex } from "viem";
import { rpc, startLocalChain } from "../../scripts/local-chain.ts";
import { tip, tipCall } from "../../sdk/src/actions/tipping.ts";
import { formatLatency, postQuery, timeQuery, waitUntilVisible } from "../runner/bench/measure.ts";
import { blockNumber, KEYS, prepareSubgraph, wallet } from "../test/support.ts";

const TIPS = Number(process.env.BENCH_TIPS ?? 10_000);
const PER_BLOCK = Number(process.env.BENCH_PER_BLOCK ?? 200);
const ARTISTS = Number(process.env.BENCH_ARTISTS ?? 50);
const POLL_MS = Number(process.env.BENCH_POLL_MS ?? 100);
const RANGE = Number(process.env.BENCH_RANGE ?? 500);
const FANS = 10;
const LATENCY_SAMPLES = 20;

const artist = (i: number) => ("0x" + (0xa000 + i).toString(16).padStart(40, "0")) as Hex;
const seconds = (ms: number) => (ms / 1000).toFixed(2) + " s";

const chain = await startLocalChain({ deploy: true });
const deployment = chain.deployment;
const subgraph = prepareSubgraph(deployment);
try {
  // ---- 10,000 tips: unlocked Hardhat accounts, explicit nonces, PER_BLOCK transactions per block.
  const fans = (await rpc<Hex[]>(chain.rpcUrl, "eth_accounts")).slice(10, 10 + FANS);
  const nonces = await Promise.all(
    fans.map(async (f) => Number(await rpc<string>(chain.rpcUrl, "eth_getTransactionCount", [f, "pending"]))),
  );
  const tipping = deployment.contracts.HarmonieTipping.address;
  const minimum = parseEther("0.01");
  await rpc(chain.rpcUrl, "evm_setAutomine", [false]);
  const t0 = performance.now();
  for (let sent = 0; sent < TIPS;) {
    const batch = [];
    for (let i = 0; i < PER_BLOCK && sent < TIPS; i++, sent++) {
      const f = sent % FANS;
      const call = tipCall({ deployment, artist: artist(sent % ARTISTS), amount: minimum, message: `tip #${sent}` });
      batch.push({
        jsonrpc: "2.0",
        id: sent,
        method: "eth_sendTransaction",
        params: [
          {
            from: fans[f],
            to: tipping,
            nonce: "0x" + (nonces[f]++).toString(16),
            gas: "0x30000",
            // 0.01 CORE plus a few wei, so that amounts differ.
            value: "0x" + (minimum + BigInt(sent)).toString(16),
            data: encodeFunctionData(call),
          },
        ],
      });
    }
    const res = await fetch(chain.rpcUrl, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(batch),
    });
    const errors = ((await res.json()) as { error?: { message: string } }[]).filter((r) => r.error);
    if (errors.length) throw new Error(`eth_sendTransaction: ${errors[0].error!.message}`);
    await rpc(chain.rpcUrl, "evm_mine");
  }
  await rpc(chain.rpcUrl, "evm_setAutomine", [true]);
  const last = await blockNumber(chain.rpcUrl);
  const tipSent = await rpc<unknown[]>(chain.rpcUrl, "eth_getLogs", [
    { fromBlock: "0x0", toBlock: "latest", address: tipping },
  ]);
  const tipLogs = tipSent.length - 1; // the constructor's FeeUpdated
  if (tipLogs !== TIPS) throw new Error(`expected ${TIPS} tip events on chain, found ${tipLogs}`);
  console.log(
    `chain: ${TIPS} tips (${PER_BLOCK} per block, ${ARTISTS} artists, ${FANS} fans) up to block ${last} in ${seconds(performance.now() - t0)}`,
  );

  // ---- Indexing throughput (catch-up from the deployment block).
  const t1 = performance.now();
  const runner = await startRunner({
    subgraph: subgraph.dir,
    rpc: chain.rpcUrl,
    port: 0,
    pollMs: POLL_MS,
    maxRange: RANGE,
    name: "harmonie",
    log: () => {},
  });
  try {
    const t2 = performance.now();
    const cpu = process.cpuUsage();
    await runner.waitForBlock(last, 600_000);
    const indexing = performance.now() - t2;
    const { user, system } = process.cpuUsage(cpu);
    const totals = await postQuery(runner.url, '{ protocol(id: "harmonie") { tipCount } }');
    if (totals.protocol.tipCount !== String(TIPS)) throw new Error(`indexed ${totals.protocol.tipCount} tips`);
    console.log(`runner startup (PGlite in memory, schema, HTTP server): ${seconds(t2 - t1)}`);
    console.log(
      `indexed ${TIPS} tips in ${seconds(indexing)}: ${(TIPS / (indexing / 1000)).toFixed(0)} events/s ` +
        `(${((TIPS / (performance.now() - t1)) * 1000).toFixed(0)} events/s including startup; ` +
        `runner process CPU ${seconds((user + system) / 1000)}: ${(TIPS / ((user + system) / 1e6)).toFixed(0)} events per CPU-second)`,
    );

    // ---- Tip-to-queryable latency: receipt in hand (the tip is mined) → the tip answers a query.
    const fan = wallet(chain.rpcUrl, KEYS[0]);
    const latencies: number[] = [];
    for (let i = 0; i < LATENCY_SAMPLES; i++) {
      // Tips arrive at random points of the runner's polling cycle, not right after it saw the last one.
      await new Promise((r) => setTimeout(r, Math.random() * POLL_MS));
      const { hash, receipt } = await tip(fan, {
        deployment,
        artist: artist(i % ARTISTS),
        amount: minimum,
        message: `latency ${i}`,
      });
      const mined = performance.now();
      const id = `${hash}-${receipt.logs[0].logIndex}`;
      latencies.push(
        await waitUntilVisible(
          async () => (await postQuery(runner.url, `{ tip(id: "${id}") { id } }`)).tip !== null,
          mined,
        ),
      );
    }
    console.log(
      `tip-to-queryable latency (mined → visible over HTTP, poll ${POLL_MS} ms): ${formatLatency(latencies, 0)}`,
    );

    // ---- Query latencies over HTTP.
    const topArtists = "{ artists(first: 10, orderBy: tipVolume, orderDirection: desc) { id tipVolume tipCount } }";
    const latestTips = `{ tips(first: 100, where: { artist: "${artist(7)}" }, orderBy: timestamp, orderDirection: desc) { id amount message from { id } timestamp } }`;
    const check = await postQuery(runner.url, latestTips);
    if (check.tips.length !== 100) throw new Error(`latest tips query returned ${check.tips.length} tips`);
    console.log(`top 10 artists by total tips: ${formatLatency(await timeQuery(runner.url, topArtists, 200))}`);
    console.log(`latest 100 tips of one artist: ${formatLatency(await timeQuery(runner.url, latestTips, 200))}`);
  } finally {
    await runner.stop();
  }
} finally {
  subgraph.remove();
  await chain.stop();
}
