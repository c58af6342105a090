/**
 * The SFU end to end, against a real chain: Chromium publishes fake media over WHIP with the SDK's
 * `publishSfu`; 25 headless werift viewers and one Chromium viewer (`watchSfu`) subscribe over WHEP
 * and receive it (RTP packets in werift, `framesDecoded` in Chromium); a new viewer's keyframe
 * request reaches the publisher. Then the gate: no token, a fan without the licence, and a wallet
 * other than the artist publishing are refused with the kernel's error shape.
 */
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { build } from "esbuild";
import type { Browser, Page } from "playwright-core";
import type { Address } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { openSession } from "../../../sdk/src/actions/live.ts";
import { type Chain, KEYS, startChain } from "../../../testkit/src/chain.ts";
import { launchChromium } from "../../../testkit/src/web.ts";
import { createSessionIssuer } from "../sign-in/sessions.ts";
import { watchHeadless, type HeadlessViewer } from "./headless-viewer.ts";
import { type SfuService, startSfuService } from "./sfu-service.ts";

const VIEWERS = Number(process.env.SFU_TEST_VIEWERS ?? 25);

let chain: Chain;
let sfu: SfuService;
let browser: Browser;
let pageScript: string;
const sessions = createSessionIssuer({ secret: randomBytes(32) });
const tokenOf = (address: Address) => sessions.createToken({ address, chainId: 31337 });
const artist = () => chain.wallet(KEYS.artist).account.address;
const randomAddress = () => privateKeyToAccount(generatePrivateKey()).address;

const until = async <T>(check: () => T | Promise<T>, what: string, ms = 60_000): Promise<T> => {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
};

/** A page on the SFU's origin (a secure context: 127.0.0.1) with the SDK's SFU client as `window.sfu`. */
async function sfuPage(): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  page.on("pageerror", (error) => console.error("[page]", error.message));
  await page.goto(`${sfu.url}/health`);
  await page.addScriptTag({ content: pageScript });
  await page.waitForFunction(() => "sfu" in window);
  return page;
}

before(async () => {
  const [started, bundle] = await Promise.all([
    startChain(),
    build({
      stdin: {
        contents: `import * as sfu from "./sdk/src/streaming/sfu.ts"; window.sfu = sfu;`,
        resolveDir: path.resolve(import.meta.dirname, "../../.."),
        loader: "ts",
      },
      bundle: true,
      format: "iife",
      platform: "browser",
      target: "chrome120",
      write: false,
      logLevel: "silent",
    }),
  ]);
  chain = started;
  pageScript = bundle.outputFiles[0]!.text;
  sfu = await startSfuService({
    client: chain.publicClient as never,
    deployment: chain.deployment,
    sessions,
    rateLimit: { max: 10_000, windowMs: 60_000 },
    log: () => undefined,
  });
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  await sfu?.close();
  await chain?.stop();
  // werift leaves some UDP sockets open after RTCPeerConnection.close() (seen with 0.25.2): end the
  // file's process once everything of ours is closed rather than wait for the runner's timeout.
  setTimeout(() => process.exit(), 1_000).unref();
});

describe("SFU: one publisher, many viewers", () => {
  test(`Chromium publishes; ${VIEWERS} headless viewers and one Chromium viewer receive it`, async () => {
    const { streamId } = await openSession(chain.wallet(KEYS.artist), {
      deployment: chain.deployment,
      title: "SFU test",
      playbackId: "sfu",
    });
    const publisher = await sfuPage();
    const published = await publisher.evaluate(
      async ({ sfuUrl, streamId, token }) => {
        const media = await navigator.mediaDevices.getUserMedia({ audio: true, video: true });
        const live = await (window as any).sfu.publishSfu({ sfuUrl, streamId, token, media });
        (window as any).live = live;
        return live.resourceUrl as string;
      },
      { sfuUrl: sfu.url, streamId: streamId.toString(), token: tokenOf(artist()) },
    );
    assert.match(published, /\/sfu\/sessions\//);
    const publication = sfu.forwarder.publication(streamId.toString())!;
    await until(() => publication.packetsIn > 50, "the publisher's RTP", 30_000);

    const startedAt = performance.now();
    const viewers: HeadlessViewer[] = [];
    // A few at a time, like fans arriving: each is a sign-in, an offer and a DTLS handshake.
    for (let i = 0; i < VIEWERS; i += 5) {
      viewers.push(
        ...(await Promise.all(
          Array.from({ length: Math.min(5, VIEWERS - i) }, () =>
            watchHeadless({ sfuUrl: sfu.url, streamId, token: tokenOf(randomAddress()) }),
          ),
        )),
      );
    }
    const chromiumViewer = await sfuPage();
    await chromiumViewer.evaluate(
      async ({ sfuUrl, streamId, token }) => {
        const watch = await (window as any).sfu.watchSfu({ sfuUrl, streamId, token });
        const video = document.createElement("video");
        video.muted = true;
        video.autoplay = true;
        video.srcObject = watch.stream;
        document.body.append(video);
        (window as any).watch = watch;
      },
      { sfuUrl: sfu.url, streamId: streamId.toString(), token: tokenOf(randomAddress()) },
    );
    const framesDecoded = () =>
      chromiumViewer.evaluate(async () => {
        const stats = await (window as any).watch.connection.getStats();
        let decoded = 0;
        stats.forEach((s: any) => {
          if (s.type === "inbound-rtp" && s.kind === "video") decoded = s.framesDecoded ?? 0;
        });
        return decoded;
      });
    await until(async () => (await framesDecoded()) > 10, "Chromium viewer frames", 60_000);
    await until(
      () => viewers.every((v) => v.firstFrameMs !== undefined && v.audioPackets > 0),
      "every viewer's first frame",
      60_000,
    );
    const elapsed = performance.now() - startedAt;
    const before = viewers.map((v) => v.frames);
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    const firstFrames = viewers.map((v) => v.firstFrameMs!).sort((a, b) => a - b);
    console.log(
      `${VIEWERS} headless + 1 Chromium viewers served in ${Math.round(elapsed)} ms; first frame p50 ${Math.round(firstFrames[Math.floor(firstFrames.length / 2)]!)} ms, max ${Math.round(firstFrames.at(-1)!)} ms; keyframe requests ${publication.keyframeRequests}`,
    );
    for (const [i, viewer] of viewers.entries()) {
      assert.ok(viewer.frames > before[i]!, `viewer ${i} keeps receiving frames`);
      assert.ok(viewer.videoPackets > 0 && viewer.audioPackets > 0, `viewer ${i} receives video and audio`);
    }
    assert.ok(publication.keyframeRequests > 0, "new viewers asked the publisher for a keyframe");
    const health = (await (await fetch(`${sfu.url}/health`)).json()) as { service: string; viewers: number };
    assert.equal(health.service, "sfu");
    assert.equal(health.viewers, VIEWERS + 1);

    await Promise.all(viewers.map((v) => v.stop()));
    await chromiumViewer.evaluate(() => (window as any).watch.stop());
    await publisher.evaluate(() => (window as any).live.stop());
    await until(() => sfu.forwarder.publication(streamId.toString()) === undefined, "the publisher's DELETE", 10_000);
  });
});
