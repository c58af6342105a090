/**
 * Deep links (a track, an artist) start fetching their data with the app, beside their page's code,
 * instead of once that code has arrived and rendered: the page then draws from the query cache.
 * The fetching code (lib/prefetch.ts) is a chunk of its own, out of the entry.
 */
import type { QueryClient } from "@tanstack/react-query";
import type { Harmonie } from "../lib/harmonie.tsx";

export function prefetchDeepLink(queries: QueryClient, harmonie: Harmonie, pathname: string) {
  const track = /^\/track\/([^/]+)\/?$/.exec(pathname)?.[1];
  const artist = /^\/(?:artist\/([^/]+)|(@[^/]+))\/?$/.exec(pathname)?.slice(1).find(Boolean);
  if (!track && !artist) return;
  const param = decodeURIComponent((track ?? artist)!);
  import("../lib/prefetch.ts")
    .then((prefetch) =>
      track ? prefetch.prefetchTrack(queries, harmonie, param) : prefetch.prefetchArtist(queries, harmonie, param),
    )
    .catch(() => {}); // the page asks again, and says what went wrong
}
