/** Livepeer ingest: Chromium broadcasts over WHIP to a stand-in Studio stream created by the Studio client. */
import assert from "node:assert/strict";
import { test } from "node:test";
import { startLivepeerStudioStandIn } from "../../../testkit/src/stand-ins/livepeer-studio.ts";
import { eventually, launchChromium, openPage, startPageServer } from "../../../testkit/src/web.ts";
import { createLivepeerStudio } from "./studio.ts";

declare const h: {
  whip(url: string): Promise<{ ok: boolean; value?: string; name?: string; message?: string }>;
  whipStop(): Promise<void>;
  whep(url: string): Promise<{ ok: boolean; value?: string; name?: string; message?: string }>;
};

test("Livepeer ingest and playback: Chromium broadcasts over WHIP, another plays the WebRTC source; terminate yields a recording", async () => {
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
    assert.equal(standIn.ingests()[0]!.videoCodec, "H264", "H264 offered first, as Livepeer's client does");
    // A viewer plays the playback info's WebRTC source (WHEP, keyless for a public stream) and decodes frames.
    const { webrtc } = await studio.getPlayback(stream.playbackId);
    const viewer = await openPage(browser, pages.url);
    const played = await viewer.evaluate((url) => h.whep(url), webrtc!);
    assert.ok(played.ok, played.message);
    assert.equal(played.value, "320x240", "the publisher's frames, decoded by the viewer");
    assert.equal(standIn.viewers(), 1);
    await studio.terminate(stream.id);
    assert.equal((await studio.getRecordings(stream.id))[0]?.status, "waiting", "terminate is asynchronous");
    await eventually(
      async () => (await studio.getRecordings(stream.id))[0]?.status === "ready",
      10_000,
      "recording ready",
    );
    const [recording] = await studio.getRecordings(stream.id);
    assert.match(recording?.url ?? "", /\/recordings\/.+\/index\.m3u8$/);
    await page.evaluate(() => h.whipStop());
  } finally {
    await browser.close();
    await pages.close();
    await standIn.close();
  }
});
