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
import { parseEther } from "viem";
import { purchaseLicense, registerTrack } from "../../../sdk/src/actions/catalog.ts";
import { openSession } from "../../../sdk/src/actions/live.ts";
import { serviceErrorOf } from "../../../sdk/src/protocol/http.ts";
import { SDP_CONTENT_TYPE, sfuWhepUrl, sfuWhipUrl } from "../../../sdk/src/protocol/sfu.ts";
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
    await until(async () => (await framesDecoded()) > 10, "Chromium viewer frames", 60_000).catch(async (error) => {
      // Say what the browser saw: no packets (ICE/DTLS), packets but no keyframe, or frames dropped.
      const report = await chromiumViewer.evaluate(async () => {
        const watch = (window as any).watch;
        const stats = await watch.connection.getStats();
        const lines: string[] = [
          `connection ${watch.connection.connectionState}, ice ${watch.connection.iceConnectionState}`,
        ];
        stats.forEach((s: any) => {
          if (s.type === "inbound-rtp")
            lines.push(
              `${s.kind}: packets ${s.packetsReceived} lost ${s.packetsLost} frames ${s.framesReceived} decoded ${s.framesDecoded} keyframes ${s.keyFramesDecoded} pli ${s.pliCount} nack ${s.nackCount} codec ${s.codecId}`,
            );
        });
        return lines.join("; ");
      });
      throw new Error(
        `${(error as Error).message} (${report}; publisher packets in ${publication.packetsIn}, keyframe requests ${publication.keyframeRequests})`,
      );
    });
    await until(
      () => viewers.every((v) => v.firstFrameMs !== undefined && v.audioPackets > 0),
      "every viewer's first frame",
      60_000,
    ).catch((error) => {
      const missing = viewers.filter((v) => v.firstFrameMs === undefined || v.audioPackets === 0);
      throw new Error(
        `${(error as Error).message}: ${missing.length} of ${viewers.length} (${missing
          .slice(0, 3)
          .map((v) => `${v.state()} video ${v.videoPackets} audio ${v.audioPackets}`)
          .join("; ")})`,
      );
    });
    const elapsed = performance.now() - startedAt;
    const before = viewers.map((v) => v.frames);
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    const firstFrames = viewers.map((v) => v.firstFrameMs!).sort((a, b) => a - b);
    console.log(
      `${VIEWERS} headless + 1 Chromium viewers served in ${Math.round(elapsed)} ms; first frame p50 ${Math.round(firstFrames[Math.floor(firstFrames.length / 2)]!)} ms, max ${Math.round(firstFrames.at(-1)!)} ms; connected p50 ${Math.round(viewers.map((v) => v.connectedMs!).sort((a, b) => a - b)[Math.floor(viewers.length / 2)]!)} ms; keyframe requests ${publication.keyframeRequests}`,
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

describe("SFU: sign-in and the on-chain gate", () => {
  /** A WHIP/WHEP POST with a throwaway offer: the gate answers before the offer matters. */
  const post = async (url: string, token?: string) => {
    const response = await fetch(url, {
      method: "POST",
      headers: { "content-type": SDP_CONTENT_TYPE, ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: "v=0\r\n",
    });
    return { status: response.status, error: serviceErrorOf(await response.json().catch(() => undefined)) };
  };

  test("a fan without the licence is refused, with it admitted; only the artist publishes", async () => {
    const artistWallet = chain.wallet(KEYS.artist);
    const { trackId } = await registerTrack(artistWallet, {
      deployment: chain.deployment,
      isrc: "USHM12600077",
      exclusive: true,
      metadataCid: "bafkreifjjcie6lypi6ny7amxnfftagclbuxndqonfipmb64f2km2devei4",
      splits: [{ recipient: artistWallet.account.address, bps: 10_000 }],
      offers: [{ price: parseEther("0.1") }],
    });
    const { streamId } = await openSession(artistWallet, {
      deployment: chain.deployment,
      title: "Members only",
      playbackId: "sfu",
      gatingTrackId: trackId,
    });
    const fan = chain.wallet(KEYS.fan3).account.address;

    // Publishing: no token, another wallet, an unknown session.
    const anonymous = await post(sfuWhipUrl(sfu.url, streamId));
    assert.deepEqual([anonymous.status, anonymous.error?.name], [401, "SignInRequired"]);
    const impostor = await post(sfuWhipUrl(sfu.url, streamId), tokenOf(fan));
    assert.deepEqual([impostor.status, impostor.error?.name], [403, "Forbidden"]);
    const unknown = await post(sfuWhipUrl(sfu.url, 999_999n), tokenOf(artist()));
    assert.deepEqual([unknown.status, unknown.error?.name], [404, "NotFoundError"]);
    const forged = await post(sfuWhipUrl(sfu.url, streamId), `${tokenOf(artist())}x`);
    assert.deepEqual([forged.status, forged.error?.name], [401, "SignInRequired"]);

    // The artist publishes from Chromium; then fans knock.
    const publisher = await sfuPage();
    await publisher.evaluate(
      async ({ sfuUrl, streamId, token }) => {
        const media = await navigator.mediaDevices.getUserMedia({ audio: true, video: true });
        (window as any).live = await (window as any).sfu.publishSfu({ sfuUrl, streamId, token, media });
      },
      { sfuUrl: sfu.url, streamId: streamId.toString(), token: tokenOf(artist()) },
    );
    const refused = await post(sfuWhepUrl(sfu.url, streamId), tokenOf(fan));
    assert.deepEqual([refused.status, refused.error?.name], [403, "AccessDeniedError"]);
    assert.match(refused.error!.message, /licence/);
    // The SDK's client surfaces the same name.
    const viewer = await sfuPage();
    const sdkRefusal = await viewer.evaluate(
      async ({ sfuUrl, streamId, token }) =>
        (window as any).sfu.watchSfu({ sfuUrl, streamId, token }).then(
          () => "admitted",
          (error: any) => `${error.name}:${error.errorName}:${error.status}`,
        ),
      { sfuUrl: sfu.url, streamId: streamId.toString(), token: tokenOf(fan) },
    );
    assert.equal(sdkRefusal, "SfuError:AccessDeniedError:403");

    await purchaseLicense(chain.wallet(KEYS.fan3), { deployment: chain.deployment, trackId, offerId: 0n });
    const licensed = await watchHeadless({ sfuUrl: sfu.url, streamId, token: tokenOf(fan) });
    await until(() => licensed.firstFrameMs !== undefined, "the licensed fan's first frame", 30_000);
    // Ending another wallet's viewer is refused.
    const ended = await fetch(
      `${sfu.url}/sfu/sessions/${sfu.forwarder.publication(streamId.toString())!.viewers()[0]!.id}`,
      {
        method: "DELETE",
        headers: { authorization: `Bearer ${tokenOf(artist())}` },
      },
    );
    assert.equal(ended.status, 403);
    await licensed.stop();
    await publisher.evaluate(() => (window as any).live.stop());
    await Promise.all([publisher, viewer].map((page) => page.context().close()));
  });
});
