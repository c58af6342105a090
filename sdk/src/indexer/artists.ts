/** Artists and accounts as indexed: profiles, artist pages, follows, rankings and earnings. */
import type { Address } from "viem";
import type {
  Account,
  Artist,
  ArtistDailyStats,
  LicenseEarnings,
  Stream,
  TipEarnings,
  Track,
  TrackStatus,
} from "../generated/subgraph.ts";
import { type Tip, compareTips } from "../tip.ts";
import {
  type IndexedToken,
  type RawToken,
  type Row,
  TOKEN_FIELDS,
  accountId,
  address,
  big,
  queryIndexer,
  toToken,
} from "./core.ts";
import { type RawTip, TIP_FIELDS, toTip } from "./tips.ts";

/**
 * A track's standing as the subgraph names it. Anything but `ACTIVE` is frozen: no sales, edits,
 * transfers or royalties (`FLAGGED` until governance lifts it, `REVOKED` until governance reassigns it).
 */
export type IndexedTrackStatus = TrackStatus;

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
  latestTips: Tip[];
}

type RawArtistPage = Row<
  Artist,
  "id" | "tipVolume" | "tipCount" | "licenseRevenue" | "licenseSalesCount" | "followerCount",
  {
    account: Row<Account, "handle" | "profileCid">;
    tracks: Row<Track, "id" | "isrc" | "metadataCid" | "exclusive" | "status" | "salesCount">[];
    streams: Row<Stream, "id" | "title" | "isLive" | "tipTotal" | "openedAt">[];
    tips: RawTip[];
  }
>;

/**
 * Everything an artist page shows: profile, totals, tracks (with their status since v2), sessions and
 * the latest tips. Undefined if the indexer has never seen the artist.
 *
 * @example
 * const page = await getArtistPage(indexerUrl, { artist });
 */
export async function getArtistPage(
  url: string,
  params: { artist: Address; tips?: number },
): Promise<ArtistPage | undefined> {
  const { artist: a } = await queryIndexer<{ artist: RawArtistPage | null }>(
    url,
    `query ArtistPage($id: ID!, $tips: Int) {
      artist(id: $id) {
        id tipVolume tipCount licenseRevenue licenseSalesCount followerCount
        account { handle profileCid }
        tracks(orderBy: registeredAt, orderDirection: desc) { id isrc metadataCid exclusive status salesCount }
        streams(orderBy: openedAt, orderDirection: desc, first: 10) { id title isLive tipTotal openedAt }
        tips(orderBy: blockNumber, orderDirection: desc, first: $tips) { ${TIP_FIELDS} }
      }
    }`,
    { id: accountId(params.artist), tips: params.tips ?? 20 },
  );
  if (!a) return undefined;
  return {
    address: address(a.id),
    handle: a.account.handle,
    profileCid: a.account.profileCid,
    tipVolume: big(a.tipVolume),
    tipCount: big(a.tipCount),
    licenseRevenue: big(a.licenseRevenue),
    licenseSalesCount: big(a.licenseSalesCount),
    followerCount: a.followerCount,
    tracks: a.tracks.map((t) => ({
      trackId: big(t.id),
      isrc: t.isrc,
      metadataCid: t.metadataCid,
      exclusive: t.exclusive,
      status: t.status,
      salesCount: big(t.salesCount),
    })),
    streams: a.streams.map((s) => ({
      streamId: big(s.id),
      title: s.title,
      isLive: s.isLive,
      tipTotal: big(s.tipTotal),
      openedAt: big(s.openedAt),
    })),
    // A block's tips come back by id: put them in chain order.
    latestTips: a.tips.map(toTip).sort((x, y) => compareTips(y, x)),
  };
}

/**
 * Whether `fan` follows `artist` now (follows are events on chain; the subgraph keeps one row per pair).
 *
 * @example
 * if (await isFollowing(indexerUrl, { fan: account, artist })) showUnfollow();
 */
export async function isFollowing(url: string, params: { fan: Address; artist: Address }): Promise<boolean> {
  const { follows } = await queryIndexer<{ follows: { id: string }[] }>(
    url,
    `query IsFollowing($artist: String!, $fan: String!) { follows(where: { artist: $artist, follower: $fan }, first: 1) { id } }`,
    { artist: accountId(params.artist), fan: accountId(params.fan) },
  );
  return follows.length > 0;
}

/**
 * The accounts holding any of these handles (at most `first`, default 100): e.g. look-alikes of a
 * handle. The chain's answer for one handle is `getAccountByHandle`.
 *
 * @example
 * const others = await getAccountsByHandles(indexerUrl, { handles: ["nova", "n0va"] });
 */
export async function getAccountsByHandles(
  url: string,
  params: { handles: string[]; first?: number },
): Promise<{ address: Address; handle: string }[]> {
  if (params.handles.length === 0) return [];
  const { accounts } = await queryIndexer<{ accounts: Row<Account, "id" | "handle">[] }>(
    url,
    `query AccountsByHandles($handles: [String!], $first: Int) { accounts(where: { handle_in: $handles }, first: $first, orderBy: id) { id handle } }`,
    { handles: params.handles, first: params.first ?? 100 },
  );
  return accounts.flatMap((a) => (a.handle === null ? [] : [{ address: address(a.id), handle: a.handle }]));
}

/**
 * Artists ranked by tips received.
 *
 * @example
 * const top = await getTopArtists(indexerUrl, { first: 10 });
 */
export async function getTopArtists(url: string, params: { first?: number } = {}) {
  const { artists } = await queryIndexer<{
    artists: Row<Artist, "id" | "tipVolume" | "tipCount", { account: Row<Account, "handle"> }>[];
  }>(
    url,
    `query TopArtists($first: Int) { artists(first: $first, orderBy: tipVolume, orderDirection: desc) { id tipVolume tipCount account { handle } } }`,
    { first: params.first ?? 10 },
  );
  return artists.map((a) => ({
    address: address(a.id),
    handle: a.account.handle,
    tipVolume: big(a.tipVolume),
    tipCount: big(a.tipCount),
  }));
}

/**
 * An artist's earnings per day (tips and licences), oldest first, for charts. Days are unix days
 * (`timestamp / 86400`). Volumes are CORE's (licence counts include every token and renewals); per
 * token, see `getAccountEarnings`.
 *
 * @example
 * const days = await getArtistDailyEarnings(indexerUrl, { artist, fromDay: 19_000 });
 */
export async function getArtistDailyEarnings(
  url: string,
  params: { artist: Address; fromDay?: number; first?: number },
) {
  // graph-node names the collection `<entity>_collection` when the plural equals the singular.
  const data = await queryIndexer<{
    artistDailyStats_collection: Row<
      ArtistDailyStats,
      "day" | "date" | "tipVolume" | "tipCount" | "licenseVolume" | "licenseCount" | "followerCount"
    >[];
  }>(
    url,
    `query Earnings($artist: String!, $fromDay: Int!, $first: Int) {
      artistDailyStats_collection(where: { artist: $artist, day_gte: $fromDay }, orderBy: day, orderDirection: asc, first: $first) {
        day date tipVolume tipCount licenseVolume licenseCount followerCount
      }
    }`,
    { artist: accountId(params.artist), fromDay: params.fromDay ?? 0, first: params.first ?? 365 },
  );
  return data.artistDailyStats_collection.map((d) => ({
    day: d.day,
    date: big(d.date),
    tipVolume: big(d.tipVolume),
    tipCount: d.tipCount,
    licenseVolume: big(d.licenseVolume),
    licenseCount: d.licenseCount,
    followerCount: d.followerCount,
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

type RawEarnings = {
  tipEarnings: Row<TipEarnings, "tipVolume" | "shares" | "referrals" | "withdrawn" | "fees", { token: RawToken }>[];
  licenseEarnings: Row<
    LicenseEarnings,
    "earned" | "sales" | "royalties" | "referrals" | "withdrawn" | "credit",
    { token: RawToken }
  >[];
};

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
  const { account: a } = await queryIndexer<{ account: RawEarnings | null }>(
    url,
    `query AccountEarnings($id: ID!) {
      account(id: $id) {
        tipEarnings(orderBy: id) { token { ${TOKEN_FIELDS} } tipVolume shares referrals withdrawn fees }
        licenseEarnings(orderBy: id) { token { ${TOKEN_FIELDS} } earned sales royalties referrals withdrawn credit }
      }
    }`,
    { id: accountId(params.account) },
  );
  return {
    tips: (a?.tipEarnings ?? []).map((e) => ({
      token: toToken(e.token),
      tipVolume: big(e.tipVolume),
      shares: big(e.shares),
      referrals: big(e.referrals),
      withdrawn: big(e.withdrawn),
      fees: big(e.fees),
    })),
    licenses: (a?.licenseEarnings ?? []).map((e) => ({
      token: toToken(e.token),
      earned: big(e.earned),
      sales: big(e.sales),
      royalties: big(e.royalties),
      referrals: big(e.referrals),
      withdrawn: big(e.withdrawn),
      credit: big(e.credit),
    })),
  };
}
