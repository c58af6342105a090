/**
 * Encryption of exclusive-track audio with AES-256-GCM through WebCrypto
 * (`globalThis.crypto.subtle`: browsers and Node ≥ 20 alike).
 *
 * Container format, version 2 (`HCEA-2`, what `encryptTrackAudio` writes; all offsets in bytes,
 * integers big-endian): the audio is sealed in chunks, so a player decrypts and starts on the first
 * chunk, and seeks to any chunk, without the whole file.
 *
 * | offset | length | content                                              |
 * | ------ | ------ | ---------------------------------------------------- |
 * | 0      | 4      | magic `HCEA` (0x48 0x43 0x45 0x41)                   |
 * | 4      | 1      | format version, `0x02`                               |
 * | 5      | 4      | chunk size `c` (plaintext bytes per chunk)           |
 * | 9      | 8      | plaintext length `n`                                 |
 * | 17     | 8      | random nonce prefix (fresh for every encryption)     |
 * | 25     | …      | chunk `i` = AES-256-GCM(plaintext[i·c, (i+1)·c)) ‖ 16-byte tag, for i < max(1, ⌈n / c⌉) |
 *
 * Chunk `i`'s IV is the nonce prefix followed by `i` (4 bytes), so chunks cannot be reordered; its
 * additional authenticated data is the 25 header bytes followed by the UTF-8 `context` (e.g.
 * `"<chainId>:<contract>:<trackId>"`), so a chunk moved to another file or track, or a changed length
 * or chunk size, fails authentication like a wrong key does; the length in the header makes a
 * truncated or extended file fail too. Decryption returns authenticated bytes only, chunk by chunk.
 *
 * Version 1 (`HCEA-1`, read only): magic, `0x01`, a 12-byte IV, then one AES-256-GCM ciphertext of
 * the whole file with its tag; the additional data is those 17 bytes and the context.
 */
import { DecryptionError, HarmonieError } from "../errors.ts";

export const ENCRYPTED_AUDIO_MAGIC = Uint8Array.of(0x48, 0x43, 0x45, 0x41);
/** The container version `encryptTrackAudio` writes (1 is still read). */
export const ENCRYPTED_AUDIO_VERSION = 2;
/** Plaintext bytes per chunk `encryptTrackAudio` uses: 64 KiB, 16 bytes of tag each (0.02 %). */
export const ENCRYPTED_AUDIO_CHUNK_BYTES = 64 * 1024;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const V1_HEADER_BYTES = ENCRYPTED_AUDIO_MAGIC.length + 1 + IV_BYTES;
const V2_HEADER_BYTES = ENCRYPTED_AUDIO_MAGIC.length + 1 + 4 + 8 + 8;

export interface EncryptionOptions {
  /** Binds the ciphertext to a context (e.g. the on-chain track id); must match on decrypt. */
  context?: string;
}

function subtle(): SubtleCrypto {
  const s = globalThis.crypto?.subtle;
  if (s === undefined)
    throw new HarmonieError(
      "WebCrypto (crypto.subtle) is unavailable: use a secure context (https) in browsers, or Node.js 20+.",
    );
  return s;
}

/**
 * Generates a fresh, extractable AES-256-GCM key for one track.
 *
 * @example
 * ```ts
 * const key = await generateTrackKey()
 * const raw = await exportTrackKey(key) // 32 bytes to hand to the key service
 * ```
 */
export async function generateTrackKey(): Promise<CryptoKey> {
  return subtle().generateKey({ name: "AES-GCM", length: 256 }, true, ["encrypt", "decrypt"]);
}

/**
 * Exports a track key as its 32 raw bytes.
 *
 * @example
 * ```ts
 * const raw = await exportTrackKey(await generateTrackKey())
 * ```
 */
export async function exportTrackKey(key: CryptoKey): Promise<Uint8Array> {
  return new Uint8Array(await subtle().exportKey("raw", key));
}

/**
 * Imports 32 raw bytes as an AES-256-GCM track key.
 *
 * @throws {HarmonieError} when the key is not exactly 32 bytes.
 * @example
 * ```ts
 * const key = await importTrackKey(rawKeyFromKeyService)
 * ```
 */
export async function importTrackKey(raw: Uint8Array, options: { extractable?: boolean } = {}): Promise<CryptoKey> {
  if (raw.byteLength !== 32)
    throw new HarmonieError(
      `A track key is 32 bytes (AES-256); got ${raw.byteLength}. Pass the bytes returned by exportTrackKey().`,
    );
  return subtle().importKey("raw", raw as Uint8Array<ArrayBuffer>, { name: "AES-GCM" }, options.extractable ?? false, [
    "encrypt",
    "decrypt",
  ]);
}

/**
 * Encrypts track audio into the documented container format (version 2, in chunks).
 *
 * @example
 * ```ts
 * const sealed = await encryptTrackAudio(audioBytes, key, { context: `${chainId}:${trackId}` })
 * ```
 */
export async function encryptTrackAudio(
  plaintext: Uint8Array | Blob,
  key: CryptoKey,
  options: EncryptionOptions & { /** Plaintext bytes per chunk; 64 KiB by default. */ chunkBytes?: number } = {},
): Promise<Uint8Array> {
  assertAesGcmKey(key);
  const data = plaintext instanceof Uint8Array ? plaintext : new Uint8Array(await plaintext.arrayBuffer());
  const chunkBytes = options.chunkBytes ?? ENCRYPTED_AUDIO_CHUNK_BYTES;
  if (!Number.isInteger(chunkBytes) || chunkBytes < 1 || chunkBytes > 0xffffffff)
    throw new HarmonieError(`chunkBytes must be a whole number of bytes from 1 to 2^32 - 1; got ${chunkBytes}.`);
  const header = new Uint8Array(V2_HEADER_BYTES);
  header.set(ENCRYPTED_AUDIO_MAGIC, 0);
  header[4] = 2;
  const view = new DataView(header.buffer);
  view.setUint32(5, chunkBytes);
  view.setBigUint64(9, BigInt(data.byteLength));
  header.set(globalThis.crypto.getRandomValues(new Uint8Array(8)), 17);
  const layout = v2Layout(header);
  const additionalData = aad(header, options.context);
  const out = new Uint8Array(layout.encryptedSize);
  out.set(header, 0);
  for (let index = 0; index < layout.chunks; index++) {
    const chunk = data.subarray(index * chunkBytes, index * chunkBytes + layout.plainBytes(index));
    const sealed = await subtle().encrypt(
      { name: "AES-GCM", iv: layout.iv(index), additionalData, tagLength: TAG_BYTES * 8 },
      key,
      chunk as Uint8Array<ArrayBuffer>,
    );
    out.set(new Uint8Array(sealed), layout.offset(index));
  }
  return out;
}

/**
 * Decrypts and authenticates audio produced by {@link encryptTrackAudio} (version 2, or version 1).
 *
 * @throws {DecryptionError} on a wrong key, wrong context, tampered, truncated or extended bytes, or
 *   an unknown format; no plaintext is ever returned in those cases.
 * @example
 * ```ts
 * const audio = await decryptTrackAudio(sealed, key, { context: `${chainId}:${trackId}` })
 * ```
 */
export async function decryptTrackAudio(
  encrypted: Uint8Array,
  key: CryptoKey,
  options: EncryptionOptions = {},
): Promise<Uint8Array> {
  assertAesGcmKey(key);
  const version = versionOf(encrypted);
  if (version === 1) return decryptV1(encrypted, key, options);
  const header = encrypted.subarray(0, V2_HEADER_BYTES);
  const layout = v2Layout(header);
  if (encrypted.byteLength !== layout.encryptedSize) throw wrongSize(encrypted.byteLength, layout.encryptedSize);
  const out = new Uint8Array(layout.length);
  const additionalData = aad(header, options.context);
  for (let index = 0; index < layout.chunks; index++) {
    const start = layout.offset(index);
    const sealed = encrypted.subarray(start, start + layout.plainBytes(index) + TAG_BYTES);
    out.set(await decryptChunk(key, layout.iv(index), additionalData, sealed), index * layout.chunkBytes);
  }
  return out;
}

/** Bytes from any offset, as a verified IPFS file gives them (`read` yields from `offset` on). */
export interface ByteSource {
  size: number;
  read(offset: number, signal?: AbortSignal): AsyncIterable<Uint8Array>;
}

/**
 * Opens encrypted audio for streaming: the decrypted size, and authenticated plaintext from any offset,
 * decrypted chunk by chunk as the encrypted bytes arrive (a player starts on the first 64 KiB and
 * seeks without the rest). Version 1 files have a single tag, so they are read whole first.
 *
 * @example
 * ```ts
 * const audio = await openEncryptedAudio(await openGatewayFile(gateway, path), key, { context })
 * for await (const bytes of audio.read(0)) sourceBuffer.appendBuffer(bytes)
 * ```
 * @throws {DecryptionError} (from `read` too) on a wrong key or context, or tampered, truncated bytes
 */
export async function openEncryptedAudio(
  source: ByteSource,
  key: CryptoKey,
  options: EncryptionOptions = {},
): Promise<ByteSource> {
  assertAesGcmKey(key);
  const head = await readExactly(source.read(0), Math.min(V2_HEADER_BYTES, source.size));
  if (versionOf(head) === 1) {
    const whole = await decryptTrackAudio(await readExactly(source.read(0), source.size), key, options);
    return {
      size: whole.byteLength,
      read: async function* (offset) {
        yield whole.subarray(offset);
      },
    };
  }
  const header = head.subarray(0, V2_HEADER_BYTES);
  const layout = v2Layout(header);
  if (source.size !== layout.encryptedSize) throw wrongSize(source.size, layout.encryptedSize);
  const additionalData = aad(header, options.context);
  return {
    size: layout.length,
    async *read(offset, signal) {
      if (offset >= layout.length) return;
      let index = Math.floor(offset / layout.chunkBytes);
      let skip = offset - index * layout.chunkBytes;
      let pending: Uint8Array = new Uint8Array(0);
      for await (const bytes of source.read(layout.offset(index), signal)) {
        pending = concat(pending, bytes);
        let sealedBytes = layout.plainBytes(index) + TAG_BYTES;
        while (index < layout.chunks && pending.byteLength >= sealedBytes) {
          const plain = await decryptChunk(key, layout.iv(index), additionalData, pending.subarray(0, sealedBytes));
          pending = pending.subarray(sealedBytes);
          if (plain.byteLength > skip) yield plain.subarray(skip);
          skip = 0;
          index++;
          sealedBytes = index < layout.chunks ? layout.plainBytes(index) + TAG_BYTES : 0;
        }
        if (index >= layout.chunks) return;
      }
      throw new DecryptionError("Encrypted audio ended early (truncated); fetch it again.");
    },
  };
}

/**
 * True when `bytes` starts with the encrypted-audio magic.
 *
 * @example
 * ```ts
 * if (isEncryptedTrackAudio(bytes)) bytes = await decryptTrackAudio(bytes, key)
 * ```
 */
export function isEncryptedTrackAudio(bytes: Uint8Array): boolean {
  return bytes.byteLength >= ENCRYPTED_AUDIO_MAGIC.length && ENCRYPTED_AUDIO_MAGIC.every((b, i) => bytes[i] === b);
}

function aad(header: Uint8Array, context: string | undefined): Uint8Array<ArrayBuffer> {
  const ctx = new TextEncoder().encode(context ?? "");
  const out = new Uint8Array(header.byteLength + ctx.byteLength);
  out.set(header, 0);
  out.set(ctx, header.byteLength);
  return out;
}

function assertAesGcmKey(key: CryptoKey): void {
  const algorithm = key?.algorithm as AesKeyAlgorithm | undefined;
  if (algorithm?.name !== "AES-GCM" || algorithm.length !== 256) {
    throw new DecryptionError(
      "The key is not an AES-256-GCM key; create it with generateTrackKey() or importTrackKey().",
    );
  }
}

/** The container version of `bytes`, or a DecryptionError saying what they are not. */
function versionOf(bytes: Uint8Array): 1 | 2 {
  if (!isEncryptedTrackAudio(bytes)) {
    throw new DecryptionError(
      'These bytes are not HarmonieCORE encrypted audio (missing "HCEA" header). Fetch the .enc audio file of the track package, not the cover or metadata.',
    );
  }
  const version = bytes[ENCRYPTED_AUDIO_MAGIC.length];
  if (version !== 1 && version !== 2) {
    throw new DecryptionError(
      `Encrypted audio format version ${version} is not supported by this SDK (supports 1 and 2); upgrade @harmonie/sdk.`,
    );
  }
  if (version === 2 && bytes.byteLength < V2_HEADER_BYTES)
    throw new DecryptionError("Encrypted audio is truncated (shorter than its header); fetch it again.");
  return version;
}

/** Where each chunk of a version 2 file lies, from its header. */
function v2Layout(header: Uint8Array) {
  const view = new DataView(header.buffer, header.byteOffset, V2_HEADER_BYTES);
  const chunkBytes = view.getUint32(5);
  const length = Number(view.getBigUint64(9));
  if (chunkBytes === 0 || !Number.isSafeInteger(length))
    throw new DecryptionError("Encrypted audio has a malformed header (chunk size or length); fetch it again.");
  const chunks = Math.max(1, Math.ceil(length / chunkBytes));
  const prefix = header.subarray(17, 25);
  return {
    chunkBytes,
    length,
    chunks,
    encryptedSize: V2_HEADER_BYTES + length + chunks * TAG_BYTES,
    offset: (index: number) => V2_HEADER_BYTES + index * (chunkBytes + TAG_BYTES),
    plainBytes: (index: number) => Math.min(chunkBytes, length - index * chunkBytes),
    iv(index: number): Uint8Array<ArrayBuffer> {
      const iv = new Uint8Array(IV_BYTES);
      iv.set(prefix, 0);
      new DataView(iv.buffer).setUint32(8, index);
      return iv;
    },
  };
}

const wrongSize = (actual: number, expected: number) =>
  new DecryptionError(
    `Encrypted audio is ${actual} bytes where its header says ${expected} (${actual < expected ? "truncated" : "extended"}); fetch it again.`,
  );

async function decryptChunk(
  key: CryptoKey,
  iv: Uint8Array<ArrayBuffer>,
  additionalData: Uint8Array<ArrayBuffer>,
  sealed: Uint8Array,
): Promise<Uint8Array> {
  try {
    const plain = await subtle().decrypt(
      { name: "AES-GCM", iv, additionalData, tagLength: TAG_BYTES * 8 },
      key,
      sealed as Uint8Array<ArrayBuffer>,
    );
    return new Uint8Array(plain);
  } catch (err) {
    throw new DecryptionError(
      "Decryption failed: wrong key, wrong context, or the encrypted audio was modified. Request the key for this exact track again.",
      { cause: err },
    );
  }
}

async function decryptV1(encrypted: Uint8Array, key: CryptoKey, options: EncryptionOptions): Promise<Uint8Array> {
  if (encrypted.byteLength < V1_HEADER_BYTES + TAG_BYTES)
    throw new DecryptionError("Encrypted audio is truncated (shorter than header + tag); fetch it again.");
  const header = encrypted.subarray(0, V1_HEADER_BYTES);
  const iv = encrypted.subarray(ENCRYPTED_AUDIO_MAGIC.length + 1, V1_HEADER_BYTES) as Uint8Array<ArrayBuffer>;
  return decryptChunk(key, iv, aad(header, options.context), encrypted.subarray(V1_HEADER_BYTES));
}

/** The first `length` bytes of a stream (fewer only if it ends first), then stops reading it. */
async function readExactly(stream: AsyncIterable<Uint8Array>, length: number): Promise<Uint8Array> {
  let out: Uint8Array = new Uint8Array(0);
  for await (const bytes of stream) {
    out = concat(out, bytes);
    if (out.byteLength >= length) break;
  }
  return out.subarray(0, length);
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  if (a.byteLength === 0) return b;
  const out = new Uint8Array(a.byteLength + b.byteLength);
  out.set(a, 0);
  out.set(b, a.byteLength);
  return out;
}
