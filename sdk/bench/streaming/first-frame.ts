/**
 * Offer → first decoded frame on loopback (rooms provider, real Chromium, fake camera), p50 over 10
 * joins. Goal ≤ 250 ms. The clock starts when the fan's page receives the artist's SDP offer and stops
 * at the first `requestVideoFrameCallback` of the fan's <video>.
 */
import { startSignallingService } from "../../../services/src/signalling/signalling-service.ts";
import { KEYS, startChain } from "../../../testkit/src/chain.ts";
import { launchChromium, openPage, startPageServer } from "../../../testkit/src/web.ts";

declare const h: {
  goLive(s: object): Promise<{ ok: boolean; value?: string; message?: string }>;
  watch(s: object): Promise<{ ok: boolean; value?: number; message?: string }>;
  leave(): Promise<unknown>;
  end(): Promise<unknown>;
};
const JOINS = 10;
const [chain, pages, browser] = await Promise.all([startChain(), startPageServer(), launchChromium()]);
const service = await startSignallingService({ rpcUrl: chain.rpcUrl, deployment: chain.deployment });
try {
  const base = { rpcUrl: chain.rpcUrl, deployment: chain.deployment, signallingUrl: service.url };
  const artist = await openPage(browser, pages.url);
  const live = await artist.evaluate((s) => h.goLive(s), { ...base, key: KEYS.artist, title: "Bench" } as never);
  if (!live.ok) throw new Error(live.message);
  const samples: number[] = [];
  for (let i = 0; i < JOINS; i++) {
    const fan = await openPage(browser, pages.url);
    const key = [KEYS.fan1, KEYS.fan2, KEYS.fan3][i % 3];
    const watched = await fan.evaluate((s) => h.watch(s), { ...base, key, streamId: live.value } as never);
    if (!watched.ok) throw new Error(watched.message);
    samples.push(watched.value!);
    await fan.evaluate(() => h.leave());
    await fan.context().close();
  }
  await artist.evaluate(() => h.end());
  const sorted = [...samples].sort((a, b) => a - b);
  const p50 = (sorted[4]! + sorted[5]!) / 2;
  console.log(
    `offer → first decoded frame (loopback, ${JOINS} joins): p50 ${p50.toFixed(0)} ms · min ${sorted[0]!.toFixed(0)} · max ${sorted.at(-1)!.toFixed(0)} ms · goal ≤ 250 ms ${p50 <= 250 ? "MET" : "MISSED"}`,
  );
  console.log(`  samples: ${samples.map((s) => s.toFixed(0)).join(", ")} ms`);
  if (!(p50 <= 250)) process.exitCode = 1; // a missed goal fails the benchmark
} finally {
  await browser.close();
  await service.close();
  await pages.close();
  await chain.stop();
}
