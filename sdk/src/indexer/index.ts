/**
 * Typed queries over the HarmonieCORE subgraph: plain GraphQL over fetch, identical against Core's
 * graph-node and the local emulator (`npm run indexer`). Numbers arrive as strings (BigInt, BigDecimal)
 * and are returned as `bigint`.
 */
import type { Address } from "viem";
import { IndexerError } from "../errors.ts";
import { formatIsrc, trackIdFromIsrc } from "../isrc.ts";

/**
 * Runs one GraphQL query against a subgraph endpoint.
 *
 * @example
 * const data = await queryIndexer<{ tips: { id: string }[] }>(url, "{ tips(first: 5) { id } }");
 * @throws IndexerError on HTTP failures and GraphQL errors
 */
export async function queryIndexer<T>(url: string, query: string, variables: Record<string, unknown> = {}): Promise<T> {
  let response: Response;
  try {
    response = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ query, variables }),
    });
  } catch (cause) {
    throw new IndexerError(url, "unreachable", [], { cause });
  }
  const body = (await response.json().catch(() => undefined)) as
    { data?: T; errors?: { message: string }[] } | undefined;
  if (body?.errors?.length)
    throw new IndexerError(
      url,
      "the query failed",
      body.errors.map((e) => e.message),
    );
  if (!response.ok || !body?.data) throw new IndexerError(url, `HTTP ${response.status}`);
  return body.data;
}

const big = (value: string | null | undefined) => (value == null ? null : BigInt(value));

/** What an indexed amount is in: show it with `decimals`. */
export interface IndexedToken {
  address: Address;
  symbol: string;
  decimals: number;
}

export interface IndexedTip {
  id: string;
  artist: Address;
  from: Address;
  streamId: bigint;
  /** CORE or the ERC-20 the tip was paid in. */
  token: IndexedToken;
  /** In the token's smallest unit. */
  amount: bigint;
  message: string;
  timestamp: bigint;
  blockNumber: bigint;
  transactionHash: `0x${string}`;
}

const TIP_FIELDS =
  "id artist { id } from { id } streamId token { id symbol decimals } amount message timestamp blockNumber transactionHash";
type RawTip = Record<
  "id" | "streamId" | "amount" | "message" | "timestamp" | "blockNumber" | "transactionHash",
  string
> & {
  artist: { id: string };
  from: { id: string };
  token: { id: string; symbol: string; decimals: number };
};
const toTip = (raw: RawTip): IndexedTip => ({
  id: raw.id,
  artist: raw.artist.id as Address,
  from: raw.from.id as Address,
  streamId: BigInt(raw.streamId),
  token: { address: raw.token.id as Address, symbol: raw.token.symbol, decimals: raw.token.decimals },
  amount: BigInt(raw.amount),
  message: raw.message,
  timestamp: BigInt(raw.timestamp),
  blockNumber: BigInt(raw.blockNumber),
  transactionHash: raw.transactionHash as `0x${string}`,
});

/**
 * The latest tips, newest first: all of them, or one artist's.
 *
 * @example
 * const tips = await getLatestTips(indexerUrl, { artist, first: 20 });
 */
export async function getLatestTips(url: string, params: { artist?: Address; first?: number; skip?: number } = {}) {
  const where = params.artist ? { artist: params.artist.toLowerCase() } : {};
  const data = await queryIndexer<{ tips: RawTip[] }>(
    url,
    `query LatestTips($where: Tip_filter, $first: Int, $skip: Int) {
      tips(where: $where, first: $first, skip: $skip, orderBy: timestamp, orderDirection: desc) { ${TIP_FIELDS} }
    }`,
    { where, first: params.first ?? 20, skip: params.skip ?? 0 },
  );
  return data.tips.map(toTip);
}

/**
 * A live session's tips in the order they happened, optionally only those after a block (for polling).
 *
 * @example
 * const tips = await getStreamTips(indexerUrl, { streamId: 3n, afterBlock: lastSeenBlock });
 */
export async function getStreamTips(url: string, params: { streamId: bigint; afterBlock?: bigint; first?: number }) {
  const data = await queryIndexer<{ tips: RawTip[] }>(
    url,
    `query StreamTips($streamId: BigInt!, $afterBlock: BigInt!, $first: Int) {
      tips(where: { streamId: $streamId, blockNumber_gt: $afterBlock }, first: $first, orderBy: blockNumber, orderDirection: asc) { ${TIP_FIELDS} }
    }`,
    {
      streamId: params.streamId.toString(),
      afterBlock: (params.afterBlock ?? -1n).toString(),
      first: params.first ?? 100,
    },
  );
  // graph-node orders ties by id; (block, log index) is the chain's order.
  return data.tips
    .map(toTip)
    .sort(
      (a, b) =>
        Number(a.blockNumber - b.blockNumber) || Number(BigInt(a.id.split("-")[1]) - BigInt(b.id.split("-")[1])),
    );
}

export interface ArtistPage {
  address: Address;
  handle: string | null;
  profileCid: string | null;
  tipVolume: bigint;
  tipCount: bigint;
  licenseRevenue: bigint;
  licenseSalesCount: bigint;
  followerCount: number;
  tracks: { trackId: bigint; isrc: string; metadataCid: string; exclusive: boolean; salesCount: bigint }[];
  streams: { streamId: bigint; title: string; isLive: boolean; tipTotal: bigint; openedAt: bigint }[];
  latestTips: IndexedTip[];
}

/**
 * Everything an artist page shows: profile, totals, tracks, sessions and the latest tips. Undefined if
 * the indexer has never seen the artist.
 */
export async function getArtistPage(
  url: string,
  params: { artist: Address; tips?: number },
): Promise<ArtistPage | undefined> {
  const data = await queryIndexer<{ artist: null | Record<string, any> }>(
    url,
    `query ArtistPage($id: ID!, $tips: Int) {
      artist(id: $id) {
        id tipVolume tipCount licenseRevenue licenseSalesCount followerCount
        account { handle profileCid }
        tracks(orderBy: registeredAt, orderDirection: desc) { id isrc metadataCid exclusive salesCount }
        streams(orderBy: openedAt, orderDirection: desc, first: 10) { id title isLive tipTotal openedAt }
        tips(orderBy: timestamp, orderDirection: desc, first: $tips) { ${TIP_FIELDS} }
      }
    }`,
    { id: params.artist.toLowerCase(), tips: params.tips ?? 20 },
  );
  const a = data.artist;
  if (!a) return undefined;
  return {
    address: a.id,
    handle: a.account.handle,
    profileCid: a.account.profileCid,
    tipVolume: BigInt(a.tipVolume),
    tipCount: BigInt(a.tipCount),
    licenseRevenue: BigInt(a.licenseRevenue),
    licenseSalesCount: BigInt(a.licenseSalesCount),
    followerCount: a.followerCount,
    tracks: a.tracks.map((t: any) => ({
      trackId: BigInt(t.id),
      isrc: t.isrc,
      metadataCid: t.metadataCid,
      exclusive: t.exclusive,
      salesCount: BigInt(t.salesCount),
    })),
    streams: a.streams.map((s: any) => ({
      streamId: BigInt(s.id),
      title: s.title,
      isLive: s.isLive,
      tipTotal: BigInt(s.tipTotal),
      openedAt: BigInt(s.openedAt),
    })),
    latestTips: a.tips.map(toTip),
  };
}

export interface TrackPage {
  trackId: bigint;
  isrc: string;
  artist: Address;
  metadataCid: string;
  exclusive: boolean;
  flagged: boolean;
  flagReason: string | null;
  revenue: bigint;
  salesCount: bigint;
  offers: {
    offerId: bigint;
    tokenId: bigint;
    price: bigint;
    supplyCap: bigint;
    duration: bigint;
    commercialUse: boolean;
    derivativesAllowed: boolean;
    active: boolean;
    sold: number;
  }[];
  splits: { recipient: Address; bps: number }[];
  holders: { account: Address; balance: bigint; expiresAt: bigint | null }[];
}

/** A track page: metadata, offers, splits and current licence holders. Accepts a track id or an ISRC. */
export async function getTrackPage(
  url: string,
  params: { trackId: bigint } | { isrc: string },
): Promise<TrackPage | undefined> {
  const trackId = "trackId" in params ? params.trackId : trackIdFromIsrc(formatIsrc(params.isrc));
  const data = await queryIndexer<{ track: null | Record<string, any> }>(
    url,
    `query TrackPage($id: ID!) {
      track(id: $id) {
        id isrc metadataCid exclusive flagged flagReason revenue salesCount artist { id }
        offers(orderBy: offerId) { offerId tokenId price supplyCap duration commercialUse derivativesAllowed active sold }
        splits(orderBy: index) { recipient { id } bps }
        licenses(where: { balance_gt: "0" }, first: 1000) { holder { id } balance expiresAt }
      }
    }`,
    { id: trackId.toString() },
  );
  const t = data.track;
  if (!t) return undefined;
  return {
    trackId,
    isrc: t.isrc,
    artist: t.artist.id,
    metadataCid: t.metadataCid,
    exclusive: t.exclusive,
    flagged: t.flagged,
    flagReason: t.flagReason,
    revenue: BigInt(t.revenue),
    salesCount: BigInt(t.salesCount),
    offers: t.offers.map((o: any) => ({
      offerId: BigInt(o.offerId),
      tokenId: BigInt(o.tokenId),
      price: BigInt(o.price),
      supplyCap: BigInt(o.supplyCap),
      duration: BigInt(o.duration),
      commercialUse: o.commercialUse,
      derivativesAllowed: o.derivativesAllowed,
      active: o.active,
      sold: o.sold,
    })),
    splits: t.splits.map((s: any) => ({ recipient: s.recipient.id, bps: s.bps })),
    holders: t.licenses.map((l: any) => ({
      account: l.holder.id,
      balance: BigInt(l.balance),
      expiresAt: big(l.expiresAt),
    })),
  };
}

/** Artists ranked by tips received. */
export async function getTopArtists(url: string, params: { first?: number } = {}) {
  const data = await queryIndexer<{
    artists: { id: Address; tipVolume: string; tipCount: string; account: { handle: string | null } }[];
  }>(
    url,
    `query TopArtists($first: Int) { artists(first: $first, orderBy: tipVolume, orderDirection: desc) { id tipVolume tipCount account { handle } } }`,
    { first: params.first ?? 10 },
  );
  return data.artists.map((a) => ({
    address: a.id,
    handle: a.account.handle,
    tipVolume: BigInt(a.tipVolume),
    tipCount: BigInt(a.tipCount),
  }));
}

/** Discover: the newest tracks and the sessions live right now. */
export async function getDiscover(url: string, params: { first?: number } = {}) {
  const data = await queryIndexer<{ tracks: any[]; streams: any[] }>(
    url,
    `query Discover($first: Int) {
      tracks(first: $first, orderBy: registeredAt, orderDirection: desc, where: { flagged: false }) { id isrc metadataCid exclusive artist { id account { handle } } }
      streams(first: $first, orderBy: openedAt, orderDirection: desc, where: { isLive: true }) { id title playbackId tipTotal artist { id account { handle } } gatingTrack { id } }
    }`,
    { first: params.first ?? 20 },
  );
  return {
    tracks: data.tracks.map((t) => ({
      trackId: BigInt(t.id),
      isrc: t.isrc as string,
      metadataCid: t.metadataCid as string,
      exclusive: t.exclusive as boolean,
      artist: t.artist.id as Address,
      artistHandle: t.artist.account.handle as string | null,
    })),
    liveStreams: data.streams.map((s) => ({
      streamId: BigInt(s.id),
      title: s.title as string,
      playbackId: s.playbackId as string,
      tipTotal: BigInt(s.tipTotal),
      artist: s.artist.id as Address,
      artistHandle: s.artist.account.handle as string | null,
      gatingTrackId: s.gatingTrack ? BigInt(s.gatingTrack.id) : null,
    })),
  };
}

export interface IndexedProposal {
  proposalId: bigint;
  proposer: Address;
  description: string;
  targets: Address[];
  values: bigint[];
  calldatas: `0x${string}`[];
  /** From events: PENDING until queued, executed or canceled; compare `voteStart`/`voteEnd` with now for Active. */
  status: "PENDING" | "QUEUED" | "EXECUTED" | "CANCELED";
  voteStart: bigint;
  voteEnd: bigint;
  eta: bigint | null;
  forVotes: bigint;
  againstVotes: bigint;
  abstainVotes: bigint;
  voteCount: number;
}

/** DAO proposals, newest first. */
export async function getProposals(
  url: string,
  params: { first?: number; skip?: number } = {},
): Promise<IndexedProposal[]> {
  const data = await queryIndexer<{ proposals: any[] }>(
    url,
    `query Proposals($first: Int, $skip: Int) {
      proposals(first: $first, skip: $skip, orderBy: createdAt, orderDirection: desc) {
        id proposer { id } description targets values calldatas status voteStart voteEnd eta forVotes againstVotes abstainVotes voteCount
      }
    }`,
    { first: params.first ?? 20, skip: params.skip ?? 0 },
  );
  return data.proposals.map((p) => ({
    proposalId: BigInt(p.id),
    proposer: p.proposer.id,
    description: p.description,
    targets: p.targets,
    values: p.values.map(BigInt),
    calldatas: p.calldatas,
    status: p.status,
    voteStart: BigInt(p.voteStart),
    voteEnd: BigInt(p.voteEnd),
    eta: big(p.eta),
    forVotes: BigInt(p.forVotes),
    againstVotes: BigInt(p.againstVotes),
    abstainVotes: BigInt(p.abstainVotes),
    voteCount: p.voteCount,
  }));
}

/**
 * An artist's earnings per day (tips and licences), oldest first, for charts. Days are unix days
 * (`timestamp / 86400`).
 */
export async function getArtistDailyEarnings(
  url: string,
  params: { artist: Address; fromDay?: number; first?: number },
) {
  // graph-node names the collection `<entity>_collection` when the plural equals the singular.
  const data = await queryIndexer<{ artistDailyStats_collection: any[] }>(
    url,
    `query Earnings($artist: String!, $fromDay: Int!, $first: Int) {
      artistDailyStats_collection(where: { artist: $artist, day_gte: $fromDay }, orderBy: day, orderDirection: asc, first: $first) {
        day date tipVolume tipCount licenseVolume licenseCount followerCount
      }
    }`,
    { artist: params.artist.toLowerCase(), fromDay: params.fromDay ?? 0, first: params.first ?? 365 },
  );
  return data.artistDailyStats_collection.map((d) => ({
    day: d.day as number,
    date: BigInt(d.date),
    tipVolume: BigInt(d.tipVolume),
    tipCount: d.tipCount as number,
    licenseVolume: BigInt(d.licenseVolume),
    licenseCount: d.licenseCount as number,
    followerCount: d.followerCount as number,
  }));
}

export interface ProtocolStats {
  tipVolume: bigint;
  tipCount: bigint;
  /**
   * The tipping fee as last set, in basis points (100 = 1%); null before the first FeeUpdated is
   * indexed. A raise applies from `tipFeeEffectiveAt` (seconds); until then `tipFeePreviousBps` is in force.
   */
  tipFeeBps: number | null;
  tipFeePreviousBps: number | null;
  tipFeeEffectiveAt: bigint | null;
  /** Current licensing fee in basis points. */
  licenseFeeBps: number | null;
  licenseVolume: bigint;
  licenseCount: bigint;
  trackCount: number;
  artistCount: number;
  liveStreamCount: number;
  proposalCount: number;
  /** CORE staked for votes (stCORE supply). */
  stakedSupply: bigint;
}

/**
 * Protocol-wide totals and current parameters, e.g. for a DAO page: what a fee proposal would change.
 *
 * @example
 * const { tipFeeBps, stakedSupply } = await getProtocolStats(indexerUrl);
 */
export async function getProtocolStats(url: string): Promise<ProtocolStats> {
  const data = await queryIndexer<{ protocol: Record<string, any> | null }>(
    url,
    `{ protocol(id: "harmonie") {
      tipVolume tipCount tipFeeBps tipFeePreviousBps tipFeeEffectiveAt licenseFeeBps licenseVolume licenseCount trackCount artistCount liveStreamCount proposalCount stakedSupply
    } }`,
  );
  const p = data.protocol;
  if (!p) throw new IndexerError(url, "the subgraph has not indexed the protocol's deployment yet");
  return {
    tipVolume: BigInt(p.tipVolume),
    tipCount: BigInt(p.tipCount),
    tipFeeBps: p.tipFeeBps,
    tipFeePreviousBps: p.tipFeePreviousBps,
    tipFeeEffectiveAt: big(p.tipFeeEffectiveAt),
    licenseFeeBps: p.licenseFeeBps,
    licenseVolume: BigInt(p.licenseVolume),
    licenseCount: BigInt(p.licenseCount),
    trackCount: p.trackCount,
    artistCount: p.artistCount,
    liveStreamCount: p.liveStreamCount,
    proposalCount: p.proposalCount,
    stakedSupply: BigInt(p.stakedSupply),
  };
}

/** The block the indexer has reached, and whether it hit an indexing error. */
export async function getIndexerStatus(url: string) {
  const data = await queryIndexer<{ _meta: { block: { number: number; hash: string }; hasIndexingErrors: boolean } }>(
    url,
    "{ _meta { block { number hash } hasIndexingErrors } }",
  );
  return {
    blockNumber: BigInt(data._meta.block.number),
    blockHash: data._meta.block.hash,
    hasIndexingErrors: data._meta.hasIndexingErrors,
  };
}
