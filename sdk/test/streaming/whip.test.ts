/** WHIP from Chromium (fake camera/microphone) to the local werift endpoint: media arrives. */
import assert from "node:assert/strict";
import { test } from "node:test";
import { startWhipEndpoint } from "../../../testkit/src/stand-ins/whip-endpoint.ts";
import { eventually, launchChromium, openPage, startPageServer } from "../../../testkit/src/web.ts";

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
