/**
 * "Save for offline": a licensed track's (decrypted) audio and a little metadata, kept in Cache
 * Storage under this origin, so the Offline page plays it with no network at all.
 */
const CACHE = "harmonie-saved-tracks";

export interface SavedTrack {
  isrc: string;
  title: string;
  artist: string;
  mimeType: string;
  savedAt: number;
}

const url = (isrc: string, part: "audio" | "info") => new URL(`/saved-tracks/${isrc}/${part}`, location.origin).href;

export async function saveTrack(info: Omit<SavedTrack, "savedAt">, audio: Uint8Array): Promise<void> {
  const cache = await caches.open(CACHE);
  await cache.put(
    url(info.isrc, "audio"),
    new Response(new Blob([audio as Uint8Array<ArrayBuffer>], { type: info.mimeType })),
  );
  await cache.put(url(info.isrc, "info"), Response.json({ ...info, savedAt: Date.now() }));
}

export async function listSavedTracks(): Promise<SavedTrack[]> {
  const cache = await caches.open(CACHE);
  const infos = (await cache.keys()).filter((request) => request.url.endsWith("/info"));
  const tracks = await Promise.all(
    infos.map(async (request) => (await (await cache.match(request))!.json()) as SavedTrack),
  );
  return tracks.sort((a, b) => b.savedAt - a.savedAt);
}

export async function isTrackSaved(isrc: string): Promise<boolean> {
  return !!(await (await caches.open(CACHE)).match(url(isrc, "info")));
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
