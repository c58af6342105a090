// Benchmark (not part of the tests): index 10,000 `Tipped` events from a local Hardhat node with
// graph-runner and, on the same chain in the same run, with Ponder (bench/ponder.ts); then
// event-to-queryable latency and query latencies. Prints its goals and exits 1 when one is missed.
//
//   npm run bench -w @harmonie/graph-runner
//
// BENCH_EVENTS (10000), BENCH_PER_TX (10), BENCH_RANGE (blocks per eth_getLogs, 100), BENCH_ROUNDS
// (runner/Ponder pairs, interleaved, 3), BENCH_WARMUP=0 (no uncounted first catch-up), BENCH_PONDER=0 (skip Ponder), BENCH_CPU_PROFILE=<file>
// (profile a runner's indexing, the main thread: the first round's, or BENCH_CPU_PROFILE_ROUND's,
// e.g. the last one for warm code), BENCH_BASELINE=<path>/src/runner.ts (another graph-runner, e.g. an
// older commit's checkout, run before this one in each round on the same chain: a before/after
// comparison under the same load; not part of the goals).
import path from "node:path";
import { startRunner } from "../src/runner.ts";
import { ARTIST_A, deployTipJar, startChain, TIPJAR_ADDRESS } from "../test/helpers.ts";
import {
  checkGoals,
  formatLatency,
  load,
  median,
  percentile,
  profiled,
  timeQuery,
  waitUntilVisible,
} from "./measure.ts";
import { PONDER_VERSION, runPonder } from "./ponder.ts";

const EVENTS = Number(process.env.BENCH_EVENTS ?? 10_000);
// Events per transaction: the handler asks for receipts, so every event carries all of its tx's logs (cost grows with this).
const PER_TX = Number(process.env.BENCH_PER_TX ?? 10);
const RANGE = Number(process.env.BENCH_RANGE ?? 100);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
// One catch-up before the measured rounds, reported but not counted: the process's first run compiles
// the runner's code and the mapping's wasm, a cold start a long-running indexer is past.
const WARMUP = process.env.BENCH_WARMUP !== "0";
const PONDER = process.env.BENCH_PONDER !== "0";
const PROFILE_ROUND = Number(process.env.BENCH_CPU_PROFILE_ROUND ?? 1);
const ARTISTS = 20;
const LATENCY_SAMPLES = 20;
const artist = (i: number) => "0x" + (0x1000 + i).toString(16).padStart(40, "0");

const chain = await startChain();
try {
  const { dir, tipjar, artifact } = await deployTipJar(chain);
  let last = 0;
  for (let sent = 0, i = 0; sent < EVENTS; sent += PER_TX, i++) {
    last = (await tipjar.tipMany(artist(i % ARTISTS), Math.min(PER_TX, EVENTS - sent), BigInt(i + 1))).blockNumber;
  }
  console.log(`chain ready: ${EVENTS} events (${PER_TX} per transaction, receipt: true) up to block ${last}`);

  const runnerRates: number[] = [];
  // Events per CPU-second of the whole process (PGlite's worker thread included): what the load average does not move.
  const cpuRates: number[] = [];
  const ponderRates: number[] = [];
  const latencies: number[] = [];
  const baseline = process.env.BENCH_BASELINE
    ? ((await import(path.resolve(process.env.BENCH_BASELINE))) as { startRunner: typeof startRunner })
    : undefined;
  const baseRates: number[] = [];
  const baseCpuRates: number[] = [];
  if (WARMUP) {
    const warm = await indexOnce(startRunner, "graph-runner warm-up (not counted)", 0, dir, last, false);
    await warm.runner.stop();
  }
  for (let round = 1; round <= ROUNDS; round++) {
    if (baseline) {
      const r = await indexOnce(baseline.startRunner, "baseline", round, dir, last, false);
      await r.runner.stop();
      baseRates.push(r.rate);
      baseCpuRates.push(r.cpuRate);
    }
    const r = await indexOnce(startRunner, "graph-runner", round, dir, last, round === PROFILE_ROUND);
    runnerRates.push(r.rate);
    cpuRates.push(r.cpuRate);
    const runner = r.runner;
    try {
      if (round === ROUNDS) {
        // In the last round (warm code), after one tip that is not counted; tips arrive at random
        // points of the runner's polling cycle.
        for (let i = -1; i < LATENCY_SAMPLES; i++) {
          await new Promise((r) => setTimeout(r, Math.random() * 20));
          const message = `latency ${i}`;
          const start = performance.now();
          await tipjar.tip(ARTIST_A, 1n, message);
          const latency = await waitUntilVisible(async () => {
            const res = await runner.query(`{ tips(where: { message: "${message}" }) { id } }`);
            return res.data.tips.length > 0;
          }, start);
          if (i >= 0) latencies.push(latency);
        }
        console.log(
          `event-to-queryable latency (tx sent → visible in a query, poll 20 ms): ${formatLatency(latencies, 0)} ${load()}`,
        );
        const time = async (name: string, query: string) =>
          console.log(`${name}: ${formatLatency(await timeQuery(runner.url, query, 100))} ${load()}`);
        await time(
          "top-10 artists by total",
          "{ artists(first: 10, orderBy: total, orderDirection: desc) { id total tipCount } }",
        );
        await time(
          "latest 100 tips for one artist",
          `{ tips(first: 100, where: { artist: "${artist(3)}" }, orderBy: blockNumber, orderDirection: desc) { id amount message blockNumber } }`,
        );
      }
    } finally {
      await runner.stop();
    }

    // ---- Ponder on the same chain, the same events and the same work per event (bench/ponder-tipjar).
    if (!PONDER) continue;
    const ponder = await runPonder({
      appDir: new URL("./ponder-tipjar", import.meta.url).pathname,
      files: { "abi.ts": `export const TipJarAbi = ${JSON.stringify(artifact.abi)} as const;\n` },
      env: { PONDER_RPC_URL: chain.url, TIPJAR_ADDRESS, START_BLOCK: "1", END_BLOCK: String(last) },
      lastBlock: last,
    });
    try {
      const res = await fetch(ponder.graphql, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ query: "{ artists(limit: 1000) { items { tipCount } } }" }),
      });
      const items = ((await res.json()) as { data: { artists: { items: { tipCount: number }[] } } }).data.artists.items;
      const tips = items.reduce((n, a) => n + a.tipCount, 0);
      if (tips !== EVENTS) throw new Error(`Ponder indexed ${tips} tips, expected ${EVENTS}`);
      const secs = ponder.indexingMs / 1000;
      ponderRates.push(EVENTS / secs);
      console.log(
        `round ${round} Ponder ${PONDER_VERSION}: ${(EVENTS / secs).toFixed(0)} events/s (${secs.toFixed(2)} s after a ` +
          `${(ponder.startupMs / 1000).toFixed(2)} s startup; its last 30 blocks, its finality depth here, one at a time) ${load()}`,
      );
    } finally {
      await ponder.stop();
    }
  }

  if (baseline)
    console.log(
      `baseline median ${median(baseRates).toFixed(0)} events/s (${median(baseCpuRates).toFixed(0)} events per CPU-second) ${load()}`,
    );
  const rate = median(runnerRates);
  const ratio = PONDER ? median(runnerRates.map((r, i) => r / ponderRates[i])) : undefined;
  console.log(
    `graph-runner median ${rate.toFixed(0)} events/s over ${ROUNDS} rounds (${median(cpuRates).toFixed(0)} events per CPU-second) ${load()}`,
  );
  if (ratio !== undefined) console.log(`graph-runner ÷ Ponder (median of the rounds' ratios): ${ratio.toFixed(2)}×`);
  const ok = checkGoals([
    { goal: "indexing ≥ 10,000 events/s", met: rate >= 10_000, value: `${rate.toFixed(0)} events/s` },
    {
      goal: "event → queryable p95 ≤ 200 ms",
      met: percentile(latencies, 95) <= 200,
      value: `${percentile(latencies, 95).toFixed(0)} ms`,
    },
    ...(ratio !== undefined
      ? [{ goal: "≥ 2× Ponder's events/s", met: ratio >= 2, value: `${ratio.toFixed(2)}×` }]
      : []),
  ]);
  process.exitCode = ok ? 0 : 1;
} finally {
  await chain.stop();
}

/** One catch-up from the start block to `last` (PGlite in memory) by the graph-runner `start` starts. */
async function indexOnce(
  start: typeof startRunner,
  name: string,
  round: number,
  dir: string,
  last: number,
  profile: boolean,
): Promise<{ rate: number; cpuRate: number; runner: Awaited<ReturnType<typeof startRunner>> }> {
  const t0 = performance.now();
  const runner = await start({
    subgraph: dir,
    rpc: chain.url,
    port: 0,
    pollMs: 20,
    name: "bench",
    log: () => {},
    maxRange: RANGE,
  });
  try {
    const t1 = performance.now();
    const cpu = process.cpuUsage();
    const main = process.threadCpuUsage();
    await profiled(profile ? process.env.BENCH_CPU_PROFILE : undefined, () => runner.waitForBlock(last, 600_000));
    const secs = (performance.now() - t1) / 1000;
    const { user, system } = process.cpuUsage(cpu);
    const mainCpu = process.threadCpuUsage(main);
    const { rpcWaitMs, handlersMs, commitMs } = runner.indexer.phases;
    console.log(
      `round ${round} ${name}: ${(EVENTS / secs).toFixed(0)} events/s (${secs.toFixed(2)} s after a ` +
        `${((t1 - t0) / 1000).toFixed(2)} s startup; CPU ${((user + system) / 1e6).toFixed(2)} s, main thread ` +
        `${((mainCpu.user + mainCpu.system) / 1e6).toFixed(2)} s; rpc wait ${rpcWaitMs.toFixed(0)} ms, handlers ` +
        `${handlersMs.toFixed(0)} ms, waiting for commits ${commitMs.toFixed(0)} ms) ${load()}`,
    );
    return { rate: EVENTS / secs, cpuRate: EVENTS / ((user + system) / 1e6), runner };
  } catch (e) {
    await runner.stop();
    throw e;
  }
}
