/**
 * Encryption of exclusive-track audio with AES-256-GCM through WebCrypto
 * (`globalThis.crypto.subtle`: browsers and Node ≥ 20 alike).
 *
 * Container format, version 1 (all offsets in bytes):
 *
 * | offset | length | content                                        |
 * | ------ | ------ | ---------------------------------------------- |
 * | 0      | 4      | magic `HCEA` (0x48 0x43 0x45 0x41)             |
 * | 4      | 1      | format version, `0x01`                         |
 * | 5      | 12     | random IV (fresh for every encryption)         |
 * | 17     | n + 16 | AES-256-GCM ciphertext followed by 16-byte tag |
 *
 * The 17 header bytes, followed by the UTF-8 bytes of the optional
 * `context` string (e.g. `"<chainId>:<contract>:<trackId>"`), are the GCM
 * additional authenticated data: a ciphertext moved to another track, or a
 * changed header, fails authentication just like a wrong key does.
 * Decryption either returns the exact plaintext or throws; it never
 * returns unauthenticated bytes.
 */
import { DecryptionError, HarmonieError } from "../errors.ts";

export const ENCRYPTED_AUDIO_MAGIC = Uint8Array.of(0x48, 0x43, 0x45, 0x41);
export const ENCRYPTED_AUDIO_VERSION = 1;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const HEADER_BYTES = ENCRYPTED_AUDIO_MAGIC.length + 1 + IV_BYTES;

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
 * Encrypts track audio into the documented container format.
 *
 * @example
 * ```ts
 * const sealed = await encryptTrackAudio(audioBytes, key, { context: `${chainId}:${trackId}` })
 * ```
 */
export async function encryptTrackAudio(
  plaintext: Uint8Array | Blob,
  key: CryptoKey,
  options: EncryptionOptions = {},
): Promise<Uint8Array> {
  assertAesGcmKey(key);
  const data = plaintext instanceof Uint8Array ? plaintext : new Uint8Array(await plaintext.arrayBuffer());
  const header = new Uint8Array(HEADER_BYTES);
  header.set(ENCRYPTED_AUDIO_MAGIC, 0);
  header[ENCRYPTED_AUDIO_MAGIC.length] = ENCRYPTED_AUDIO_VERSION;
  const iv = globalThis.crypto.getRandomValues(new Uint8Array(IV_BYTES));
  header.set(iv, ENCRYPTED_AUDIO_MAGIC.length + 1);
  const ciphertext = await subtle().encrypt(
    { name: "AES-GCM", iv, additionalData: aad(header, options.context), tagLength: TAG_BYTES * 8 },
    key,
    data as Uint8Array<ArrayBuffer>,
  );
  const out = new Uint8Array(HEADER_BYTES + ciphertext.byteLength);
  out.set(header, 0);
  out.set(new Uint8Array(ciphertext), HEADER_BYTES);
  return out;
}

/**
 * Decrypts and authenticates audio produced by {@link encryptTrackAudio}.
 *
 * @throws {DecryptionError} on a wrong key, wrong context, tampered bytes or
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
  if (!isEncryptedTrackAudio(encrypted)) {
    throw new DecryptionError(
      'These bytes are not HarmonieCORE encrypted audio (missing "HCEA" header). Fetch the .enc audio file of the track package, not the cover or metadata.',
    );
  }
  const version = encrypted[ENCRYPTED_AUDIO_MAGIC.length];
  if (version !== ENCRYPTED_AUDIO_VERSION) {
    throw new DecryptionError(
      `Encrypted audio format version ${version} is not supported by this SDK (supports ${ENCRYPTED_AUDIO_VERSION}); upgrade @harmonie/sdk.`,
    );
  }
  if (encrypted.byteLength < HEADER_BYTES + TAG_BYTES)
    throw new DecryptionError("Encrypted audio is truncated (shorter than header + tag); fetch it again.");
  const header = encrypted.subarray(0, HEADER_BYTES);
  const iv = encrypted.subarray(ENCRYPTED_AUDIO_MAGIC.length + 1, HEADER_BYTES);
  try {
    const plaintext = await subtle().decrypt(
      {
        name: "AES-GCM",
        iv: iv as Uint8Array<ArrayBuffer>,
        additionalData: aad(header, options.context),
        tagLength: TAG_BYTES * 8,
      },
      key,
      encrypted.subarray(HEADER_BYTES) as Uint8Array<ArrayBuffer>,
    );
    return new Uint8Array(plaintext);
  } catch (err) {
    throw new DecryptionError(
      "Decryption failed: wrong key, wrong context, or the encrypted audio was modified. Request the key for this exact track again.",
      { cause: err },
    );
  }
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
