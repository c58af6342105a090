// Measurement helpers shared by benchmarks (this package's and the subgraphs' that run on it).

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
