/**
 * "Save for offline": a licensed track's (decrypted) audio and a little metadata, kept in Cache
 * Storage under this origin, so the Offline page plays it with no network at all.
 *
 * A saved exclusive track is only as good as the licence it was saved under: before a copy plays,
 * `checkSavedTrack` asks the chain (its clock, not the device's) whether the account that saved it
 * still has access. When it does not, the decrypted audio is deleted and the entry stays as a
 * locked line with a way to renew. With no connection, the expiry remembered at the last check is
 * compared with the latest clock seen (the chain's or the device's, whichever is later).
 */
import { type Deployment, getLicenseStatus, trackIdFromIsrc } from "@harmonie/sdk";
import { type Address, type Client, zeroAddress } from "viem";
import { getBlock } from "viem/actions";

const CACHE = "harmonie-saved-tracks";

export interface SavedTrack {
  isrc: string;
  title: string;
  artist: string;
  mimeType: string;
  savedAt: number;
  /** Exclusive tracks need a licence to stay playable; open ones never lock. */
  exclusive?: boolean;
  /** The account whose licence the copy was saved under. */
  holder?: Address;
  /** When that licence ends (unix seconds, the chain's clock, as a string); null: it does not end. */
  expiresAt?: string | null;
  /** The chain's clock at the last check (unix seconds, as a string). */
  checkedAt?: string;
  /** Set once the licence ended: the audio is gone, the entry says why. */
  locked?: { expiredAt: string | null };
}

const url = (isrc: string, part: "audio" | "info") => new URL(`/saved-tracks/${isrc}/${part}`, location.origin).href;

export async function saveTrack(info: Omit<SavedTrack, "savedAt" | "locked">, audio: Uint8Array): Promise<void> {
  const cache = await caches.open(CACHE);
  await cache.put(
    url(info.isrc, "audio"),
    new Response(new Blob([audio as Uint8Array<ArrayBuffer>], { type: info.mimeType })),
  );
  await writeInfo(cache, { ...info, savedAt: Date.now() });
}

const writeInfo = (cache: Cache, info: SavedTrack) => cache.put(url(info.isrc, "info"), Response.json(info));

export async function listSavedTracks(): Promise<SavedTrack[]> {
  const cache = await caches.open(CACHE);
  const infos = (await cache.keys()).filter((request) => request.url.endsWith("/info"));
  const tracks = await Promise.all(
    infos.map(async (request) => (await (await cache.match(request))!.json()) as SavedTrack),
  );
  return tracks.sort((a, b) => b.savedAt - a.savedAt);
}

/** Whether a playable copy is saved (a locked entry is not one: the track can be saved again). */
export async function isTrackSaved(isrc: string): Promise<boolean> {
  const response = await (await caches.open(CACHE)).match(url(isrc, "info"));
  return !!response && !((await response.json()) as SavedTrack).locked;
}

/** An object URL for the saved audio, or undefined. */
export async function savedAudioUrl(isrc: string): Promise<string | undefined> {
  const response = await (await caches.open(CACHE)).match(url(isrc, "audio"));
  return response ? URL.createObjectURL(await response.blob()) : undefined;
}

export async function removeSavedTrack(isrc: string): Promise<void> {
  const cache = await caches.open(CACHE);
  await Promise.all([cache.delete(url(isrc, "audio")), cache.delete(url(isrc, "info"))]);
}

/** The later of the device's clock and the chain's as last seen: an offline check can't be set back by a slow clock. */
function clockOf(saved: SavedTrack): bigint {
  const device = BigInt(Math.floor(Date.now() / 1000));
  const chain = saved.checkedAt ? BigInt(saved.checkedAt) : 0n;
  return device > chain ? device : chain;
}

/**
 * Checks a saved copy against its licence and locks it (deletes the audio) once the licence has
 * ended. Returns the entry as it now stands. `client` reads the chain; when it can't be reached the
 * remembered expiry decides.
 */
export async function checkSavedTrack(client: Client, deployment: Deployment, saved: SavedTrack): Promise<SavedTrack> {
  if (saved.locked || saved.exclusive === false) return saved;
  let next: SavedTrack;
  try {
    // A copy saved before copies named their licence is checked as nobody's: it plays on only if the
    // track is open to everyone.
    const account = saved.holder ?? zeroAddress;
    const [status, block] = await Promise.all([
      getLicenseStatus(client, { deployment, account, trackId: trackIdFromIsrc(saved.isrc) }),
      getBlock(client),
    ]);
    if (!status.hasAccess) return await lock(saved, status.expiresAt > 0n ? String(status.expiresAt) : null);
    const ends = status.perpetual === 0n && !status.isRightsHolder && status.expiresAt > 0n;
    next = { ...saved, expiresAt: ends ? String(status.expiresAt) : null, checkedAt: String(block.timestamp) };
  } catch {
    // No chain: the expiry known from the last check.
    if (saved.expiresAt && BigInt(saved.expiresAt) <= clockOf(saved)) return lock(saved, saved.expiresAt);
    return saved;
  }
  await writeInfo(await caches.open(CACHE), next);
  return next;
}

async function lock(saved: SavedTrack, expiredAt: string | null): Promise<SavedTrack> {
  const cache = await caches.open(CACHE);
  const locked = { ...saved, locked: { expiredAt } };
  await cache.delete(url(saved.isrc, "audio"));
  await writeInfo(cache, locked);
  return locked;
}
