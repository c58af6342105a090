/**
 * Going live for a big audience through Livepeer, after dapp.test.ts's flows. Livepeer Studio cannot
 * be reached from here, so its stand-in (testkit) plays Studio and its WebRTC ingest and playback; the
 * project's Livepeer access-control service holds the Studio key and relays the artist's streams. The
 * same build is served a second time with `livepeerGateUrl` in its config.
 */
import assert from "node:assert/strict";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { after, test } from "node:test";
import type { Page } from "playwright-core";
import { parseEther } from "viem";
import { getTrack, purchaseLicense, registerTrack } from "../../sdk/src/actions/catalog.ts";
import { getSession, getSessionPlaybackId } from "../../sdk/src/actions/live.ts";
import { trackIdFromIsrc } from "../../sdk/src/index.ts";
import { createLivepeerStudio } from "../../services/src/livepeer/studio.ts";
import { type LivepeerAccessControl, startLivepeerAccessControl } from "../../services/src/livepeer/access-control.ts";
import { ACCESS_CONTROL_PATH } from "../../sdk/src/protocol/livepeer-gate.ts";
import { startLivepeerStudioStandIn } from "../../testkit/src/stand-ins/livepeer-studio.ts";
import {
  DIST,
  SHOTS,
  TEST_TONE,
  confirmed,
  connect,
  openAs,
  outsiderRefusedMemberAdmitted,
  sdkWallet,
  shot,
  stack,
  videoPlays,
} from "./harness.ts";
import { serveDist } from "./serve.ts";

const SECRET = "e2e-livepeer-webhook-secret";

interface BigAudience {
  standIn: Awaited<ReturnType<typeof startLivepeerStudioStandIn>>;
  /** The one service, as an operator runs it: sign-in, the artist's streams (Studio key) and the webhook. */
  gate: LivepeerAccessControl;
  site: { url: string; stop(): Promise<void> };
}
let running: Promise<BigAudience> | undefined;

/** A port free right now on 127.0.0.1 (the webhook must be registered before the service starts). */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** The stand-in, the access-control service with its Studio key and the dApp configured for them, started once. */
function bigAudience(): Promise<BigAudience> {
  running ??= (async () => {
    const standIn = await startLivepeerStudioStandIn();
    const studioOptions = { apiKey: standIn.apiKey, serverURL: standIn.apiUrl, ingestBaseUrl: standIn.ingestBaseUrl };
    const port = await freePort();
    const webhookId = await createLivepeerStudio(studioOptions).createAccessControlWebhook({
      name: "harmonie-e2e",
      url: `http://127.0.0.1:${port}${ACCESS_CONTROL_PATH}`,
      sharedSecret: SECRET,
    });
    const gate = await startLivepeerAccessControl({
      rpcUrl: stack.rpcUrl,
      deployment: stack.deployment!,
      port,
      webhookSecret: SECRET,
      studio: createLivepeerStudio({ ...studioOptions, accessControlWebhookId: webhookId }),
    });
    const site = await serveDist(DIST, {
      ...stack.dappConfig,
      livepeerGateUrl: gate.url,
      livepeerApiUrl: standIn.apiUrl,
    });
    return { standIn, gate, site };
  })();
  return running;
}

after(async () => {
  if (!running) return;
  const { standIn, gate, site } = await running;
  await site.stop();
  await gate.close();
  await standIn.close();
});

/** Every request a page makes, with its headers: the Studio key must never be among them. */
function recordRequests(page: Page) {
  const seen: string[] = [];
  page.on("request", (request) => seen.push(`${request.url()} ${JSON.stringify(request.headers())}`));
  return seen;
}

/** The artist (account 7) opens Studio on the Livepeer-configured site and goes live for a big audience. */
async function goLiveBig(url: string, title: string, gatingTrackId?: bigint) {
  const { page: artist } = await openAs(7);
  const requests = recordRequests(artist);
  await artist.goto(`${url}/studio`);
  await connect(artist);
  await artist.getByLabel("Session title").fill(title);
  if (gatingTrackId !== undefined) {
    await artist.locator(`option[value="${gatingTrackId}"]`).waitFor({ state: "attached", timeout: 60_000 });
    await artist.getByLabel("Who can watch").selectOption(String(gatingTrackId));
  }
  await artist.getByRole("radio", { name: /Big audience/ }).check();
  await artist
    .getByRole("form", { name: "Go live" })
    .screenshot({ path: path.join(SHOTS, "studio-golive-choice.png") });
  await artist.getByRole("button", { name: "Go live", exact: true }).click();
  const onAir = artist.getByTestId("on-air");
  await onAir.getByTestId("livepeer-live").waitFor({ timeout: 60_000 });
  const fanPage = (await onAir.getByRole("link", { name: "fan page" }).getAttribute("href"))!;
  return { artist, requests, fanPage, streamId: BigInt(fanPage.split("/").pop()!) };
}

test("go live for a big audience: Studio offers Livepeer when the server holds a Studio key; a fan watches over WebRTC with no key in either browser", async () => {
  const big = await bigAudience();
  const streamsBefore = big.standIn.streams().length;
  const { artist, requests, fanPage, streamId } = await goLiveBig(big.site.url, "Big night on Livepeer");
  assert.equal(big.standIn.streams().length, streamsBefore + 1, "the relay created one Studio stream");
  const stream = big.standIn.streams().at(-1)!;
  assert.equal(stream.name, "Big night on Livepeer");
  assert.equal(stream.playbackPolicy.type, "public", "an open session's stream is not gated");
  const reader = await sdkWallet(7);
  const session = await getSession(reader, { deployment: stack.deployment!, streamId });
  assert.equal(session.closedAt, 0n);
  assert.equal(
    await getSessionPlaybackId(reader, { deployment: stack.deployment!, streamId }),
    stream.playbackId,
    "the session opened on chain with Studio's playback id",
  );
  await artist.waitForFunction(() => !!document.querySelector("video[aria-label^='Your camera']"));
  await shot(artist, "studio-live-livepeer");

  const { page: fan } = await openAs(5); // fan 2
  const fanRequests = recordRequests(fan);
  await fan.goto(`${big.site.url}${fanPage}`);
  await connect(fan);
  await fan.getByTestId("broadcast-livepeer").waitFor();
  await fan.getByText("Chat is off in big-audience sessions: tip with a message below.").waitFor();
  await fan.getByRole("button", { name: /Watch live/ }).click();
  await fan.getByTestId("watching").waitFor();
  await videoPlays(fan);
  assert.equal(big.standIn.viewers(), 1, "the fan plays Studio's WebRTC source");
  await shot(fan, "live-livepeer");

  for (const [who, seen] of [
    ["artist", requests],
    ["fan", fanRequests],
  ] as const)
    assert.ok(!seen.some((line) => line.includes(big.standIn.apiKey)), `the Studio key never reaches the ${who}`);
  assert.ok(
    !requests.some((line) => line.startsWith(big.standIn.apiUrl) && !line.includes("/playback/")),
    "the artist's browser calls Studio's API only for public playback info",
  );

  await artist.getByRole("button", { name: /End session/ }).click();
  await confirmed(artist, /End session/);
  await artist.getByText(/Session ended and closed on chain/).waitFor();
  assert.notEqual((await getSession(reader, { deployment: stack.deployment!, streamId })).closedAt, 0n);
  await fan.getByText(/The artist ended/).waitFor({ timeout: 30_000 });
});

test("a big-audience session gated to an exclusive track: Livepeer's gate (our webhook) refuses a fan without a licence and admits a licensee", async () => {
  const big = await bigAudience();
  // An exclusive track of the artist's own (account 7, a registered artist by now), licensed by fan 3 alone.
  const artistWallet = await sdkWallet(7);
  const deployment = stack.deployment!;
  const { metadataCid } = await getTrack(artistWallet, { deployment, trackId: trackIdFromIsrc(TEST_TONE) });
  const { trackId } = await registerTrack(artistWallet, {
    deployment,
    isrc: "QZLPG2600001",
    metadataCid,
    exclusive: true,
    splits: [{ recipient: artistWallet.account.address, bps: 10_000 }],
    offers: [{ price: parseEther("0.1") }],
  });
  await purchaseLicense(await sdkWallet(6), { deployment, trackId, offerId: 0n });
  const decisions = { ...big.gate.decisions };
  const { artist, fanPage } = await goLiveBig(big.site.url, "Members only on Livepeer", trackId);
  assert.equal(big.standIn.streams().at(-1)!.playbackPolicy.type, "webhook", "gated through the webhook");

  const { member } = await outsiderRefusedMemberAdmitted(big.site.url, fanPage);
  // The outsider's refusal and the member's admission were each one webhook decision.
  assert.equal(big.gate.decisions.denied, decisions.denied + 1, "the webhook said no");
  assert.equal(big.gate.decisions.allowed, decisions.allowed + 1, "the webhook said yes, once");

  await artist.getByRole("button", { name: /End session/ }).click();
  await confirmed(artist, /End session/);
  await member.getByText(/The artist ended/).waitFor({ timeout: 30_000 });
});
