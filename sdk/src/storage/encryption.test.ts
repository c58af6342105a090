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
  openEncryptedAudio,
} from "./encryption.ts";
import { DecryptionError, HarmonieError } from "../errors.ts";

describe("exclusive audio encryption (AES-256-GCM)", () => {
  it("round-trips, with the documented layout: header, then one tag per 64 KiB chunk", async () => {
    const key = await generateTrackKey();
    const audio = deterministicBytes(300_000, 1);
    const sealed = await encryptTrackAudio(audio, key, { context: "1116:0xabc:7" });
    assert.ok(isEncryptedTrackAudio(sealed));
    assert.deepEqual([...sealed.subarray(0, 5)], [0x48, 0x43, 0x45, 0x41, 2]);
    const header = new DataView(sealed.buffer, sealed.byteOffset, 25);
    assert.equal(header.getUint32(5), 65_536);
    assert.equal(header.getBigUint64(9), 300_000n);
    assert.equal(sealed.length, 25 + audio.length + 5 * 16, "⌈300,000 / 65,536⌉ = 5 chunks");
    assert.deepEqual(await decryptTrackAudio(sealed, key, { context: "1116:0xabc:7" }), audio);
    // Chunk 0 alone is AES-GCM of the first 64 KiB with IV = nonce prefix ‖ 0 and the header as AAD.
    const iv = new Uint8Array(12);
    iv.set(sealed.subarray(17, 25));
    const aad = new Uint8Array([...sealed.subarray(0, 25), ...new TextEncoder().encode("1116:0xabc:7")]);
    const first = await crypto.subtle.decrypt(
      { name: "AES-GCM", iv, additionalData: aad },
      key,
      sealed.slice(25, 25 + 65_536 + 16),
    );
    assert.deepEqual(new Uint8Array(first), audio.subarray(0, 65_536));
    for (const n of [0, 1, 65_536, 65_537]) {
      const exact = await encryptTrackAudio(deterministicBytes(n, 3), key);
      assert.equal(exact.length, 25 + n + Math.max(1, Math.ceil(n / 65_536)) * 16, `${n} bytes`);
      assert.deepEqual(await decryptTrackAudio(exact, key), deterministicBytes(n, 3));
    }
  });

  it("still reads version 1 (one GCM over the whole file), whole and through openEncryptedAudio", async () => {
    const key = await generateTrackKey();
    const audio = deterministicBytes(5_000, 4);
    const iv = crypto.getRandomValues(new Uint8Array(12));
    const header = new Uint8Array([0x48, 0x43, 0x45, 0x41, 1, ...iv]);
    const additionalData = new Uint8Array([...header, ...new TextEncoder().encode("ctx")]);
    const body = new Uint8Array(await crypto.subtle.encrypt({ name: "AES-GCM", iv, additionalData }, key, audio));
    const v1 = new Uint8Array([...header, ...body]);
    assert.deepEqual(await decryptTrackAudio(v1, key, { context: "ctx" }), audio);
    const opened = await openEncryptedAudio(source(v1), key, { context: "ctx" });
    assert.equal(opened.size, 5_000);
    assert.deepEqual(await readAll(opened.read(1_000)), audio.subarray(1_000));
    await assert.rejects(decryptTrackAudio(v1, key, { context: "other" }), DecryptionError);
  });

  it("streams: plaintext from any offset, decrypted chunk by chunk as bytes arrive", async () => {
    const key = await generateTrackKey();
    const audio = deterministicBytes(200_000, 5);
    const sealed = await encryptTrackAudio(audio, key, { context: "t", chunkBytes: 10_000 });
    const pulled: number[] = [];
    const opened = await openEncryptedAudio(source(sealed, 4_096, pulled), key, { context: "t" });
    assert.equal(opened.size, 200_000);
    for (const offset of [0, 1, 9_999, 10_000, 123_457, 199_999])
      assert.deepEqual(await readAll(opened.read(offset)), audio.subarray(offset), `from ${offset}`);
    assert.deepEqual(await readAll(opened.read(200_000)), new Uint8Array(0));
    // The first plaintext comes after the first chunk's bytes, not the file's.
    pulled.length = 0;
    const reader = opened.read(0)[Symbol.asyncIterator]();
    const first = await reader.next();
    assert.equal((first.value as Uint8Array).byteLength, 10_000);
    assert.ok(pulled.reduce((a, b) => a + b, 0) <= 3 * 4_096 + 10_016, `read ${pulled.length} pieces first`);
    await reader.return?.();
  });

  it("streaming refuses, at the chunk concerned: a tampered chunk, swapped chunks, a changed length, truncation", async () => {
    const key = await generateTrackKey();
    const audio = deterministicBytes(50_000, 6);
    const sealed = await encryptTrackAudio(audio, key, { chunkBytes: 10_000 });
    const chunk = (i: number) => 25 + i * 10_016;
    const tampered = sealed.slice();
    tampered[chunk(3) + 5] ^= 1;
    const opened = await openEncryptedAudio(source(tampered), key);
    const seen: number[] = [];
    await assert.rejects(async () => {
      for await (const bytes of opened.read(0)) seen.push(bytes.byteLength);
    }, DecryptionError);
    assert.deepEqual(seen, [10_000, 10_000, 10_000], "the three good chunks, then the refusal");
    const swapped = sealed.slice();
    swapped.set(sealed.subarray(chunk(1), chunk(2)), chunk(0));
    swapped.set(sealed.subarray(chunk(0), chunk(1)), chunk(1));
    await assert.rejects(decryptTrackAudio(swapped, key), DecryptionError);
    const longer = sealed.slice();
    new DataView(longer.buffer).setBigUint64(9, 40_000n);
    await assert.rejects(decryptTrackAudio(longer, key), /says/);
    await assert.rejects(decryptTrackAudio(sealed.subarray(0, chunk(4)), key), /truncated/);
    await assert.rejects(openEncryptedAudio(source(sealed.subarray(0, chunk(4))), key), /truncated/);
    // A source that lies about its size and ends early.
    const short = { size: sealed.length, read: source(sealed.subarray(0, chunk(2))).read };
    await assert.rejects(readAll((await openEncryptedAudio(short, key)).read(0)), /ended early/);
  });

  it("fresh IV each time; exported key re-imports", async () => {
    const key = await generateTrackKey();
    const raw = await exportTrackKey(key);
    assert.equal(raw.length, 32);
    const a = await encryptTrackAudio(new Blob([new Uint8Array([1, 2, 3])]), key);
    const b = await encryptTrackAudio(new Uint8Array([1, 2, 3]), key);
    assert.notDeepEqual(a.subarray(17, 25), b.subarray(17, 25), "fresh nonce prefix");
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
    const badNonce = sealed.slice();
    badNonce[20] = (badNonce[20] ?? 0) ^ 1;
    await assert.rejects(decryptTrackAudio(badNonce, key, { context: "track-1" }), DecryptionError);
    await assert.rejects(decryptTrackAudio(new Uint8Array([1, 2, 3]), key), /not HarmonieCORE encrypted audio/);
    const v3 = sealed.slice();
    v3[4] = 3;
    await assert.rejects(decryptTrackAudio(v3, key, { context: "track-1" }), /version 3 is not supported/);
    const err = await decryptTrackAudio(sealed, await generateTrackKey()).catch((e: unknown) => e);
    assert.equal((err as Error).name, "DecryptionError");
  });
});

/** `bytes` as a ByteSource, in pieces of `piece` bytes; `pulled` records each piece handed out. */
function source(bytes: Uint8Array, piece = 65_536, pulled: number[] = []) {
  return {
    size: bytes.byteLength,
    async *read(offset: number) {
      for (let at = offset; at < bytes.byteLength; at += piece) {
        const out = bytes.subarray(at, at + piece);
        pulled.push(out.byteLength);
        yield out;
      }
    },
  };
}

async function readAll(stream: AsyncIterable<Uint8Array>): Promise<Uint8Array> {
  const parts: number[] = [];
  for await (const bytes of stream) parts.push(...bytes);
  return new Uint8Array(parts);
}
