import { Address, BigInt, Bytes, ethereum } from "@graphprotocol/graph-ts";
import {
  Account,
  Artist,
  ArtistDailyStats,
  FeeChange,
  FeeSweep,
  GuardianAction,
  PauseChange,
  PaymentToken,
  Protocol,
  ProtocolDailyStats,
  TipEarnings,
} from "../generated/schema";

// Helpers shared by the mappings. loadProtocol, loadOrCreateAccount and loadOrCreateArtist create and
// save an entity when it is missing; the daily-stats loaders return it unsaved. Either way a handler
// saves what it modifies. A loader may itself save other
// entities (loadOrCreateArtist saves the Account and the Protocol): load those afterwards, never
// before, or the handler would save a stale copy over the loader's change.

export const PROTOCOL_ID = "harmonie";
export const SECONDS_PER_DAY = 86400;
/** The protocol's address for native CORE wherever a token is named. */
export const CORE_ADDRESS = "0x0000000000000000000000000000000000000000";
/** A licence token id is `trackId << 32 | offerId`. */
export const OFFER_ID_RANGE = BigInt.fromI64(4294967296);

/** Event row id: `<transaction hash>-<log index>`, unique per log. */
export function createEventId(event: ethereum.Event): string {
  return event.transaction.hash.toHexString() + "-" + event.logIndex.toString();
}

/** Fills the fields of the `Event` interface on any event row. */
export function setEventFields<T>(row: T, event: ethereum.Event): void {
  row.blockNumber = event.block.number;
  row.timestamp = event.block.timestamp;
  row.transactionHash = event.transaction.hash;
  row.logIndex = event.logIndex;
}

/** A FeeChange row; `source` is TIPPING or LICENSING (licensing fees apply at once: `effectiveAt` is the block's time). */
export function recordFeeChange(
  event: ethereum.Event,
  source: string,
  previousBps: BigInt,
  newBps: BigInt,
  effectiveAt: BigInt,
): void {
  let change = new FeeChange(createEventId(event));
  setEventFields(change, event);
  change.source = source;
  change.previousBps = previousBps.toI32();
  change.newBps = newBps.toI32();
  change.effectiveAt = effectiveAt;
  change.save();
}

/** A FeeSweep row; `source` is TIPPING or LICENSING. */
export function recordFeeSweep(
  event: ethereum.Event,
  source: string,
  treasury: Address,
  token: Address,
  amount: BigInt,
): void {
  let sweep = new FeeSweep(createEventId(event));
  setEventFields(sweep, event);
  sweep.source = source;
  sweep.treasury = treasury;
  sweep.token = loadPaymentToken(token).id;
  sweep.amount = amount;
  sweep.save();
}

/**
 * A payment token, created (and saved) on first sight. CORE needs no announcement; an ERC-20 is known
 * from its TokenAllowed (HarmonieTipping's allow-list, which ContentRegistry shares), which comes before
 * any tip, licence offer or royalty in it.
 */
export function loadPaymentToken(address: Address): PaymentToken {
  let id = address.toHexString();
  let token = PaymentToken.load(id);
  if (token == null) {
    token = new PaymentToken(id);
    let core = id == CORE_ADDRESS;
    token.symbol = core ? "CORE" : "";
    token.decimals = core ? 18 : 0;
    token.allowed = core;
    token.minimumTip = BigInt.zero();
    token.tipVolume = BigInt.zero();
    token.tipCount = BigInt.zero();
    token.fees = BigInt.zero();
    token.referrals = BigInt.zero();
    token.feesSwept = BigInt.zero();
    token.licenseVolume = BigInt.zero();
    token.licenseCount = BigInt.zero();
    token.licenseFees = BigInt.zero();
    token.licenseReferrals = BigInt.zero();
    token.licenseFeesSwept = BigInt.zero();
    token.licenseRoyalties = BigInt.zero();
    token.save();
  }
  return token as PaymentToken;
}

/** An account's tip earnings in one token (unsaved when new: the caller saves what it changes). */
export function loadTipEarnings(account: Address, token: Address): TipEarnings {
  let id = account.toHexString() + "-" + token.toHexString();
  let earnings = TipEarnings.load(id);
  if (earnings == null) {
    earnings = new TipEarnings(id);
    earnings.account = loadOrCreateAccount(account).id;
    earnings.token = loadPaymentToken(token).id;
    earnings.tipVolume = BigInt.zero();
    earnings.shares = BigInt.zero();
    earnings.referrals = BigInt.zero();
    earnings.withdrawn = BigInt.zero();
    earnings.fees = BigInt.zero();
  }
  return earnings as TipEarnings;
}

/** The licence token id (decimal, as LicenseOffer ids are) of a track's offer. */
export function offerKey(trackId: BigInt, offerId: BigInt): string {
  return trackId.times(OFFER_ID_RANGE).plus(offerId).toString();
}

/** The track id (decimal) a licence token belongs to. */
export function trackKeyOfToken(tokenId: BigInt): string {
  return tokenId.div(OFFER_ID_RANGE).toString();
}

/** `address`, or null for the zero address (an unset role). */
export function nonZero(address: Address): Bytes | null {
  return address.equals(Address.zero()) ? null : changetype<Bytes>(address);
}

/**
 * A PauseChange row for Paused / Unpaused on `contract` (REGISTRY, PROFILES or LIVE), and for a pause
 * by the guardian its GuardianAction. Only the timelock and the governor's guardian may pause (only the
 * timelock unpause), so an account other than the timelock that equals Protocol.guardian (kept from
 * ProposalGuardianSet, which the governor emits before any pause) is the guardian.
 */
export function recordPauseChange(event: ethereum.Event, contract: string, paused: boolean, by: Address): void {
  let protocol = loadProtocol();
  if (contract == "REGISTRY") protocol.registryPaused = paused;
  else if (contract == "PROFILES") protocol.profilesPaused = paused;
  else protocol.livePaused = paused;
  protocol.save();

  let guardian = protocol.guardian;
  let timelock = protocol.timelock;
  let byGuardian = guardian !== null && by.equals(guardian) && !(timelock !== null && by.equals(timelock));

  let change = new PauseChange(createEventId(event));
  setEventFields(change, event);
  change.contract = contract;
  change.address = event.address;
  change.paused = paused;
  change.by = by;
  change.authority = byGuardian ? "GUARDIAN" : "GOVERNANCE";
  change.save();

  if (byGuardian && paused) {
    let action = new GuardianAction(change.id);
    setEventFields(action, event);
    action.kind = "PAUSE";
    action.guardian = by;
    action.contract = contract;
    action.pause = change.id;
    action.save();
  }
}

export function loadProtocol(): Protocol {
  let protocol = Protocol.load(PROTOCOL_ID);
  if (protocol == null) {
    protocol = new Protocol(PROTOCOL_ID);
    protocol.tipVolume = BigInt.zero();
    protocol.tipCount = BigInt.zero();
    protocol.tipFees = BigInt.zero();
    protocol.tipFeesSwept = BigInt.zero();
    protocol.licenseVolume = BigInt.zero();
    protocol.licenseCount = BigInt.zero();
    protocol.licenseFees = BigInt.zero();
    protocol.licenseFeesSwept = BigInt.zero();
    protocol.trackCount = 0;
    protocol.artistCount = 0;
    protocol.streamCount = 0;
    protocol.liveStreamCount = 0;
    protocol.proposalCount = 0;
    protocol.stakedSupply = BigInt.zero();
    protocol.registryPaused = false;
    protocol.profilesPaused = false;
    protocol.livePaused = false;
    protocol.upcomingSnapshots = new Array<string>();
    protocol.save();
  }
  return protocol as Protocol;
}

export function loadOrCreateAccount(address: Address): Account {
  let id = address.toHexString();
  let account = Account.load(id);
  if (account == null) {
    account = new Account(id);
    account.isArtist = false;
    account.stCoreBalance = BigInt.zero();
    account.pendingUnstake = BigInt.zero();
    account.licenseEarned = BigInt.zero();
    account.licenseWithdrawn = BigInt.zero();
    account.licenseCredit = BigInt.zero();
    account.save();
  }
  return account as Account;
}

/** The artist at `address`, created (with its Account, and counted in Protocol) on first sight. */
export function loadOrCreateArtist(address: Address): Artist {
  let id = address.toHexString();
  let artist = Artist.load(id);
  if (artist == null) {
    let account = loadOrCreateAccount(address);
    account.artist = id;
    account.save();

    artist = new Artist(id);
    artist.account = id;
    artist.tipVolume = BigInt.zero();
    artist.tipCount = BigInt.zero();
    artist.tipWithdrawn = BigInt.zero();
    artist.tipFees = BigInt.zero();
    artist.minimumTip = BigInt.zero();
    artist.licenseRevenue = BigInt.zero();
    artist.licenseSalesCount = BigInt.zero();
    artist.licenseFees = BigInt.zero();
    artist.followerCount = 0;
    artist.trackCount = 0;
    artist.streamCount = 0;
    artist.save();

    let protocol = loadProtocol();
    protocol.artistCount += 1;
    protocol.save();
  }
  return artist as Artist;
}

/** Days since the Unix epoch (UTC) of a block timestamp. */
export function dayOf(timestamp: BigInt): i32 {
  return (timestamp.toI64() / SECONDS_PER_DAY) as i32;
}

export function loadProtocolDailyStats(event: ethereum.Event): ProtocolDailyStats {
  let day = dayOf(event.block.timestamp);
  let id = day.toString();
  let stats = ProtocolDailyStats.load(id);
  if (stats == null) {
    stats = new ProtocolDailyStats(id);
    stats.day = day;
    stats.date = BigInt.fromI32(day).times(BigInt.fromI32(SECONDS_PER_DAY));
    stats.tipVolume = BigInt.zero();
    stats.tipCount = 0;
    stats.licenseVolume = BigInt.zero();
    stats.licenseCount = 0;
    stats.tipFees = BigInt.zero();
    stats.licenseFees = BigInt.zero();
    stats.newTracks = 0;
    stats.streamsOpened = 0;
    stats.proposalsCreated = 0;
    stats.votesCast = 0;
  }
  return stats as ProtocolDailyStats;
}

/** The artist's stats for the event's day, with the follower count snapshot refreshed from `artist`. */
export function loadArtistDailyStats(artist: Artist, event: ethereum.Event): ArtistDailyStats {
  let day = dayOf(event.block.timestamp);
  let id = artist.id + "-" + day.toString();
  let stats = ArtistDailyStats.load(id);
  if (stats == null) {
    stats = new ArtistDailyStats(id);
    stats.artist = artist.id;
    stats.day = day;
    stats.date = BigInt.fromI32(day).times(BigInt.fromI32(SECONDS_PER_DAY));
    stats.tipVolume = BigInt.zero();
    stats.tipCount = 0;
    stats.licenseVolume = BigInt.zero();
    stats.licenseCount = 0;
    stats.fees = BigInt.zero();
    stats.newTracks = 0;
    stats.newFollowers = 0;
  }
  stats.followerCount = artist.followerCount;
  return stats as ArtistDailyStats;
}
