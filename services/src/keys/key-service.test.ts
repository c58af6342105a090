/**
 * Exclusive tracks end to end on a real chain: encrypted audio in IPFS blocks, the key service
 * gating on Sign-In with Ethereum plus on-chain `hasAccess`, and local decryption.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { MemoryBlockstore } from "blockstore-core/memory";
import { createPublicClient, createWalletClient, http, parseEther, type Hex } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { type LocalChain, rpc, startLocalChain } from "../../../scripts/local-chain.ts";
import { addLicenseOffer, getLicenseStatus, purchaseLicense, registerTrack } from "../../../sdk/src/actions/catalog.ts";
import { signIn } from "../../../sdk/src/auth.ts";
import { harmonieLocal } from "../../../sdk/src/chains.ts";
import { AccessDeniedError, HarmonieError } from "../../../sdk/src/errors.ts";
import { depositTrackKey, openTrack } from "../../../sdk/src/exclusive.ts";
import { type KeyService, startKeyService } from "./key-service.ts";
import { createEmbeddedBackend } from "../../../sdk/src/storage/embedded.ts";
import { generateTrackKey } from "../../../sdk/src/storage/encryption.ts";
import { addTrackPackage } from "../../../sdk/src/storage/packages.ts";

const KEYS: Hex[] = [
  "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d", // artist
  "0x5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a", // fan
  "0x7c852118294e51e653712a81e05800f419141751be58f605c371e15141b007a6", // a fan with a timed licence
];

let chain: LocalChain;
let keyService: KeyService;
const storage = createEmbeddedBackend({ blockstore: new MemoryBlockstore() });
const audio = new Uint8Array(300_000).map((_, i) => (i * 31) % 251); // > one 256 KiB chunk
let trackId: bigint;

const wallet = (key: Hex) =>
  createWalletClient({ chain: harmonieLocal, transport: http(chain.rpcUrl), account: privateKeyToAccount(key) });

before(async () => {
  chain = await startLocalChain({ deploy: true });
  const publicClient = createPublicClient({ chain: harmonieLocal, transport: http(chain.rpcUrl) });
  keyService = await startKeyService({
    client: publicClient,
    deployment: chain.deployment,
    domain: "keys.harmonie.test",
  });
});

after(async () => {
  await keyService?.close();
  await chain?.stop();
});

describe("exclusive tracks", () => {
  const params = () => ({
    deployment: chain.deployment,
    keyService: keyService.url,
    keyServiceDomain: "keys.harmonie.test",
  });

  it("the artist stores encrypted audio, registers the track and deposits its key", async () => {
    const artist = wallet(KEYS[0]);
    const key = await generateTrackKey();
    const track = await addTrackPackage(storage, {
      metadata: {
        title: "Night Drive",
        artist: "Nova",
        isrc: "USRC17607839",
        durationSeconds: 214,
        genre: "Synthwave",
        licence: { summary: "Licence holders only" },
      },
      audio: { content: audio, mimeType: "audio/flac" },
      cover: { content: new Uint8Array([0xff, 0xd8, 0xff]), mimeType: "image/jpeg" },
      encryption: { key, context: "USRC17607839" },
    });
    ({ trackId } = await registerTrack(artist, {
      deployment: chain.deployment,
      isrc: "USRC17607839",
      metadataCid: track.cid.toString(),
      exclusive: true,
      splits: [{ recipient: artist.account.address, bps: 10_000 }],
      offers: [{ price: parseEther("1") }],
    }));
    await depositTrackKey(artist, { ...params(), trackId, key });
  });

  it("refuses a key deposit from anyone but the artist", async () => {
    await assert.rejects(
      depositTrackKey(wallet(KEYS[1]), { ...params(), trackId, key: await generateTrackKey() }),
      (error: unknown) => error instanceof HarmonieError && /Only the track's artist/.test(error.message),
    );
  });

  it("gives a wallet without a licence an AccessDeniedError, never plaintext", async () => {
    await assert.rejects(openTrack(wallet(KEYS[1]), { ...params(), trackId, storage }), AccessDeniedError);
  });

  it("unlocks the audio after the wallet buys a licence", async () => {
    const fan = wallet(KEYS[1]);
    await purchaseLicense(fan, { deployment: chain.deployment, trackId, offerId: 0n });
    const opened = await openTrack(fan, { ...params(), trackId, storage });
    assert.equal(opened.mimeType, "audio/flac");
    assert.deepEqual(opened.audio, audio);
    assert.equal(opened.metadata.title, "Night Drive");
  });

  it("a timed licence unlocks until it expires; renewing it unlocks again", async () => {
    const { offerId } = await addLicenseOffer(wallet(KEYS[0]), {
      deployment: chain.deployment,
      trackId,
      terms: { price: parseEther("0.1"), duration: 3_600n },
    });
    const listener = wallet(KEYS[2]);
    const bought = await purchaseLicense(listener, { deployment: chain.deployment, trackId, offerId });
    assert.equal((await openTrack(listener, { ...params(), trackId, storage })).audio.length, audio.length);
    await rpc(chain.rpcUrl, "evm_increaseTime", [3_601]);
    await rpc(chain.rpcUrl, "evm_mine");
    const status = await getLicenseStatus(listener, {
      deployment: chain.deployment,
      account: listener.account.address,
      trackId,
    });
    assert.deepEqual([status.expiresAt, status.hasAccess], [bought.expiresAt, false], "expired, not forgotten");
    await assert.rejects(openTrack(listener, { ...params(), trackId, storage }), AccessDeniedError);
    const renewed = await purchaseLicense(listener, { deployment: chain.deployment, trackId, offerId });
    assert.equal(renewed.renewal, true);
    assert.ok(renewed.expiresAt > bought.expiresAt + 3_600n, "an expired licence renews from now");
    assert.deepEqual((await openTrack(listener, { ...params(), trackId, storage })).audio, audio);
  });

  it("the key service rejects a busy port instead of hanging or throwing uncaught", async () => {
    const port = Number(new URL(keyService.url).port);
    const publicClient = createPublicClient({ chain: harmonieLocal, transport: http(chain.rpcUrl) });
    await assert.rejects(
      startKeyService({ client: publicClient, deployment: chain.deployment, domain: "keys.harmonie.test", port }),
      (error: NodeJS.ErrnoException) => error.code === "EADDRINUSE",
    );
  });

  it("the key service rejects forged tokens, reused nonces and bad requests", async () => {
    const noToken = await fetch(`${keyService.url}/keys/${trackId}`);
    assert.equal(noToken.status, 401);
    const forged = await fetch(`${keyService.url}/keys/${trackId}`, { headers: { authorization: "Bearer abc.def" } });
    assert.equal(forged.status, 401);
    const badId = await fetch(`${keyService.url}/keys/not-a-number`, { headers: { authorization: "Bearer abc.def" } });
    assert.equal(badId.status, 400);

    const { nonce } = await (await fetch(`${keyService.url}/nonce`)).json();
    const signed = await signIn(wallet(KEYS[1]), { domain: "keys.harmonie.test", uri: keyService.url, nonce });
    const post = () => fetch(`${keyService.url}/session`, { method: "POST", body: JSON.stringify(signed) });
    assert.equal((await post()).status, 200);
    assert.equal((await post()).status, 401, "a nonce works once");

    const wrongDomain = await signIn(wallet(KEYS[1]), {
      domain: "evil.example",
      uri: keyService.url,
      nonce: (await (await fetch(`${keyService.url}/nonce`)).json()).nonce,
    });
    assert.equal(
      (await fetch(`${keyService.url}/session`, { method: "POST", body: JSON.stringify(wrongDomain) })).status,
      401,
    );
    assert.equal((await fetch(`${keyService.url}/session`, { method: "POST", body: "{not json" })).status, 400);
    assert.equal((await fetch(`${keyService.url}/session`, { method: "POST", body: "x".repeat(20_000) })).status, 413);
    const health = await (await fetch(`${keyService.url}/health`)).json();
    assert.deepEqual(health, { service: "keys", ok: true, chainId: 31337, tracks: 1 });
  });
});
