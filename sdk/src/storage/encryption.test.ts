import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { deterministicBytes } from "../../../testkit/src/reference-unixfs.ts";
import {
  decryptTrackAudio,
  encryptTrackAudio,
  exportTrackKey,
  generateTrackKey,
  importTrackKey,
  isEncryptedTrackAudio,
} from "./encryption.ts";
import { DecryptionError, HarmonieError } from "../errors.ts";

describe("exclusive audio encryption (AES-256-GCM)", () => {
  it("round-trips, with the documented layout", async () => {
    const key = await generateTrackKey();
    const audio = deterministicBytes(300_000, 1);
    const sealed = await encryptTrackAudio(audio, key, { context: "1116:0xabc:7" });
    assert.ok(isEncryptedTrackAudio(sealed));
    assert.deepEqual([...sealed.subarray(0, 5)], [0x48, 0x43, 0x45, 0x41, 1]);
    assert.equal(sealed.length, 17 + audio.length + 16);
    assert.deepEqual(await decryptTrackAudio(sealed, key, { context: "1116:0xabc:7" }), audio);
  });

  it("fresh IV each time; exported key re-imports", async () => {
    const key = await generateTrackKey();
    const raw = await exportTrackKey(key);
    assert.equal(raw.length, 32);
    const a = await encryptTrackAudio(new Blob([new Uint8Array([1, 2, 3])]), key);
    const b = await encryptTrackAudio(new Uint8Array([1, 2, 3]), key);
    assert.notDeepEqual(a.subarray(5, 17), b.subarray(5, 17));
    assert.deepEqual(await decryptTrackAudio(a, await importTrackKey(raw)), new Uint8Array([1, 2, 3]));
    await assert.rejects(importTrackKey(new Uint8Array(16)), HarmonieError);
  });

  it("wrong key, wrong context, tampering and foreign bytes → DecryptionError, never plaintext", async () => {
    const key = await generateTrackKey();
    const sealed = await encryptTrackAudio(deterministicBytes(1000, 2), key, { context: "track-1" });
    await assert.rejects(decryptTrackAudio(sealed, await generateTrackKey(), { context: "track-1" }), DecryptionError);
    await assert.rejects(decryptTrackAudio(sealed, key, { context: "track-2" }), DecryptionError);
    const flipped = sealed.slice();
    flipped[100] = (flipped[100] ?? 0) ^ 1;
    await assert.rejects(decryptTrackAudio(flipped, key, { context: "track-1" }), DecryptionError);
    const badIv = sealed.slice();
    badIv[6] = (badIv[6] ?? 0) ^ 1;
    await assert.rejects(decryptTrackAudio(badIv, key, { context: "track-1" }), DecryptionError);
    await assert.rejects(decryptTrackAudio(new Uint8Array([1, 2, 3]), key), /not HarmonieCORE encrypted audio/);
    const v2 = sealed.slice();
    v2[4] = 2;
    await assert.rejects(decryptTrackAudio(v2, key, { context: "track-1" }), /version 2 is not supported/);
    const err = await decryptTrackAudio(sealed, await generateTrackKey()).catch((e: unknown) => e);
    assert.equal((err as Error).name, "DecryptionError");
  });
});
