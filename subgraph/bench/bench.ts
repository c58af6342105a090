// Benchmark of the HarmonieCORE subgraph on graph-runner (not part of the tests):
// 10,000 real tips through HarmonieTipping on a local Hardhat node (many transactions per block),
// then indexing throughput, tip-to-queryable latency and two typical queries' latencies. Prints its
// goals (≥ 10,000 events/s, tip → queryable p95 ≤ 200 ms) and exits 1 when one is missed.
//
//   npm run bench -w @harmonie/subgraph      (needs `npm run build -w @harmonie/subgraph` first)
//
// BENCH_TIPS (10000), BENCH_PER_BLOCK (200 transactions per block), BENCH_ARTISTS (50),
// BENCH_POLL_MS (the runner's chain polling, 100), BENCH_RANGE (most blocks per eth_getLogs, 500),
// BENCH_ROUNDS (1), BENCH_BASELINE (see below), BENCH_CPU_PROFILE=<file> (profile the first indexing).
import { startRunner } from "@harmonie/graph-runner";
import path from "node:path";
import { encodeFunctionData, parseEther, toEventSelector, type Hex } from "viem";
import { rpc, startLocalChain } from "../../scripts/local-chain.ts";
import { tip, tipCall } from "../../sdk/src/actions/tipping.ts";
import {
  checkGoals,
  formatLatency,
  load,
  median,
  percentile,
  postQuery,
  profiled,
  timeQuery,
  waitUntilVisible,
} from "../runner/bench/measure.ts";
import { blockNumber, KEYS, prepareSubgraph, wallet } from "../test/support.ts";

const TIPS = Number(process.env.BENCH_TIPS ?? 10_000);
const PER_BLOCK = Number(process.env.BENCH_PER_BLOCK ?? 200);
const ARTISTS = Number(process.env.BENCH_ARTISTS ?? 50);
const POLL_MS = Number(process.env.BENCH_POLL_MS ?? 100);
const RANGE = Number(process.env.BENCH_RANGE ?? 500);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 1);
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
    {
      fromBlock: "0x0",
      toBlock: "latest",
      address: tipping,
      topics: [toEventSelector("TipSent(address indexed,address,uint256 indexed,uint256,string)")],
    },
  ]);
  const tipLogs = tipSent.length;
  if (tipLogs !== TIPS) throw new Error(`expected ${TIPS} tip events on chain, found ${tipLogs}`);
  console.log(
    `chain: ${TIPS} tips (${PER_BLOCK} per block, ${ARTISTS} artists, ${FANS} fans) up to block ${last} in ${seconds(performance.now() - t0)}`,
  );

  // ---- Indexing throughput (catch-up from the deployment block), BENCH_ROUNDS times; with
  // BENCH_BASELINE (another graph-runner's src/runner.ts, e.g. a checkout of an older commit) each
  // round runs that one too, interleaved, so that a before/after comparison sees the same load.
  const variants: [string, typeof startRunner][] = [["graph-runner", startRunner]];
  if (process.env.BENCH_BASELINE) {
    const baseline = (await import(path.resolve(process.env.BENCH_BASELINE))) as { startRunner: typeof startRunner };
    variants.unshift(["baseline", baseline.startRunner]);
  }
  const rates = new Map<string, number[]>(variants.map(([name]) => [name, []]));
  for (let round = 1; round <= ROUNDS; round++) {
    for (const [name, start] of variants) {
      const t1 = performance.now();
      const runner = await start({
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
        const profile = round === 1 && name === "graph-runner" ? process.env.BENCH_CPU_PROFILE : undefined;
        await profiled(profile, () => runner.waitForBlock(last, 600_000));
        const indexing = performance.now() - t2;
        const { user, system } = process.cpuUsage(cpu);
        const totals = await postQuery(runner.url, '{ protocol(id: "harmonie") { tipCount } }');
        if (totals.protocol.tipCount !== String(TIPS)) throw new Error(`indexed ${totals.protocol.tipCount} tips`);
        const rate = TIPS / (indexing / 1000);
        rates.get(name)!.push(rate);
        const phases = runner.indexer.phases as typeof runner.indexer.phases | undefined;
        console.log(
          `round ${round} ${name}: indexed ${TIPS} tips in ${seconds(indexing)}: ${rate.toFixed(0)} events/s ` +
            `(startup ${seconds(t2 - t1)}; process CPU ${seconds((user + system) / 1000)}: ` +
            `${(TIPS / ((user + system) / 1e6)).toFixed(0)} events per CPU-second` +
            (phases
              ? `; rpc wait ${phases.rpcWaitMs.toFixed(0)} ms, handlers ${phases.handlersMs.toFixed(0)} ms, commits ${phases.commitMs.toFixed(0)} ms`
              : "") +
            `) ${load()}`,
        );
      } finally {
        await runner.stop();
      }
    }
  }
  for (const [name, list] of rates) console.log(`${name}: median ${median(list).toFixed(0)} events/s`);
  const rate = median(rates.get("graph-runner")!);

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
    await runner.waitForBlock(last, 600_000);

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
      `tip-to-queryable latency (mined → visible over HTTP, poll ${POLL_MS} ms): ${formatLatency(latencies, 0)} ${load()}`,
    );

    // ---- Query latencies over HTTP.
    const topArtists = "{ artists(first: 10, orderBy: tipVolume, orderDirection: desc) { id tipVolume tipCount } }";
    const latestTips = `{ tips(first: 100, where: { artist: "${artist(7)}" }, orderBy: timestamp, orderDirection: desc) { id amount message from { id } timestamp } }`;
    const check = await postQuery(runner.url, latestTips);
    if (check.tips.length !== 100) throw new Error(`latest tips query returned ${check.tips.length} tips`);
    console.log(
      `top 10 artists by total tips: ${formatLatency(await timeQuery(runner.url, topArtists, 200))} ${load()}`,
    );
    console.log(
      `latest 100 tips of one artist: ${formatLatency(await timeQuery(runner.url, latestTips, 200))} ${load()}`,
    );
    const ok = checkGoals([
      { goal: "indexing ≥ 10,000 events/s", met: rate >= 10_000, value: `${rate.toFixed(0)} events/s` },
      {
        goal: "tip → queryable p95 ≤ 200 ms",
        met: percentile(latencies, 95) <= 200,
        value: `${percentile(latencies, 95).toFixed(0)} ms`,
      },
    ]);
    process.exitCode = ok ? 0 : 1;
  } finally {
    await runner.stop();
  }
} finally {
  subgraph.remove();
  await chain.stop();
}
