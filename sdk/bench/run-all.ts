/**
 * `npm run bench -w sdk`: every SDK benchmark, one after another, each in its own process. A benchmark
 * that misses its goal exits non-zero; the others still run, and this exits non-zero if any missed.
 */
import { spawnSync } from "node:child_process";

const BENCHES = [
  "bench/bundle-size.ts",
  "bench/add-throughput.ts",
  "bench/streaming/first-frame.ts",
  "bench/streaming/signalling-load.ts",
  "bench/tab-tips.ts",
];

const missed: string[] = [];
for (const bench of BENCHES) {
  console.log(`\n▶ ${bench}`);
  const { status, signal } = spawnSync(process.execPath, [bench], { stdio: "inherit" });
  if (status !== 0) missed.push(`${bench} (${signal ?? `exit ${status}`})`);
}
console.log(missed.length === 0 ? "\nEvery SDK benchmark met its goal." : `\nMissed: ${missed.join(", ")}`);
process.exitCode = missed.length === 0 ? 0 : 1;
