/** Live sessions as indexed. Their tips: `getStreamTips`. */
import type { Address } from "viem";
import type { Account, Stream } from "../generated/subgraph.ts";
import { type Row, address, big, bigOrNull, queryIndexer } from "./core.ts";

/** A live session as indexed. The chain's view (open or closed now) is `getSession`. */
export interface IndexedStream {
  streamId: bigint;
  artist: Address;
  artistHandle: string | null;
  title: string;
  /** Livepeer's playback id, or `rooms:<signalling url>` for a session broadcast through a rooms service. */
  playbackId: string;
  /** The track whose licence admits viewers; null if the session is open to all. */
  gatingTrackId: bigint | null;
  isLive: boolean;
  openedAt: bigint;
  closedAt: bigint | null;
  /** Reported by the artist at closing; null while live. */
  peakViewers: bigint | null;
  /** CORE tips naming the session. */
  tipTotal: bigint;
  tipCount: number;
}

type RawStream = Row<
  Stream,
  | "id"
  | "title"
  | "playbackId"
  | "gatingTrack"
  | "isLive"
  | "openedAt"
  | "closedAt"
  | "peakViewers"
  | "tipTotal"
  | "tipCount",
  { artist: { id: string; account: Row<Account, "handle"> } }
>;

/**
 * One live session by id. Undefined if the indexer has not seen it (yet: a session opened a block ago
 * may not be indexed).
 *
 * @example
 * const stream = await getStream(indexerUrl, { streamId: 3n });
 * if (stream?.playbackId.startsWith("rooms:")) joinRoom(stream);
 */
export async function getStream(url: string, params: { streamId: bigint }): Promise<IndexedStream | undefined> {
  const { stream: s } = await queryIndexer<{ stream: RawStream | null }>(
    url,
    `query Stream($id: ID!) {
      stream(id: $id) { id title playbackId gatingTrack { id } isLive openedAt closedAt peakViewers tipTotal tipCount artist { id account { handle } } }
    }`,
    { id: params.streamId.toString() },
  );
  if (!s) return undefined;
  return {
    streamId: big(s.id),
    artist: address(s.artist.id),
    artistHandle: s.artist.account.handle,
    title: s.title,
    playbackId: s.playbackId,
    gatingTrackId: s.gatingTrack ? big(s.gatingTrack.id) : null,
    isLive: s.isLive,
    openedAt: big(s.openedAt),
    closedAt: bigOrNull(s.closedAt),
    peakViewers: bigOrNull(s.peakViewers),
    tipTotal: big(s.tipTotal),
    tipCount: s.tipCount,
  };
}
