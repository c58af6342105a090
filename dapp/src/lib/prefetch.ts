/**
 * A deep link's data, fetched from the start (app/prefetch.ts) into the cache its page reads: the
 * indexer's page, then the metadata or profile document, then the cover or avatar, while the page's
 * code is still on its way. Failures are left to the page, which asks again and says what went wrong.
 */
import { formatIsrc, getAccountsByHandles, isValidIsrc } from "@harmonie/sdk";
import type { QueryClient } from "@tanstack/react-query";
import { type Address, isAddress } from "viem";
import type { Harmonie } from "./harmonie.tsx";
import { artistPageQuery, trackPageQuery } from "./indexed.ts";
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
 * `/artist/0x…` or `/@handle`. The page shows the artist the chain says holds the handle; the chain's
 * answer needs viem and the ABIs (their code loads first), so the indexer's answer starts the artist's
 * data meanwhile. Only a guess: if the chain names someone else, that one's data is fetched instead.
 */
export async function prefetchArtist(queries: QueryClient, harmonie: Harmonie, param: string) {
  if (isAddress(param)) return prefetchArtistData(queries, harmonie, param);
  const handle = param.slice(1);
  if (!param.startsWith("@") || !isValidHandle(handle)) return;
  void getAccountsByHandles(harmonie.indexerUrl, { handles: [handle], first: 1 })
    .then(([account]) => {
      if (account?.handle === handle) return prefetchArtistData(queries, harmonie, account.address);
    })
    .catch(() => {});
  const holder = await queries.fetchQuery(accountOfQuery(harmonie, handle));
  // Already in the cache when the guess was right.
  if (holder) await prefetchArtistData(queries, harmonie, holder);
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
