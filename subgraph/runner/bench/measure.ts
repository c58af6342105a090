// Measurement helpers shared by benchmarks (this package's and the subgraphs' that run on it).
import os from "node:os";

/** The p-th percentile (0–100) of samples, nearest-rank. */
export function percentile(samples: number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

/** "p50 X ms, p95 Y ms" of samples in milliseconds. */
export function formatLatency(samples: number[], digits = 1): string {
  return `p50 ${percentile(samples, 50).toFixed(digits)} ms, p95 ${percentile(samples, 95).toFixed(digits)} ms`;
}

/** Posts a GraphQL query over HTTP, as a client does; throws on GraphQL errors. */
export async function postQuery(url: string, query: string): Promise<any> {
  const res = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ query }),
  });
  const body = await res.json();
  if (body.errors) throw new Error(JSON.stringify(body.errors));
  return body.data;
}

/** Latencies (ms) of `runs` sequential HTTP requests of one query, after a few warm-up requests. */
export async function timeQuery(url: string, query: string, runs = 100): Promise<number[]> {
  for (let i = 0; i < 5; i++) await postQuery(url, query);
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    await postQuery(url, query);
    samples.push(performance.now() - start);
  }
  return samples;
}

/** Polls `visible` every `intervalMs` until it is true; returns the milliseconds since `since`. */
export async function waitUntilVisible(
  visible: () => Promise<boolean>,
  since: number,
  intervalMs = 2,
): Promise<number> {
  while (!(await visible())) await new Promise((r) => setTimeout(r, intervalMs));
  return performance.now() - since;
}

/**
 * Runs `fn` under V8's CPU profiler when `path` is set (BENCH_CPU_PROFILE), writing a `.cpuprofile`
 * that Chrome DevTools opens; only `fn`'s window is sampled, not the chain set-up.
 */
export async function profiled<T>(path: string | undefined, fn: () => Promise<T>): Promise<T> {
  if (!path) return fn();
  const { Session } = await import("node:inspector/promises");
  const { writeFileSync } = await import("node:fs");
  const session = new Session();
  session.connect();
  await session.post("Profiler.enable");
  await session.post("Profiler.setSamplingInterval", { interval: 250 });
  await session.post("Profiler.start");
  try {
    return await fn();
  } finally {
    const { profile } = await session.post("Profiler.stop");
    writeFileSync(path, JSON.stringify(profile));
    session.disconnect();
  }
}

/** The median of samples. */
export function median(samples: number[]): number {
  const s = [...samples].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

/** "(load 1.23)": the 1-minute load average, printed with every figure (the machine is shared). */
export function load(): string {
  return `(load ${os.loadavg()[0].toFixed(2)})`;
}

/** Prints each goal as met or missed; true when all are met. */
export function checkGoals(goals: { goal: string; met: boolean; value: string }[]): boolean {
  console.log("goals:");
  for (const g of goals) console.log(`  ${g.met ? "met   " : "MISSED"} ${g.goal}: ${g.value}`);
  return goals.every((g) => g.met);
}
