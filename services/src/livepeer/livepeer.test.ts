/**
 * The livepeer provider against the local Studio stand-in and a real chain: stream creation (201),
 * playback info, gated playback through the access-control webhook (SIWE token + on-chain licence),
 * its health endpoint, live tip notices, terminate, typed errors.
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { parseEther } from "viem";
import { purchaseLicense, registerTrack } from "../../../sdk/src/actions/catalog.ts";
import { getSession, openSession } from "../../../sdk/src/actions/live.ts";
import { registerProfile } from "../../../sdk/src/actions/profiles.ts";
import { tip } from "../../../sdk/src/actions/tipping.ts";
import { signIn } from "../../../sdk/src/auth.ts";
import { type LivepeerAccessControl, startLivepeerAccessControl } from "./access-control.ts";
import { startLivepeerStudioStandIn } from "../../../testkit/src/stand-ins/livepeer-studio.ts";
import { LivepeerError } from "../../../sdk/src/streaming/errors.ts";
import { livepeerRelay } from "../../../sdk/src/streaming/livepeer.ts";
import { createLivepeerStudio, type LivepeerStudio } from "./studio.ts";
import type { TipNotice } from "../../../sdk/src/streaming/protocol.ts";
import { createStreamingProvider } from "../../../sdk/src/streaming/provider.ts";
import { type Chain, KEYS, startChain } from "../../../testkit/src/chain.ts";

let chain: Chain;
let standIn: Awaited<ReturnType<typeof startLivepeerStudioStandIn>>;
let gate: LivepeerAccessControl;
let studio: LivepeerStudio;
const SECRET = "webhook-shared-secret";

before(async () => {
  [chain, standIn] = await Promise.all([startChain(), startLivepeerStudioStandIn()]);
  gate = await startLivepeerAccessControl({
    rpcUrl: chain.rpcUrl,
    deployment: chain.deployment,
    webhookSecret: SECRET,
  });
  studio = createLivepeerStudio({
    apiKey: standIn.apiKey,
    serverURL: standIn.apiUrl,
    ingestBaseUrl: standIn.ingestBaseUrl,
  });
});

after(async () => {
  await gate?.close();
  await standIn?.close();
  await chain?.stop();
});

const METADATA_CID = "bafkreifjjcie6lypi6ny7amxnfftagclbuxndqonfipmb64f2km2devei4";

/** An exclusive track of the artist's, licensed at 0.1 CORE: the gate of a members-only session. */
async function exclusiveTrack(isrc: string) {
  const artistWallet = chain.wallet(KEYS.artist);
  const { trackId } = await registerTrack(artistWallet, {
    deployment: chain.deployment,
    isrc,
    metadataCid: METADATA_CID,
    exclusive: true,
    splits: [{ recipient: artistWallet.account.address, bps: 10_000 }],
    offers: [{ price: parseEther("0.1") }],
  });
  return trackId;
}

/** A fan signs in to the access-control service; the token is the Livepeer access key. */
async function accessKeyFor(key: `0x${string}`, service: LivepeerAccessControl = gate) {
  const { nonce } = await (await fetch(`${service.url}/nonce`)).json();
  const signed = await signIn(chain.wallet(key), { domain: new URL(service.url).host, uri: service.url, nonce });
  const response = await fetch(`${service.url}/session`, { method: "POST", body: JSON.stringify(signed) });
  assert.equal(response.status, 200);
  return (await response.json()).token as string;
}

test("Studio client: create (201) with recording and multistream, WHIP URL, playback, terminate, delete", async () => {
  const stream = await studio.createStream({
    name: "Studio check",
    record: true,
    multistream: [{ name: "YouTube", url: "rtmp://a.rtmp.youtube.com/live2/key" }],
  });
  assert.equal(stream.record, true);
  assert.equal(stream.whipUrl, `${standIn.ingestBaseUrl}/${stream.streamKey}`);
  const saved = standIn.streams().find((s) => s.id === stream.id)!;
  assert.deepEqual(saved.multistream, {
    targets: [
      { profile: "source", videoOnly: false, spec: { name: "YouTube", url: "rtmp://a.rtmp.youtube.com/live2/key" } },
    ],
  });
  const playback = await studio.getPlayback(stream.playbackId);
  assert.equal(playback.hls, `${standIn.url}/hls/${stream.playbackId}/index.m3u8`);
  assert.equal(playback.webrtc, `${standIn.url}/webrtc/${stream.playbackId}`);
  assert.deepEqual(await studio.getRecordings(stream.id), []);
  await studio.terminate(stream.id);
  await studio.deleteStream(stream.id);
  await assert.rejects(studio.getPlayback(stream.playbackId), LivepeerError);
});

test("Studio errors are typed: bad API key (401), serverURL without /api", async () => {
  const wrong = createLivepeerStudio({ apiKey: "wrong", serverURL: standIn.apiUrl });
  await assert.rejects(
    wrong.createStream({ name: "x" }),
    (e: LivepeerError) => e instanceof LivepeerError && e.status === 401,
  );
  assert.throws(() => createLivepeerStudio({ apiKey: "k", serverURL: standIn.url }), LivepeerError);
});

test("a gated Livepeer session: webhook access control admits only a signed-in licence holder; tips arrive; end closes it", async () => {
  const artistWallet = chain.wallet(KEYS.artist);
  const trackId = await exclusiveTrack("USHM12600002");
  const webhookId = await studio.createAccessControlWebhook({
    name: "harmonie-gate",
    url: gate.webhookUrl,
    sharedSecret: SECRET,
  });
  const common = {
    deployment: chain.deployment,
    studio,
    accessControlWebhookId: webhookId,
    tipPollingIntervalMs: 200,
  } as const;
  const live = await createStreamingProvider({ kind: "livepeer", wallet: artistWallet, ...common }).goLive({
    title: "Livepeer members",
    gatingTrackId: trackId,
  });
  const stream = standIn.streams().find((s) => s.playbackId === live.playbackId)!;
  assert.deepEqual(stream.playbackPolicy, {
    type: "webhook",
    webhookId,
    webhookContext: { streamId: live.streamId.toString() },
  });
  assert.equal(live.ingestUrl, `${standIn.ingestBaseUrl}/${stream.streamKey}`);

  const fanWallet = chain.wallet(KEYS.fan3);
  const key = await accessKeyFor(KEYS.fan3);
  const watch = await createStreamingProvider({ kind: "livepeer", wallet: fanWallet, ...common }).watch({
    streamId: live.streamId,
    accessKey: key,
  });
  assert.ok(watch.playback?.hls?.includes(`accessKey=${encodeURIComponent(key)}`));
  const play = async (url: string) => (await fetch(url)).status;

  assert.equal(await play(watch.playback!.hls!), 403, "no licence yet");
  assert.equal(await play(watch.playback!.hls!.replace(/\?.*/, "")), 403, "no access key");
  assert.equal(
    await play(watch.playback!.hls!.replace(/accessKey=[^&]+/, "accessKey=forged.token")),
    403,
    "forged key",
  );
  assert.deepEqual(
    standIn.webhookCalls.slice(-2).map((c) => c.status),
    [403, 401],
  );

  await purchaseLicense(fanWallet, { deployment: chain.deployment, trackId, offerId: 0n });
  assert.equal(await play(watch.playback!.hls!), 200, "licence holder admitted");

  // Studio's own gate endpoint: 200 with a config to allow, 403 when the webhook refuses.
  const gateCall = (accessKey: string) =>
    fetch(`${standIn.apiUrl}/access-control/gate`, {
      method: "POST",
      headers: { authorization: `Bearer ${standIn.apiKey}`, "content-type": "application/json" },
      body: JSON.stringify({ stream: `video+${live.playbackId}`, type: "accessKey", accessKey }),
    }).then((r) => r.status);
  assert.equal(await gateCall(key), 200);
  assert.equal(await gateCall(await accessKeyFor(KEYS.fan2)), 403);

  // A forged webhook call (wrong signature) is refused by the handler itself.
  const forged = await fetch(gate.webhookUrl, {
    method: "POST",
    headers: { "Livepeer-Signature": `t=${Date.now()},v1=${"0".repeat(64)}` },
    body: JSON.stringify({ context: { streamId: live.streamId.toString() }, accessKey: key, timestamp: Date.now() }),
  });
  assert.equal(forged.status, 401);

  const health = await (await fetch(`${gate.url}/health`)).json();
  assert.equal(health.ok, true);
  assert.ok(health.decisions.allowed >= 2 && health.decisions.denied >= 2 && health.decisions.failed >= 2);

  // Tip notices from chain events on both sides, in order, once.
  const seen: { artist: TipNotice[]; fan: TipNotice[] } = { artist: [], fan: [] };
  live.onTip((t) => seen.artist.push(t));
  watch.onTip((t) => seen.fan.push(t));
  for (const message of ["first", "second"]) {
    await tip(fanWallet, {
      deployment: chain.deployment,
      artist: artistWallet.account.address,
      amount: parseEther("0.01"),
      streamId: live.streamId,
      message,
    });
  }
  const deadline = Date.now() + 5_000;
  while ((seen.artist.length < 2 || seen.fan.length < 2) && Date.now() < deadline)
    await new Promise((r) => setTimeout(r, 100));
  await new Promise((r) => setTimeout(r, 500));
  assert.deepEqual(
    seen.artist.map((t) => t.message),
    ["first", "second"],
  );
  assert.deepEqual(
    seen.fan.map((t) => t.message),
    ["first", "second"],
  );

  await watch.leave();
  const { hash } = await live.end();
  assert.match(hash, /^0x/);
  const closed = await getSession(chain.publicClient, { deployment: chain.deployment, streamId: live.streamId });
  assert.ok(closed.closedAt > 0n);
});

test("an artist goes live on Livepeer through the relay, with no Studio key in the client; only they gate and end it", async () => {
  const artistWallet = chain.wallet(KEYS.artist);
  const webhookId = await studio.createAccessControlWebhook({
    name: "relay-gate",
    url: gate.webhookUrl,
    sharedSecret: SECRET,
  });
  const relayed = await startLivepeerAccessControl({
    rpcUrl: chain.rpcUrl,
    deployment: chain.deployment,
    maxStreamsPerArtist: 2,
    studio: createLivepeerStudio({
      apiKey: standIn.apiKey,
      serverURL: standIn.apiUrl,
      ingestBaseUrl: standIn.ingestBaseUrl,
      accessControlWebhookId: webhookId,
    }),
  });
  try {
    assert.equal((await (await fetch(`${relayed.url}/health`)).json()).studio, true);
    assert.equal((await (await fetch(`${gate.url}/health`)).json()).studio, false);
    const withoutKey = await fetch(`${gate.url}/livepeer/streams`, { method: "POST", body: "{}" });
    assert.equal(withoutKey.status, 404, "a gate without a Studio key relays nothing");

    const relayFor = async (key: `0x${string}`) =>
      livepeerRelay({ gateUrl: relayed.url, token: await accessKeyFor(key, relayed), playbackApiUrl: standIn.apiUrl });
    // Not yet an artist: refused before Studio is asked anything.
    const streamsBefore = standIn.streams().length;
    await assert.rejects((await relayFor(KEYS.artist)).createStream({ name: "Too soon" }), {
      name: "LivepeerError",
      errorName: "Forbidden",
      status: 403,
    });
    assert.equal(standIn.streams().length, streamsBefore);
    await registerProfile(artistWallet, {
      deployment: chain.deployment,
      handle: "relay_artist",
      profileCid: METADATA_CID,
      isArtist: true,
    });

    const trackId = await exclusiveTrack("USHM12600031");
    const artistStudio = await relayFor(KEYS.artist);
    const provider = createStreamingProvider({
      kind: "livepeer",
      wallet: artistWallet,
      deployment: chain.deployment,
      studio: artistStudio,
    });
    const live = await provider.goLive({ title: "Big audience", gatingTrackId: trackId });
    const stream = standIn.streams().find((s) => s.playbackId === live.playbackId)!;
    assert.deepEqual(stream.playbackPolicy, {
      type: "webhook",
      webhookId,
      webhookContext: { streamId: live.streamId.toString() },
    });
    assert.equal(live.ingestUrl, `${standIn.ingestBaseUrl}/${stream.streamKey}`);

    // A fan plays it from Studio's public playback info with the access key; the webhook decides.
    const fanKey = await accessKeyFor(KEYS.fan1);
    const watch = await createStreamingProvider({
      kind: "livepeer",
      wallet: chain.wallet(KEYS.fan1),
      deployment: chain.deployment,
      playbackApiUrl: standIn.apiUrl,
    }).watch({ streamId: live.streamId, accessKey: fanKey });
    assert.equal((await fetch(watch.playback!.hls!)).status, 403, "no licence");
    await purchaseLicense(chain.wallet(KEYS.fan1), { deployment: chain.deployment, trackId, offerId: 0n });
    assert.equal((await fetch(watch.playback!.hls!)).status, 200, "licence holder admitted");
    await watch.leave();

    // Another wallet cannot gate or end the artist's stream; the artist cannot gate it onto a session
    // opened with another playback id (its audience would get this stream).
    const fanRelay = await relayFor(KEYS.fan2);
    await assert.rejects(fanRelay.terminate(stream.id), { errorName: "Forbidden", status: 403 });
    await assert.rejects(fanRelay.setGate(stream.id, { context: { streamId: live.streamId.toString() } }), {
      errorName: "Forbidden",
    });
    const other = await openSession(artistWallet, { deployment: chain.deployment, title: "Other", playbackId: "room" });
    await assert.rejects(artistStudio.setGate(stream.id, { context: { streamId: other.streamId.toString() } }), {
      errorName: "SessionMismatch",
      status: 409,
    });
    assert.equal(
      standIn.streams().find((s) => s.id === stream.id)!.playbackPolicy.webhookContext?.streamId,
      live.streamId.toString(),
    );

    // Two live streams at once at most (this server's setting); ending one frees its place.
    const second = await artistStudio.createStream({ name: "Second" });
    await assert.rejects(artistStudio.createStream({ name: "Third" }), { errorName: "RateLimited", status: 429 });
    await artistStudio.terminate(second.id);
    await artistStudio.terminate(second.id).catch(() => undefined);
    const third = await artistStudio.createStream({ name: "Third" });
    await artistStudio.terminate(third.id);
    await assert.rejects(artistStudio.getRecordings(stream.id), { name: "StreamingUnsupportedError" });

    const { hash } = await live.end();
    assert.match(hash, /^0x/);
    assert.ok(
      (await getSession(chain.publicClient, { deployment: chain.deployment, streamId: live.streamId })).closedAt > 0n,
    );
  } finally {
    await relayed.close();
  }
});

test("with the chain unreachable, health and webhook say 503 and never show the RPC URL or its key", async () => {
  // A provider URL with its API key in the path, as Core's RPC providers hand them out.
  const rpcUrl = "http://127.0.0.1:9/v2/SECRET-API-KEY-123";
  const broken = await startLivepeerAccessControl({ rpcUrl, deployment: chain.deployment });
  const logged: string[] = [];
  const original = console.error;
  console.error = (...args: unknown[]) => void logged.push(args.join(" "));
  try {
    const response = await fetch(`${broken.url}/health`);
    assert.equal(response.status, 503);
    const health = await response.text();
    assert.equal(JSON.parse(health).ok, false);
    // A fan signs in (an EOA's signature is checked without the chain), then Livepeer asks whether the
    // access key may watch: the licence check reads the chain, which fails.
    const { nonce } = await (await fetch(`${broken.url}/nonce`)).json();
    const signed = await signIn(chain.wallet(KEYS.fan2), { domain: new URL(broken.url).host, uri: broken.url, nonce });
    const session = await fetch(`${broken.url}/session`, { method: "POST", body: JSON.stringify(signed) });
    const { token } = await session.json();
    const webhook = await fetch(`${broken.url}/livepeer/access-control`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ accessKey: token, context: { streamId: "1" } }),
    });
    const webhookBody = await webhook.text();
    assert.equal(webhook.status, 503, webhookBody);
    assert.equal(JSON.parse(webhookBody).error.name, "ChainUnavailable");
    assert.match(JSON.parse(webhookBody).error.message, /could not be read/);
    const after = await (await fetch(`${broken.url}/health`)).text();
    assert.equal(JSON.parse(after).lastFailure.status, 503);
    for (const text of [health, webhookBody, after]) {
      assert.ok(!text.includes("SECRET-API-KEY-123") && !text.includes("127.0.0.1:9"), text);
    }
    assert.ok(logged.length > 0 && logged.every((line) => !line.includes("SECRET-API-KEY-123")), logged.join("\n"));
  } finally {
    console.error = original;
    await broken.close();
  }
});
