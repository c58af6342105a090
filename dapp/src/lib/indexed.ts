/**
 * The indexer's artist and track pages, shared by every page that shows them (one cache entry each).
 * The SDK answers `undefined` for what the indexer has never seen; a query may not resolve to
 * `undefined` (TanStack Query rejects it), so "not indexed" is `null` here, and pages say so.
 */
import { getAccountsByHandles, getArtistPage, getTrackPage } from "@harmonie/sdk";
import { useQuery } from "@tanstack/react-query";
import type { Address } from "viem";
import { useHarmonie } from "./harmonie.tsx";

/** The queries themselves, shared with the deep links' prefetch (app/prefetch.ts). */
export const artistPageQuery = (indexerUrl: string, artist: Address | undefined) => ({
  queryKey: ["artist", artist?.toLowerCase()],
  queryFn: async () => (await getArtistPage(indexerUrl, { artist: artist! })) ?? null,
});

/**
 * Who holds `handle` as the indexer has it (`null`: nobody it knows of). Only a first answer for a
 * `/@handle` page to draw from while the chain's (the word that counts) is on its way.
 */
export const indexedHandleQuery = (indexerUrl: string, handle: string) => ({
  queryKey: ["indexed-handle", handle],
  queryFn: async () =>
    (await getAccountsByHandles(indexerUrl, { handles: [handle], first: 1 })).find((a) => a.handle === handle)
      ?.address ?? null,
});

export const trackPageQuery = (indexerUrl: string, isrc: string) => ({
  queryKey: ["track", isrc],
  queryFn: async () => (await getTrackPage(indexerUrl, { isrc })) ?? null,
});

/** `pollWhileMissing`: the chain knows the artist, so the indexer will too in a moment. */
export function useArtistPage(artist: Address | undefined, options: { pollWhileMissing?: boolean } = {}) {
  const { indexerUrl } = useHarmonie();
  return useQuery({
    ...artistPageQuery(indexerUrl, artist),
    enabled: !!artist,
    refetchInterval: (query) => (options.pollWhileMissing && query.state.data === null ? 3_000 : false),
  });
}

export function useTrackPage(isrc: string) {
  const { indexerUrl } = useHarmonie();
  return useQuery({
    ...trackPageQuery(indexerUrl, isrc),
    // A track registered a moment ago appears once the indexer has its block.
    refetchInterval: (query) => (query.state.data === null ? 3_000 : false),
  });
}
