/** WHIP from Chromium (fake camera/microphone) to the local werift endpoint: media arrives. */
import assert from "node:assert/strict";
import { test } from "node:test";
import { startWhipEndpoint } from "../../src/node/testing/whip-endpoint.ts";
import { eventually, launchChromium, openPage, startPageServer } from "./support/web.ts";

declare const h: {
  whip(url: string): Promise<{ ok: boolean; value?: string; name?: string; message?: string }>;
  whipState(): string | undefined;
  whipStop(): Promise<void>;
};

test("Chromium publishes over WHIP to a werift endpoint, which receives audio and video", async () => {
  const [whip, pages, browser] = await Promise.all([startWhipEndpoint(), startPageServer(), launchChromium()]);
  try {
    const page = await openPage(browser, pages.url);
    const outcome = await page.evaluate((url) => h.whip(url), `${whip.url}/test-stream-key`);
    assert.ok(outcome.ok, outcome.message);
    assert.match(outcome.value ?? "", /\/whip\/sessions\//);
    const session = await eventually(
      async () => {
        const [s] = whip.sessions();
        return s && s.videoPackets > 50 && s.audioPackets > 20 && s;
      },
      15_000,
      "RTP at the WHIP endpoint",
    );
    assert.equal(session && session.streamKey, "test-stream-key");
    assert.equal(await page.evaluate(() => h.whipState()), "connected");
    await page.evaluate(() => h.whipStop());
    await eventually(async () => whip.sessions().length === 0, 5_000, "the DELETE to end the session");
  } finally {
    await browser.close();
    await pages.close();
    await whip.close();
  }
});

test("Livepeer ingest: Chromium broadcasts to a stand-in stream's WHIP URL; terminate yields a recording", async () => {
  const { startLivepeerStudioStandIn } = await import("../../src/node/testing/livepeer-studio-standin.ts");
  const { createLivepeerStudio } = await import("../../src/streaming/livepeer.ts");
  const [standIn, pages, browser] = await Promise.all([
    startLivepeerStudioStandIn(),
    startPageServer(),
    launchChromium(),
  ]);
  try {
    const studio = createLivepeerStudio({
      apiKey: standIn.apiKey,
      serverURL: standIn.apiUrl,
      ingestBaseUrl: standIn.ingestBaseUrl,
    });
    const stream = await studio.createStream({ name: "WHIP to Livepeer", record: true });
    const page = await openPage(browser, pages.url);
    const outcome = await page.evaluate((url) => h.whip(url), stream.whipUrl);
    assert.ok(outcome.ok, outcome.message);
    await eventually(async () => (standIn.ingests()[0]?.videoPackets ?? 0) > 50, 15_000, "RTP at the stand-in");
    assert.equal(standIn.streams()[0]!.isActive, true);
    await studio.terminate(stream.id);
    const [recording] = await studio.getRecordings(stream.id);
    assert.equal(recording?.status, "ready");
    assert.match(recording?.url ?? "", /\/recordings\/.+\/index\.m3u8$/);
    await page.evaluate(() => h.whipStop());
  } finally {
    await browser.close();
    await pages.close();
    await standIn.close();
  }
});
