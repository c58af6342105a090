// Benchmark (not part of the tests): index 10,000 events from a local Hardhat
// node, then measure event-to-queryable latency and query latencies.
import { startRunner } from "../src/runner.ts";
import { ARTIST_A, deployTipJar, startChain } from "../test/helpers.ts";
import { formatLatency, timeQuery, waitUntilVisible } from "./measure.ts";

const EVENTS = Number(process.env.BENCH_EVENTS ?? 10_000);
// Events per transaction: the handler asks for receipts, so every event carries all of its tx's logs (cost grows with this).
const PER_TX = Number(process.env.BENCH_PER_TX ?? 10);
const ARTISTS = 20;
const artist = (i: number) => "0x" + (0x1000 + i).toString(16).padStart(40, "0");

const chain = await startChain();
try {
  const { dir, tipjar } = await deployTipJar(chain);
  let last = 0;
  for (let sent = 0, i = 0; sent < EVENTS; sent += PER_TX, i++) {
    last = (await tipjar.tipMany(artist(i % ARTISTS), Math.min(PER_TX, EVENTS - sent), BigInt(i + 1))).blockNumber;
  }
  console.log(`chain ready: ${EVENTS} events up to block ${last}`);

  const t0 = performance.now();
  const runner = await startRunner({
    subgraph: dir,
    rpc: chain.url,
    port: 0,
    pollMs: 20,
    name: "bench",
    log: () => {},
    maxRange: Number(process.env.BENCH_RANGE ?? 100),
  });
  try {
    const t1 = performance.now();
    await runner.waitForBlock(last, 600_000);
    const secs = (performance.now() - t1) / 1000;
    console.log(`startup (PGlite, schema, server): ${((t1 - t0) / 1000).toFixed(2)} s`);
    console.log(`indexed ${EVENTS} events in ${secs.toFixed(2)} s: ${(EVENTS / secs).toFixed(0)} events/s`);

    const latencies: number[] = [];
    for (let i = 0; i < 10; i++) {
      const message = `latency ${i}`;
      const start = performance.now();
      await tipjar.tip(ARTIST_A, 1n, message);
      latencies.push(
        await waitUntilVisible(async () => {
          const res = await runner.query(`{ tips(where: { message: "${message}" }) { id } }`);
          return res.data.tips.length > 0;
        }, start),
      );
    }
    console.log(
      `event-to-queryable latency (tx sent → visible in a query, poll 20 ms): ${formatLatency(latencies, 0)}`,
    );

    const time = async (name: string, query: string) =>
      console.log(`${name}: ${formatLatency(await timeQuery(runner.url, query, 100))}`);
    await time(
      "top-10 artists by total",
      "{ artists(first: 10, orderBy: total, orderDirection: desc) { id total tipCount } }",
    );
    await time(
      "latest 100 tips for one artist",
      `{ tips(first: 100, where: { artist: "${artist(3)}" }, orderBy: blockNumber, orderDirection: desc) { id amount message blockNumber } }`,
    );
  } finally {
    await runner.stop();
  }
} finally {
  await chain.stop();
}
