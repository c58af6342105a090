/**
 * Progressive, verified audio: a UnixFS file read from `offset` on, block by block over the gateway
 * (`?format=raw`), each block hashed against its CID by the SDK's verified blockstore before the
 * exporter yields a byte of it. The audio element gets the bytes through the service worker
 * (public/audio-relay.js), so it starts playing on the first leaf instead of the whole file. An
 * exclusive track's ciphertext is verified the same way and decrypted chunk by chunk on top.
 */
import {
  type BlockFetcher,
  ContentVerificationError,
  collect,
  createTrustlessGatewayFetcher,
  createVerifiedBlockstore,
  openEncryptedAudio,
  resolve,
} from "@harmonie/sdk/storage";

/** One UnixFS file, resolved once: its size, and its verified bytes from any offset. */
export interface VerifiedFile {
  size: number;
  read(offset: number, signal?: AbortSignal): AsyncIterable<Uint8Array>;
}

// A few leaves in flight keep the stream ahead of playback without taking every connection the
// browser has for this host (covers and metadata load beside it).
const LEAVES_IN_FLIGHT = 4;

/** Resolves `<cid>/<path>` to a file whose every block is verified as it is read. */
export async function openVerifiedFile(fetchBlock: BlockFetcher, path: string): Promise<VerifiedFile> {
  const store = createVerifiedBlockstore(fetchBlock);
  const entry = await resolve(store, path);
  if (entry.type !== "file" && entry.type !== "raw") throw new Error(`${path} is not a file.`);
  const size = Number(entry.type === "file" ? entry.unixfs.fileSize() : entry.size);
  return {
    size,
    read: (offset, readSignal) => entry.content({ offset, signal: readSignal, blockReadConcurrency: LEAVES_IN_FLIGHT }),
  };
}

/** A file behind the configured gateway, one `?format=raw` request per block. */
export const openGatewayFile = (gateway: string, path: string) =>
  openVerifiedFile(createTrustlessGatewayFetcher(gateway), path);

/** An exclusive track's audio: its ciphertext verified block by block, decrypted chunk by chunk (HCEA-2). */
export const openUnlockedFile = async (
  gateway: string,
  path: string,
  key: CryptoKey,
  context: string | undefined,
): Promise<VerifiedFile> => openEncryptedAudio(await openGatewayFile(gateway, path), key, { context });

export { collect };

/** What the listener reads when a block fails its hash: the audio stops, in plain words. */
export function describeAudioError(error: unknown): string {
  if (error instanceof ContentVerificationError)
    return "Playback stopped: a piece of this track from the IPFS gateway did not match the track's fingerprint, so it was refused. Try again later or use another gateway.";
  if ((error as Error)?.name === "DecryptionError")
    return "Playback stopped: this track's audio did not decrypt with its key (it was altered, or belongs to another track), so it was refused.";
  if ((error as Error)?.name === "NotFoundError")
    return "Playback stopped: the IPFS gateway does not have this track's audio.";
  return "Playback stopped: the track's audio could not be loaded from IPFS.";
}
