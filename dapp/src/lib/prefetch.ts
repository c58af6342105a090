/**
 * A deep link's data, fetched from the start (app/prefetch.ts) into the cache its page reads: the
 * indexer's page, then the metadata or profile document, then the cover or avatar, while the page's
 * code is still on its way. Failures are left to the page, which asks again and says what went wrong.
 */
import { formatIsrc, isValidIsrc } from "@harmonie/sdk";
import type { QueryClient } from "@tanstack/react-query";
import { type Address, isAddress } from "viem";
import type { Harmonie } from "./harmonie.tsx";
import { artistPageQuery, indexedHandleQuery, trackPageQuery } from "./indexed.ts";
import { ipfsImageQuery, profileDocumentQuery, trackMetadataQuery } from "./ipfs.ts";
import { accountOfQuery } from "./chain-queries.ts";
import { isValidHandle } from "./handles.ts";

export async function prefetchTrack(queries: QueryClient, harmonie: Harmonie, param: string) {
  if (!isValidIsrc(param)) return;
  const gateway = harmonie.config.ipfsGatewayUrl;
  const page = await queries.fetchQuery(trackPageQuery(harmonie.indexerUrl, formatIsrc(param)));
  if (!page?.metadataCid) return;
  const metadata = await queries.fetchQuery(trackMetadataQuery(gateway, page.metadataCid));
  const cover = metadata.files.cover;
  if (cover) await queries.prefetchQuery(ipfsImageQuery(gateway, `${page.metadataCid}/${cover.path}`, cover.mimeType));
}

/**
 * `/artist/0x…` or `/@handle`. The chain says who holds the handle, but its answer needs viem and the
 * ABIs: the indexer's answer starts the artist's data (the page draws from it, pages/artist/Artist.tsx,
 * until the chain confirms it; if the chain names someone else, the page fetches that one's).
 */
export async function prefetchArtist(queries: QueryClient, harmonie: Harmonie, param: string) {
  if (isAddress(param)) return prefetchArtistData(queries, harmonie, param);
  const handle = param.slice(1);
  if (!param.startsWith("@") || !isValidHandle(handle)) return;
  // The page draws from the indexer's answer and asks the chain once that is on screen (or at once without one).
  const guess = await queries.fetchQuery(indexedHandleQuery(harmonie.indexerUrl, handle)).catch(() => null);
  const artist = guess ?? (await queries.fetchQuery(accountOfQuery(harmonie, handle)));
  if (artist) await prefetchArtistData(queries, harmonie, artist);
}

async function prefetchArtistData(queries: QueryClient, harmonie: Harmonie, artist: Address) {
  const gateway = harmonie.config.ipfsGatewayUrl;
  const page = await queries.fetchQuery(artistPageQuery(harmonie.indexerUrl, artist));
  if (!page?.profileCid) return;
  const profile = await queries.fetchQuery(profileDocumentQuery(gateway, page.profileCid));
  const avatar = profile.avatar;
  if (avatar)
    await queries.prefetchQuery(ipfsImageQuery(gateway, `${page.profileCid}/${avatar.path}`, avatar.mimeType));
}
