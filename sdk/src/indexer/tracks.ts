/** Tracks and licences as indexed: track pages, discover, access, libraries, licences, registrant codes. */
import type { Address } from "viem";
import type {
  Account,
  License,
  LicenseOffer,
  License_filter,
  RegistrantCode,
  Split,
  Stream,
  Track,
  TrackAccess,
  TrackAccess_filter,
  TrackOwnershipChange,
  TrackRevenue,
} from "../generated/subgraph.ts";
import { formatIsrc, trackIdFromIsrc } from "../isrc.ts";
import type { IndexedTrackStatus } from "./artists.ts";
import {
  type IndexedToken,
  type Page,
  type RawToken,
  type Row,
  TOKEN_FIELDS,
  accountId,
  address,
  addressOrNull,
  big,
  bigOrNull,
  pageById,
  pageSize,
  queryIndexer,
  toToken,
} from "./core.ts";

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
type RawOffer = Row<
  LicenseOffer,
  | "offerId"
  | "tokenId"
  | "price"
  | "supplyCap"
  | "perBuyerLimit"
  | "duration"
  | "commercialUse"
  | "derivativesAllowed"
  | "active"
  | "issued"
  | "renewals",
  { token: RawToken }
>;
const toOffer = (o: RawOffer): IndexedOffer => ({
  offerId: big(o.offerId),
  tokenId: big(o.tokenId),
  token: toToken(o.token),
  price: big(o.price),
  supplyCap: big(o.supplyCap),
  perBuyerLimit: big(o.perBuyerLimit),
  duration: big(o.duration),
  commercialUse: o.commercialUse,
  derivativesAllowed: o.derivativesAllowed,
  active: o.active,
  issued: o.issued,
  renewals: o.renewals,
  sold: o.issued,
});

/** One change of a track's owner. */
export interface IndexedOwnershipChange {
  kind: TrackOwnershipChange["kind"];
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

type RawTrackPage = Row<
  Track,
  "id" | "isrc" | "metadataCid" | "exclusive" | "status" | "flagReason" | "revokeReason" | "royaltyBps",
  {
    revenue: string;
    salesCount: string;
    artist: { id: string };
    registrantCode: { id: string };
    registrant: { id: string } | null;
    pendingArtist: { id: string } | null;
    revenues: Row<TrackRevenue, "volume" | "salesCount" | "fees" | "royalties", { token: RawToken }>[];
    offers: RawOffer[];
    splits: Row<Split, "recipient" | "bps">[];
    licenses: Row<License, "holder" | "balance" | "expiresAt", { offer: Row<LicenseOffer, "offerId"> }>[];
    ownershipHistory: Row<
      TrackOwnershipChange,
      "kind" | "from" | "to" | "by" | "reason" | "splitRecipients" | "splitBps" | "timestamp" | "transactionHash",
      { blockNumber: string; logIndex: string }
    >[];
  }
>;

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
  const { track: t } = await queryIndexer<{ track: RawTrackPage | null }>(
    url,
    `query TrackPage($id: ID!) {
      track(id: $id) {
        id isrc metadataCid exclusive status flagReason revokeReason royaltyBps revenue salesCount artist { id }
        registrantCode { id } registrant { id } pendingArtist { id }
        revenues(orderBy: id) { token { ${TOKEN_FIELDS} } volume salesCount fees royalties }
        offers(orderBy: offerId) { ${OFFER_FIELDS} }
        splits(orderBy: index) { recipient { id } bps }
        licenses(where: { balance_gt: "0" }, first: 1000, orderBy: acquiredAt) { holder { id } offer { offerId } balance expiresAt }
        ownershipHistory(orderBy: blockNumber, first: 1000) { kind from { id } to { id } by reason splitRecipients splitBps timestamp transactionHash blockNumber logIndex }
      }
    }`,
    { id: trackId.toString() },
  );
  if (!t) return undefined;
  return {
    trackId,
    isrc: t.isrc,
    artist: address(t.artist.id),
    metadataCid: t.metadataCid,
    exclusive: t.exclusive,
    status: t.status,
    frozen: t.status !== "ACTIVE",
    flagged: t.status === "FLAGGED",
    flagReason: t.flagReason,
    revokeReason: t.revokeReason,
    registrantCode: t.registrantCode.id,
    registrant: addressOrNull(t.registrant),
    pendingArtist: addressOrNull(t.pendingArtist),
    royaltyBps: t.royaltyBps,
    revenue: big(t.revenue),
    salesCount: big(t.salesCount),
    revenues: t.revenues.map((r) => ({
      token: toToken(r.token),
      volume: big(r.volume),
      salesCount: big(r.salesCount),
      fees: big(r.fees),
      royalties: big(r.royalties),
    })),
    offers: t.offers.map(toOffer),
    splits: t.splits.map((s) => ({ recipient: address(s.recipient.id), bps: s.bps })),
    holders: t.licenses.map((l) => ({
      account: address(l.holder.id),
      offerId: big(l.offer.offerId),
      balance: big(l.balance),
      expiresAt: bigOrNull(l.expiresAt),
    })),
    // Chain order: graph-node breaks ties of one block by id, not by log position.
    ownershipHistory: [...t.ownershipHistory]
      .sort((a, b) => Number(big(a.blockNumber) - big(b.blockNumber)) || Number(a.logIndex) - Number(b.logIndex))
      .map((c) => ({
        kind: c.kind,
        from: addressOrNull(c.from),
        to: address(c.to.id),
        by: address(c.by),
        reason: c.reason,
        splits: c.splitRecipients
          ? c.splitRecipients.map((recipient, i) => ({ recipient: address(recipient), bps: c.splitBps![i]! }))
          : null,
        timestamp: big(c.timestamp),
        transactionHash: c.transactionHash,
      })),
  };
}

type RawDiscover = {
  tracks: Row<
    Track,
    "id" | "isrc" | "metadataCid" | "exclusive",
    { artist: { id: string; account: Row<Account, "handle"> } }
  >[];
  streams: Row<
    Stream,
    "id" | "title" | "playbackId" | "tipTotal" | "gatingTrack" | "openedAt",
    { artist: { id: string; account: Row<Account, "handle" | "profileCid"> } }
  >[];
};

/**
 * Discover: the newest active tracks (frozen ones are left out) and the sessions live right now (with
 * the artist's profile CID, for a thumbnail, and when each opened). Search, genres, trending and the
 * artist directory: ./discovery.ts.
 *
 * @example
 * const { tracks, liveStreams } = await getDiscover(indexerUrl, { first: 20 });
 */
export async function getDiscover(url: string, params: { first?: number } = {}) {
  const data = await queryIndexer<RawDiscover>(
    url,
    `query Discover($first: Int) {
      tracks(first: $first, orderBy: registeredAt, orderDirection: desc, where: { status: ACTIVE }) { id isrc metadataCid exclusive artist { id account { handle } } }
      streams(first: $first, orderBy: openedAt, orderDirection: desc, where: { isLive: true }) { id title playbackId tipTotal openedAt artist { id account { handle profileCid } } gatingTrack { id } }
    }`,
    { first: params.first ?? 20 },
  );
  return {
    tracks: data.tracks.map((t) => ({
      trackId: big(t.id),
      isrc: t.isrc,
      metadataCid: t.metadataCid,
      exclusive: t.exclusive,
      artist: address(t.artist.id),
      artistHandle: t.artist.account.handle,
    })),
    liveStreams: data.streams.map((s) => ({
      streamId: big(s.id),
      title: s.title,
      playbackId: s.playbackId,
      tipTotal: big(s.tipTotal),
      artist: address(s.artist.id),
      artistHandle: s.artist.account.handle,
      /** The artist's profile document (its avatar is the session's thumbnail). */
      artistProfileCid: s.artist.account.profileCid,
      openedAt: big(s.openedAt),
      gatingTrackId: s.gatingTrack ? big(s.gatingTrack.id) : null,
    })),
  };
}

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

type RawTrackAccess = {
  track: Row<Track, "exclusive" | "status" | "artist", { splits: { id: string }[] }> | null;
  trackAccess: Row<
    TrackAccess,
    "perpetual" | "expiresAt",
    {
      licenses: Row<
        License,
        "balance" | "purchaseCount" | "renewalCount",
        { offer: Row<LicenseOffer, "offerId" | "tokenId"> }
      >[];
    }
  > | null;
};

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
  const account = accountId(params.account);
  const trackId = params.trackId.toString();
  // The subgraph's TrackAccess id is `<holder>-<track id>`.
  const { track: t, trackAccess: a } = await queryIndexer<RawTrackAccess>(
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
  if (!t) return undefined;
  return {
    account: address(account),
    trackId: params.trackId,
    perpetual: a ? big(a.perpetual) : 0n,
    expiresAt: bigOrNull(a?.expiresAt),
    exclusive: t.exclusive,
    rightsHolder: t.artist.id === account || t.splits.length > 0,
    status: t.status,
    licenses: (a?.licenses ?? []).map((l) => ({
      offerId: big(l.offer.offerId),
      tokenId: big(l.offer.tokenId),
      balance: big(l.balance),
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
  const holder = accountId(params.account);
  // graph-node refuses a column filter beside `or`: each branch names the holder.
  const where: TrackAccess_filter =
    params.now === undefined
      ? { holder }
      : {
          or: [
            { holder, perpetual_gt: "0" },
            { holder, expiresAt_gt: params.now.toString() },
          ],
        };
  const data = await queryIndexer<{
    trackAccesses: Row<
      TrackAccess,
      "perpetual" | "expiresAt" | "acquiredAt",
      { track: Row<Track, "id" | "isrc" | "metadataCid" | "status" | "artist"> }
    >[];
  }>(
    url,
    `query Library($where: TrackAccess_filter, $first: Int) {
      trackAccesses(where: $where, first: $first, orderBy: updatedAt, orderDirection: desc) {
        perpetual expiresAt acquiredAt track { id isrc metadataCid status artist { id } }
      }
    }`,
    { where, first: params.first ?? 1000 },
  );
  return data.trackAccesses.map((a) => ({
    trackId: big(a.track.id),
    isrc: a.track.isrc,
    metadataCid: a.track.metadataCid,
    artist: address(a.track.artist.id),
    status: a.track.status,
    perpetual: big(a.perpetual),
    expiresAt: bigOrNull(a.expiresAt),
    acquiredAt: big(a.acquiredAt),
  }));
}

/** A licence token an account holds (or held: `balance` 0), with its offer and track. */
export interface IndexedLicense {
  /** The subgraph's id; the cursor of `getLicenses`. */
  id: string;
  holder: Address;
  trackId: bigint;
  isrc: string;
  offerId: bigint;
  tokenId: bigint;
  balance: bigint;
  /** The holder's access to the track as of this licence's last purchase; null for a perpetual licence. */
  expiresAt: bigint | null;
  purchaseCount: number;
  renewalCount: number;
  acquiredAt: bigint;
}

type RawLicense = Row<
  License,
  "id" | "holder" | "balance" | "expiresAt" | "purchaseCount" | "renewalCount" | "acquiredAt",
  { track: Row<Track, "id" | "isrc">; offer: Row<LicenseOffer, "offerId" | "tokenId"> }
>;

/**
 * A fan's licences, a page at a time (in id order, stable across pages). By default those held now
 * (`balance > 0`); `includeEmpty` lists tokens the fan sold or transferred too.
 *
 * @example
 * let page = await getLicenses(indexerUrl, { holder: account });
 * while (page.hasNextPage) page = await getLicenses(indexerUrl, { holder: account, after: page.cursor });
 */
export function getLicenses(
  url: string,
  params: { holder: Address; includeEmpty?: boolean; first?: number; after?: string | null },
): Promise<Page<IndexedLicense, string>> {
  const where: License_filter = {
    holder: accountId(params.holder),
    ...(params.includeEmpty ? {} : { balance_gt: "0" }),
  };
  return pageById<RawLicense, IndexedLicense>(
    url,
    {
      collection: "licenses",
      filterType: "License_filter",
      fields:
        "holder { id } balance expiresAt purchaseCount renewalCount acquiredAt track { id isrc } offer { offerId tokenId }",
      where,
    },
    { first: pageSize(params.first, 100), after: params.after },
    (l) => ({
      id: l.id,
      holder: address(l.holder.id),
      trackId: big(l.track.id),
      isrc: l.track.isrc,
      offerId: big(l.offer.offerId),
      tokenId: big(l.offer.tokenId),
      balance: big(l.balance),
      expiresAt: bigOrNull(l.expiresAt),
      purchaseCount: l.purchaseCount,
      renewalCount: l.renewalCount,
      acquiredAt: big(l.acquiredAt),
    }),
  );
}

/**
 * The tracks an artist has offered to `account` and it has not accepted yet (`acceptTrack`), so the
 * receiver needs no ISRC to find them.
 *
 * @example
 * const offered = await getOfferedTracks(indexerUrl, { account });
 */
export async function getOfferedTracks(
  url: string,
  params: { account: Address; first?: number },
): Promise<{ trackId: bigint; isrc: string; artist: Address }[]> {
  const { tracks } = await queryIndexer<{ tracks: Row<Track, "id" | "isrc" | "artist">[] }>(
    url,
    `query OfferedTracks($account: String!, $first: Int) {
      tracks(where: { pendingArtist: $account }, first: $first, orderBy: registeredAt, orderDirection: desc) { id isrc artist { id } }
    }`,
    { account: accountId(params.account), first: params.first ?? 100 },
  );
  return tracks.map((t) => ({ trackId: big(t.id), isrc: t.isrc, artist: address(t.artist.id) }));
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

type RawRegistrantCode = Row<
  RegistrantCode,
  "id" | "registrant" | "updatedAt" | "trackCount",
  { tracks: Row<Track, "id" | "isrc" | "status" | "artist" | "registrant">[] }
>;

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
  const { registrantCode: c } = await queryIndexer<{ registrantCode: RawRegistrantCode | null }>(
    url,
    `query RegistrantCode($id: ID!, $first: Int) {
      registrantCode(id: $id) {
        id registrant { id } updatedAt trackCount
        tracks(first: $first, orderBy: registeredAt, orderDirection: desc) { id isrc status artist { id } registrant { id } }
      }
    }`,
    { id: code, first: params.first ?? 100 },
  );
  if (!c) return undefined;
  return {
    code: c.id,
    registrant: addressOrNull(c.registrant),
    updatedAt: bigOrNull(c.updatedAt),
    trackCount: c.trackCount,
    tracks: c.tracks.map((t) => ({
      trackId: big(t.id),
      isrc: t.isrc,
      artist: address(t.artist.id),
      status: t.status,
      registrant: addressOrNull(t.registrant),
    })),
  };
}
