/**
 * A deep link's data, fetched from the start (app/prefetch.ts) into the cache its page reads: the
 * indexer's page, then the metadata or profile document, then the cover or avatar, while the page's
 * code is still on its way. Failures are left to the page, which asks again and says what went wrong.
 */
import { formatIsrc, isValidHandle, isValidIsrc } from "@harmonie/sdk";
import type { QueryClient } from "@tanstack/react-query";
import { type Address, isAddress } from "viem";
import type { Harmonie } from "./harmonie.tsx";
import { artistPageQuery, trackPageQuery } from "./indexed.ts";
import { ipfsImageQuery, profileDocumentQuery, trackMetadataQuery } from "./ipfs.ts";
import { accountOfQuery } from "./people.tsx";
import { readerOf } from "./wallet.ts";

export async function prefetchTrack(queries: QueryClient, harmonie: Harmonie, param: string) {
  if (!isValidIsrc(param)) return;
  const gateway = harmonie.config.ipfsGatewayUrl;
  const page = await queries.fetchQuery(trackPageQuery(harmonie.indexerUrl, formatIsrc(param)));
  if (!page?.metadataCid) return;
  const metadata = await queries.fetchQuery(trackMetadataQuery(gateway, page.metadataCid));
  const cover = metadata.files.cover;
  if (cover) await queries.prefetchQuery(ipfsImageQuery(gateway, `${page.metadataCid}/${cover.path}`, cover.mimeType));
}

/** `/artist/0x…` or `/@handle` (the handle's holder is asked of the chain first). */
export async function prefetchArtist(queries: QueryClient, harmonie: Harmonie, param: string) {
  let artist: Address | null | undefined;
  if (isAddress(param)) artist = param;
  else if (param.startsWith("@") && isValidHandle(param.slice(1)))
    artist = await queries.fetchQuery(accountOfQuery(readerOf(harmonie), harmonie.deployment, param.slice(1)));
  if (!artist) return;
  const gateway = harmonie.config.ipfsGatewayUrl;
  const page = await queries.fetchQuery(artistPageQuery(harmonie.indexerUrl, artist));
  if (!page?.profileCid) return;
  const profile = await queries.fetchQuery(profileDocumentQuery(gateway, page.profileCid));
  const avatar = profile.avatar;
  if (avatar)
    await queries.prefetchQuery(ipfsImageQuery(gateway, `${page.profileCid}/${avatar.path}`, avatar.mimeType));
}
