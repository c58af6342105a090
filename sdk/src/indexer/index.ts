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

const TOKEN_FIELDS = "id symbol decimals";
type RawToken = { id: string; symbol: string; decimals: number };
const toToken = (raw: RawToken): IndexedToken => ({
  address: raw.id as Address,
  symbol: raw.symbol,
  decimals: raw.decimals,
});

/**
 * A track's standing as the subgraph names it. Anything but `ACTIVE` is frozen: no sales, edits,
 * transfers or royalties (`FLAGGED` until governance lifts it, `REVOKED` until governance reassigns it).
 */
export type IndexedTrackStatus = "ACTIVE" | "FLAGGED" | "REVOKED";

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
  token: RawToken;
};
const toTip = (raw: RawTip): IndexedTip => ({
  id: raw.id,
  artist: raw.artist.id as Address,
  from: raw.from.id as Address,
  streamId: BigInt(raw.streamId),
  token: toToken(raw.token),
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
  /** Sum of CORE licence prices of tracks while the artist owned them (per token: the track page's `revenues`). */
  licenseRevenue: bigint;
  /** Licence purchases of those tracks, in any token, renewals included. */
  licenseSalesCount: bigint;
  followerCount: number;
  /** The tracks the artist owns now (a track handed over or reassigned lists under its new artist). */
  tracks: {
    trackId: bigint;
    isrc: string;
    metadataCid: string;
    exclusive: boolean;
    status: IndexedTrackStatus;
    salesCount: bigint;
  }[];
  streams: { streamId: bigint; title: string; isLive: boolean; tipTotal: bigint; openedAt: bigint }[];
  latestTips: IndexedTip[];
}

/**
 * Everything an artist page shows: profile, totals, tracks (with their status since v2), sessions and
 * the latest tips. Undefined if the indexer has never seen the artist.
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
        tracks(orderBy: registeredAt, orderDirection: desc) { id isrc metadataCid exclusive status salesCount }
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
      status: t.status,
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

/** A licence offer as indexed: its terms, its token, and how much it sold. */
export interface IndexedOffer {
  offerId: bigint;
  tokenId: bigint;
  /** What the price is in: CORE or an allow-listed ERC-20. */
  token: IndexedToken;
  /** In the token's smallest unit. */
  price: bigint;
  /** Most licences ever issued (0 = unlimited); renewals do not count. */
  supplyCap: bigint;
  /** Most licences one account may buy (0 = unlimited); renewals do not count. */
  perBuyerLimit: bigint;
  /** Seconds a licence lasts (0 = perpetual and transferable). */
  duration: bigint;
  commercialUse: boolean;
  derivativesAllowed: boolean;
  active: boolean;
  /** Licences issued: what `supplyCap` counts. */
  issued: number;
  /** Renewals of timed licences (no new token). */
  renewals: number;
  /** @deprecated The subgraph renamed it `issued` (renewals excluded, as before); same value. */
  sold: number;
}

const OFFER_FIELDS = `offerId tokenId token { ${TOKEN_FIELDS} } price supplyCap perBuyerLimit duration commercialUse derivativesAllowed active issued renewals`;
const toOffer = (o: any): IndexedOffer => ({
  offerId: BigInt(o.offerId),
  tokenId: BigInt(o.tokenId),
  token: toToken(o.token),
  price: BigInt(o.price),
  supplyCap: BigInt(o.supplyCap),
  perBuyerLimit: BigInt(o.perBuyerLimit),
  duration: BigInt(o.duration),
  commercialUse: o.commercialUse,
  derivativesAllowed: o.derivativesAllowed,
  active: o.active,
  issued: o.issued,
  renewals: o.renewals,
  sold: o.issued,
});

/** One change of a track's owner. */
export interface IndexedOwnershipChange {
  kind: "REGISTERED" | "TRANSFERRED" | "REASSIGNED";
  /** Null for the registration. */
  from: Address | null;
  to: Address;
  /** The registering or accepting artist, or the timelock or code registrant that reassigned it. */
  by: Address;
  /** Reassignments only. */
  reason: string | null;
  /** The splits this change set; null for a hand-over (splits unchanged). */
  splits: { recipient: Address; bps: number }[] | null;
  timestamp: bigint;
  transactionHash: `0x${string}`;
}

export interface TrackPage {
  trackId: bigint;
  isrc: string;
  /** The current owner (moved by hand-overs and reassignments: see `ownershipHistory`). */
  artist: Address;
  metadataCid: string;
  exclusive: boolean;
  status: IndexedTrackStatus;
  /** `status !== "ACTIVE"`: no sales, edits or transfers. */
  frozen: boolean;
  /** `status === "FLAGGED"` (kept from v1, where it was the only freeze; a revoked track is `frozen` but not flagged). */
  flagged: boolean;
  flagReason: string | null;
  revokeReason: string | null;
  /** The ISRC's registrant code, e.g. `USRC1`. */
  registrantCode: string;
  /** The code's registrant who approved the registration; null if the code was unclaimed then. */
  registrant: Address | null;
  /** Who the artist offered the track to, until they accept; null if nobody. */
  pendingArtist: Address | null;
  royaltyBps: number;
  /** CORE licence sales (gross); other tokens: `revenues`. */
  revenue: bigint;
  /** Licence purchases in any token, renewals included. */
  salesCount: bigint;
  /** Sales and collected royalties per token. */
  revenues: { token: IndexedToken; volume: bigint; salesCount: bigint; fees: bigint; royalties: bigint }[];
  offers: IndexedOffer[];
  /** The current splits (a reassignment replaces them). */
  splits: { recipient: Address; bps: number }[];
  /** Holdings with a balance, per holder and offer. `expiresAt` is the holder's access as of that licence's last purchase; the current one is `getTrackAccess`'s. */
  holders: { account: Address; offerId: bigint; balance: bigint; expiresAt: bigint | null }[];
  /** Oldest first. */
  ownershipHistory: IndexedOwnershipChange[];
}

/**
 * A track page: metadata, status and rights, offers (with their token), splits, current licence holders
 * and the ownership history. Accepts a track id or an ISRC.
 *
 * v2: `status`, `frozen`, `revokeReason`, `registrantCode`, `registrant`, `pendingArtist`, `revenues`,
 * `ownershipHistory`; offers gained `token`, `perBuyerLimit`, `issued` (was `sold`, kept as an alias)
 * and `renewals`; holders name their `offerId`.
 *
 * @example
 * const track = await getTrackPage(indexerUrl, { isrc: "US-RC1-76-07839" });
 * if (track?.frozen) console.log(`Not on sale: ${track.flagReason ?? track.revokeReason}`);
 */
export async function getTrackPage(
  url: string,
  params: { trackId: bigint } | { isrc: string },
): Promise<TrackPage | undefined> {
  const trackId = "trackId" in params ? params.trackId : trackIdFromIsrc(formatIsrc(params.isrc));
  const data = await queryIndexer<{ track: null | Record<string, any> }>(
    url,
    `query TrackPage($id: ID!) {
      track(id: $id) {
        id isrc metadataCid exclusive status flagReason revokeReason royaltyBps revenue salesCount artist { id }
        registrantCode { id } registrant { id } pendingArtist { id }
        revenues(orderBy: id) { token { ${TOKEN_FIELDS} } volume salesCount fees royalties }
        offers(orderBy: offerId) { ${OFFER_FIELDS} }
        splits(orderBy: index) { recipient { id } bps }
        licenses(where: { balance_gt: "0" }, first: 1000, orderBy: acquiredAt) { holder { id } offer { offerId } balance expiresAt }
        ownershipHistory(orderBy: timestamp, first: 1000) { kind from { id } to { id } by reason splitRecipients splitBps timestamp transactionHash logIndex }
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
    status: t.status,
    frozen: t.status !== "ACTIVE",
    flagged: t.status === "FLAGGED",
    flagReason: t.flagReason,
    revokeReason: t.revokeReason,
    registrantCode: t.registrantCode.id,
    registrant: t.registrant?.id ?? null,
    pendingArtist: t.pendingArtist?.id ?? null,
    royaltyBps: t.royaltyBps,
    revenue: BigInt(t.revenue),
    salesCount: BigInt(t.salesCount),
    revenues: t.revenues.map((r: any) => ({
      token: toToken(r.token),
      volume: BigInt(r.volume),
      salesCount: BigInt(r.salesCount),
      fees: BigInt(r.fees),
      royalties: BigInt(r.royalties),
    })),
    offers: t.offers.map(toOffer),
    splits: t.splits.map((s: any) => ({ recipient: s.recipient.id, bps: s.bps })),
    holders: t.licenses.map((l: any) => ({
      account: l.holder.id,
      offerId: BigInt(l.offer.offerId),
      balance: BigInt(l.balance),
      expiresAt: big(l.expiresAt),
    })),
    // Chain order: graph-node breaks timestamp ties by id, not by log position.
    ownershipHistory: [...t.ownershipHistory]
      .sort(
        (a: any, b: any) =>
          Number(BigInt(a.timestamp) - BigInt(b.timestamp)) || Number(a.logIndex) - Number(b.logIndex),
      )
      .map((c: any) => ({
        kind: c.kind,
        from: c.from?.id ?? null,
        to: c.to.id,
        by: c.by,
        reason: c.reason,
        splits: c.splitRecipients
          ? c.splitRecipients.map((recipient: Address, i: number) => ({ recipient, bps: c.splitBps[i] }))
          : null,
        timestamp: BigInt(c.timestamp),
        transactionHash: c.transactionHash,
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

/** Discover: the newest active tracks (frozen ones are left out) and the sessions live right now. */
export async function getDiscover(url: string, params: { first?: number } = {}) {
  const data = await queryIndexer<{ tracks: any[]; streams: any[] }>(
    url,
    `query Discover($first: Int) {
      tracks(first: $first, orderBy: registeredAt, orderDirection: desc, where: { status: ACTIVE }) { id isrc metadataCid exclusive artist { id account { handle } } }
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
  /**
   * The quorum floor at the proposal's snapshot (`voteStart`): the fewest for + abstain votes it needs.
   * A floor set after creation but by the snapshot applies. The quorum is
   * `max(quorumNumerator × hVOTE supply at voteStart / 100, quorumFloor)`.
   */
  quorumFloor: bigint | null;
  /** The quorum numerator (percent of the hVOTE supply) at the snapshot. */
  quorumNumerator: bigint | null;
  /**
   * Who canceled it: the proposal guardian or its proposer; null unless `CANCELED` (or, rarely, when a
   * cancellation while pending came through a relayer and the indexer cannot tell).
   */
  canceledBy: "PROPOSER" | "GUARDIAN" | null;
  canceledAt: bigint | null;
}

/**
 * DAO proposals, newest first, with each one's quorum settings at its snapshot and who canceled it.
 *
 * v2: `quorumFloor`, `quorumNumerator`, `canceledBy`, `canceledAt`.
 */
export async function getProposals(
  url: string,
  params: { first?: number; skip?: number } = {},
): Promise<IndexedProposal[]> {
  const data = await queryIndexer<{ proposals: any[] }>(
    url,
    `query Proposals($first: Int, $skip: Int) {
      proposals(first: $first, skip: $skip, orderBy: createdAt, orderDirection: desc) {
        id proposer { id } description targets values calldatas status voteStart voteEnd eta forVotes againstVotes abstainVotes voteCount
        quorumFloor quorumNumerator canceledBy canceledAt
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
    quorumFloor: big(p.quorumFloor),
    quorumNumerator: big(p.quorumNumerator),
    canceledBy: p.canceledBy,
    canceledAt: big(p.canceledAt),
  }));
}

/**
 * An artist's earnings per day (tips and licences), oldest first, for charts. Days are unix days
 * (`timestamp / 86400`). Volumes are CORE's (licence counts include every token and renewals); per
 * token, see `getAccountEarnings`.
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
  /** CORE licence sales (gross); other tokens are counted per token in the subgraph's PaymentToken. */
  licenseVolume: bigint;
  /** Licence purchases in any token, renewals included. */
  licenseCount: bigint;
  trackCount: number;
  artistCount: number;
  liveStreamCount: number;
  proposalCount: number;
  /** CORE staked for votes (hVOTE supply). */
  stakedSupply: bigint;
  /** Percent of the hVOTE supply a proposal needs (for + abstain), at its snapshot. */
  quorumNumerator: bigint | null;
  /** The fewest votes any proposal needs, whatever the supply: the quorum is the larger of the two. */
  quorumFloor: bigint | null;
  /**
   * The proposal guardian (a multisig): may cancel any proposal and pause registry, profiles and live
   * sessions, never unpause them. Null if there is none.
   */
  guardian: Address | null;
  /** Whether each pausable contract is paused now (by the guardian or governance: `getPauseHistory`). */
  paused: { registry: boolean; profiles: boolean; live: boolean };
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
      quorumNumerator quorumFloor guardian registryPaused profilesPaused livePaused
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
    quorumNumerator: big(p.quorumNumerator),
    quorumFloor: big(p.quorumFloor),
    guardian: p.guardian,
    paused: { registry: p.registryPaused, profiles: p.profilesPaused, live: p.livePaused },
  };
}

/** A contract with an emergency brake, as the subgraph names it. */
export type IndexedPausableContract = "REGISTRY" | "PROFILES" | "LIVE";

/** Something the proposal guardian did. */
export interface IndexedGuardianAction {
  kind: "PAUSE" | "CANCEL";
  /** The guardian at the time. */
  guardian: Address;
  /** PAUSE: what it paused. */
  contract: IndexedPausableContract | null;
  /** CANCEL: the proposal it canceled. */
  proposalId: bigint | null;
  timestamp: bigint;
  transactionHash: `0x${string}`;
}

export interface GuardianActivity {
  /** The guardian now; null if there is none (proposers may then cancel their own proposals). */
  guardian: Address | null;
  /** When it was set (or removed); null before the governor's deployment is indexed. */
  guardianSetAt: bigint | null;
  /** Who held the role, newest first: the first entry is the governor's constructor (null = none). */
  changes: {
    previousGuardian: Address | null;
    guardian: Address | null;
    timestamp: bigint;
    transactionHash: `0x${string}`;
  }[];
  /** The guardian's emergency pauses and cancellations, newest first. */
  actions: IndexedGuardianAction[];
}

/**
 * The proposal guardian's record for a DAO page: who it is, who it was (only a passed proposal changes
 * it) and what it did — emergency pauses and canceled proposals.
 *
 * @example
 * const { guardian, actions } = await getGuardianActivity(indexerUrl);
 * for (const a of actions) console.log(a.kind, a.contract ?? a.proposalId);
 */
export async function getGuardianActivity(url: string, params: { first?: number } = {}): Promise<GuardianActivity> {
  const data = await queryIndexer<{
    protocol: Record<string, any> | null;
    guardianChanges: any[];
    guardianActions: any[];
  }>(
    url,
    `query GuardianActivity($first: Int) {
      protocol(id: "harmonie") { guardian guardianSetAt }
      guardianChanges(first: $first, orderBy: timestamp, orderDirection: desc) { previousGuardian guardian timestamp transactionHash logIndex }
      guardianActions(first: $first, orderBy: timestamp, orderDirection: desc) { kind guardian contract proposal { id } timestamp transactionHash logIndex }
    }`,
    { first: params.first ?? 100 },
  );
  return {
    guardian: data.protocol?.guardian ?? null,
    guardianSetAt: big(data.protocol?.guardianSetAt),
    changes: newestFirst(data.guardianChanges).map((c) => ({
      previousGuardian: c.previousGuardian,
      guardian: c.guardian,
      timestamp: BigInt(c.timestamp),
      transactionHash: c.transactionHash,
    })),
    actions: newestFirst(data.guardianActions).map((a) => ({
      kind: a.kind,
      guardian: a.guardian,
      contract: a.contract,
      proposalId: a.proposal ? BigInt(a.proposal.id) : null,
      timestamp: BigInt(a.timestamp),
      transactionHash: a.transactionHash,
    })),
  };
}

/** A pause or unpause of ContentRegistry, ArtistProfiles or LiveStreams. */
export interface IndexedPauseChange {
  contract: IndexedPausableContract;
  /** True for a pause, false for an unpause. */
  paused: boolean;
  /** Who called it: the guardian or the timelock. */
  by: Address;
  /** `GUARDIAN`: an emergency pause by the proposal guardian; `GOVERNANCE`: the timelock (every unpause). */
  authority: "GUARDIAN" | "GOVERNANCE";
  timestamp: bigint;
  transactionHash: `0x${string}`;
}

/**
 * Pauses and unpauses, newest first: all of them or one contract's — e.g. "paused by the guardian 2 h
 * ago" on a banner. The current state is `getProtocolStats(...).paused`.
 *
 * @example
 * const [last] = await getPauseHistory(indexerUrl, { contract: "REGISTRY", first: 1 });
 * if (last?.paused && last.authority === "GUARDIAN") showBanner("Emergency pause by the guardian");
 */
export async function getPauseHistory(
  url: string,
  params: { contract?: IndexedPausableContract; first?: number } = {},
): Promise<IndexedPauseChange[]> {
  const data = await queryIndexer<{ pauseChanges: any[] }>(
    url,
    `query PauseHistory($where: PauseChange_filter, $first: Int) {
      pauseChanges(where: $where, first: $first, orderBy: timestamp, orderDirection: desc) { contract paused by authority timestamp transactionHash logIndex }
    }`,
    { where: params.contract ? { contract: params.contract } : {}, first: params.first ?? 100 },
  );
  return newestFirst(data.pauseChanges).map((p) => ({
    contract: p.contract,
    paused: p.paused,
    by: p.by,
    authority: p.authority,
    timestamp: BigInt(p.timestamp),
    transactionHash: p.transactionHash,
  }));
}

/** Event rows newest first in chain order: graph-node breaks timestamp ties by id, not by log position. */
const newestFirst = <T extends { timestamp: string; logIndex: string }>(rows: T[]) =>
  [...rows].sort(
    (a, b) => Number(BigInt(b.timestamp) - BigInt(a.timestamp)) || Number(BigInt(b.logIndex) - BigInt(a.logIndex)),
  );

/** What one account holds of one track, as the indexer knows it. */
export interface IndexedTrackAccess {
  account: Address;
  trackId: bigint;
  /** Perpetual licence tokens of the track held now. */
  perpetual: bigint;
  /**
   * When the account's timed access ends (unix seconds): one expiry per account and track, extended by
   * any timed offer of it. Null if it never had a timed licence; a past value means it expired.
   */
  expiresAt: bigint | null;
  /** Whether the track needs a licence at all (false: everyone has access). */
  exclusive: boolean;
  /** The artist or a split recipient: access without a licence. */
  rightsHolder: boolean;
  status: IndexedTrackStatus;
  /** The holdings per offer (timed ones stay listed after they expire). */
  licenses: { offerId: bigint; tokenId: bigint; balance: bigint; purchaseCount: number; renewalCount: number }[];
}

/**
 * What `account` holds of a track in one query — perpetual licences, timed access expiry, whether it
 * is a rights holder — for "you own this · expires in N days". Undefined if the track is unknown. The
 * account has access when `!exclusive || rightsHolder || perpetual > 0n || expiresAt > now` (the chain's
 * `hasAccess`; `getLicenseStatus` reads the same from the contract).
 *
 * @example
 * const access = await getTrackAccess(indexerUrl, { account, trackId });
 * const now = BigInt(Math.floor(Date.now() / 1000));
 * if (access?.perpetual) show("You own this");
 * else if (access?.expiresAt && access.expiresAt > now) show(`Expires in ${(access.expiresAt - now) / 86_400n} days`);
 */
export async function getTrackAccess(
  url: string,
  params: { account: Address; trackId: bigint },
): Promise<IndexedTrackAccess | undefined> {
  const account = params.account.toLowerCase();
  const trackId = params.trackId.toString();
  const data = await queryIndexer<{ track: Record<string, any> | null; trackAccess: Record<string, any> | null }>(
    url,
    `query TrackAccess($id: ID!, $track: ID!, $account: String!) {
      track(id: $track) { exclusive status artist { id } splits(where: { recipient: $account }) { id } }
      trackAccess(id: $id) {
        perpetual expiresAt
        licenses(orderBy: acquiredAt) { offer { offerId tokenId } balance purchaseCount renewalCount }
      }
    }`,
    { id: `${account}-${trackId}`, track: trackId, account },
  );
  const t = data.track;
  if (!t) return undefined;
  const a = data.trackAccess;
  return {
    account: account as Address,
    trackId: params.trackId,
    perpetual: a ? BigInt(a.perpetual) : 0n,
    expiresAt: big(a?.expiresAt),
    exclusive: t.exclusive,
    rightsHolder: t.artist.id === account || t.splits.length > 0,
    status: t.status,
    licenses: (a?.licenses ?? []).map((l: any) => ({
      offerId: BigInt(l.offer.offerId),
      tokenId: BigInt(l.offer.tokenId),
      balance: BigInt(l.balance),
      purchaseCount: l.purchaseCount,
      renewalCount: l.renewalCount,
    })),
  };
}

/** A track in an account's library, with what the account holds of it. */
export interface LibraryEntry {
  trackId: bigint;
  isrc: string;
  metadataCid: string;
  artist: Address;
  status: IndexedTrackStatus;
  perpetual: bigint;
  /** As in `IndexedTrackAccess`: null if never timed, past if expired. */
  expiresAt: bigint | null;
  /** When the account got its first licence of the track. */
  acquiredAt: bigint;
}

/**
 * Every track `account` holds or held a licence of, most recently changed first: the dApp's library
 * (and its offline cache). Pass `now` (unix seconds) to keep only tracks it has access to now: a
 * perpetual licence or an unexpired timed one.
 *
 * @example
 * const library = await getLibrary(indexerUrl, { account, now: BigInt(Math.floor(Date.now() / 1000)) });
 */
export async function getLibrary(
  url: string,
  params: { account: Address; now?: bigint; first?: number },
): Promise<LibraryEntry[]> {
  const holder = params.account.toLowerCase();
  // graph-node refuses a column filter beside `or`: each branch names the holder.
  const where =
    params.now === undefined
      ? { holder }
      : {
          or: [
            { holder, perpetual_gt: "0" },
            { holder, expiresAt_gt: params.now.toString() },
          ],
        };
  const data = await queryIndexer<{ trackAccesses: any[] }>(
    url,
    `query Library($where: TrackAccess_filter, $first: Int) {
      trackAccesses(where: $where, first: $first, orderBy: updatedAt, orderDirection: desc) {
        perpetual expiresAt acquiredAt track { id isrc metadataCid status artist { id } }
      }
    }`,
    { where, first: params.first ?? 1000 },
  );
  return data.trackAccesses.map((a) => ({
    trackId: BigInt(a.track.id),
    isrc: a.track.isrc,
    metadataCid: a.track.metadataCid,
    artist: a.track.artist.id,
    status: a.track.status,
    perpetual: BigInt(a.perpetual),
    expiresAt: big(a.expiresAt),
    acquiredAt: BigInt(a.acquiredAt),
  }));
}

/** What an account earned in one token from tips. Its withdrawable credit is on chain (`getTipEarnings`). */
export interface IndexedTipEarnings {
  token: IndexedToken;
  /** Tips to the account as the tipped artist (gross). */
  tipVolume: bigint;
  /** Shares of split tips. */
  shares: bigint;
  /** Referral shares as an app. */
  referrals: bigint;
  withdrawn: bigint;
  fees: bigint;
}

/** What an account earned in one token from licences. */
export interface IndexedLicenseEarnings {
  token: IndexedToken;
  /** sales + royalties + referrals. */
  earned: bigint;
  /** Shares of licence sales and renewals, net of the platform fee. */
  sales: bigint;
  /** Shares of collected resale royalties. */
  royalties: bigint;
  /** Referrer's shares of the fee, as an app. */
  referrals: bigint;
  withdrawn: bigint;
  /** Withdrawable now (equals the contract's `creditOf`, i.e. `getLicenseEarnings`). */
  credit: bigint;
}

/**
 * An account's earnings per token: tips (as artist, split recipient or referrer) and licences (as
 * collaborator or referrer), for a studio's earnings page.
 *
 * @example
 * const { licenses } = await getAccountEarnings(indexerUrl, { account });
 * for (const e of licenses) console.log(e.token.symbol, formatUnits(e.credit, e.token.decimals));
 */
export async function getAccountEarnings(
  url: string,
  params: { account: Address },
): Promise<{ tips: IndexedTipEarnings[]; licenses: IndexedLicenseEarnings[] }> {
  const data = await queryIndexer<{ account: Record<string, any> | null }>(
    url,
    `query AccountEarnings($id: ID!) {
      account(id: $id) {
        tipEarnings(orderBy: id) { token { ${TOKEN_FIELDS} } tipVolume shares referrals withdrawn fees }
        licenseEarnings(orderBy: id) { token { ${TOKEN_FIELDS} } earned sales royalties referrals withdrawn credit }
      }
    }`,
    { id: params.account.toLowerCase() },
  );
  const a = data.account;
  return {
    tips: (a?.tipEarnings ?? []).map((e: any) => ({
      token: toToken(e.token),
      tipVolume: BigInt(e.tipVolume),
      shares: BigInt(e.shares),
      referrals: BigInt(e.referrals),
      withdrawn: BigInt(e.withdrawn),
      fees: BigInt(e.fees),
    })),
    licenses: (a?.licenseEarnings ?? []).map((e: any) => ({
      token: toToken(e.token),
      earned: BigInt(e.earned),
      sales: BigInt(e.sales),
      royalties: BigInt(e.royalties),
      referrals: BigInt(e.referrals),
      withdrawn: BigInt(e.withdrawn),
      credit: BigInt(e.credit),
    })),
  };
}

/** A registrant code and the label or distributor holding it. */
export interface IndexedRegistrantCode {
  /** `CCXXX`, e.g. `USRC1`. */
  code: string;
  /** Null while unclaimed. */
  registrant: Address | null;
  /** When governance last set it; null if never (the code is known from a track under it). */
  updatedAt: bigint | null;
  trackCount: number;
  /** The tracks under the code, newest first (at most `first`). */
  tracks: { trackId: bigint; isrc: string; artist: Address; status: IndexedTrackStatus; registrant: Address | null }[];
}

/**
 * A registrant code (the `CC-XXX` part of an ISRC: `USRC1` or `US-RC1`, any case), who holds it and
 * the tracks registered under it — for a label's page. Undefined if the indexer has never seen it.
 * Codes are claimed by governance (`setRegistrantCall`); the chain's answer is `getRegistrant`.
 *
 * @example
 * const code = await getRegistrantCode(indexerUrl, { code: "US-RC1" });
 */
export async function getRegistrantCode(
  url: string,
  params: { code: string; first?: number },
): Promise<IndexedRegistrantCode | undefined> {
  const code = params.code.replace(/-/g, "").toUpperCase();
  const data = await queryIndexer<{ registrantCode: Record<string, any> | null }>(
    url,
    `query RegistrantCode($id: ID!, $first: Int) {
      registrantCode(id: $id) {
        id registrant { id } updatedAt trackCount
        tracks(first: $first, orderBy: registeredAt, orderDirection: desc) { id isrc status artist { id } registrant { id } }
      }
    }`,
    { id: code, first: params.first ?? 100 },
  );
  const c = data.registrantCode;
  if (!c) return undefined;
  return {
    code: c.id,
    registrant: c.registrant?.id ?? null,
    updatedAt: big(c.updatedAt),
    trackCount: c.trackCount,
    tracks: c.tracks.map((t: any) => ({
      trackId: BigInt(t.id),
      isrc: t.isrc,
      artist: t.artist.id,
      status: t.status,
      registrant: t.registrant?.id ?? null,
    })),
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
