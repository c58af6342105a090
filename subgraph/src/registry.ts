import { Address, BigInt, Bytes, ethereum, store } from "@graphprotocol/graph-ts";
import {
  EarningsWithdrawn,
  FeesSwept,
  FeeUpdated,
  LicenseOfferCreated,
  LicenseOfferPriceUpdated,
  LicenseOfferStatusUpdated,
  LicensePurchased,
  Paused,
  RegistrantSet,
  RevenueCredited,
  RoyaltiesCollected,
  TrackFlagged,
  TrackMetadataUpdated,
  TrackReassigned,
  TrackRegistered,
  TrackRevoked,
  TrackTransferOffered,
  TrackTransferred,
  TrackUnflagged,
  TransferBatch,
  TransferSingle,
  Unpaused,
} from "../generated/ContentRegistry/ContentRegistry";
import {
  Artist,
  License,
  LicenseEarnings,
  LicenseOffer,
  LicensePurchase,
  RegistrantChange,
  RegistrantCode,
  RevenueCredit,
  RoyaltyCollection,
  Split,
  Track,
  TrackAccess,
  TrackOwnershipChange,
  TrackRegistration,
  TrackRevenue,
  TrackStatusChange,
  Withdrawal,
} from "../generated/schema";
import { TrackMetadata as TrackMetadataTemplate } from "../generated/templates";
import {
  createEventId,
  loadArtistDailyStats,
  loadOrCreateAccount,
  loadOrCreateArtist,
  loadProtocol,
  loadProtocolDailyStats,
  offerKey,
  setEventFields,
  trackKeyOfToken,
  CORE_ADDRESS,
  loadPaymentToken,
  recordFeeChange,
  recordFeeSweep,
  recordPauseChange,
} from "./utils";

// ContentRegistry: tracks and their rights (status, owner, registrant codes), splits, licence offers
// priced in CORE or an allow-listed ERC-20, ERC-1155 licence tokens, per-token licensing earnings.
// The contract guarantees that a track or offer named by an event exists, hence the `!` loads.
//
// Log order the handlers rely on (ContentRegistry.sol):
//   purchase: [ERC-20 Transfer] · RevenueCredited per split · LicensePurchased · TransferSingle (not on a renewal)
//   royalties: [ERC-20 Transfer from the vault] · RoyaltiesCollected · RevenueCredited per split, adjacent
//   reassignment: TrackReassigned · [TrackMetadataUpdated]
// CORE keeps the historical aggregates (Protocol, Artist, Track.revenue, daily stats); every token,
// CORE included, has PaymentToken, TrackRevenue and LicenseEarnings totals.

const ACTIVE = "ACTIVE";
const FLAGGED = "FLAGGED";
const REVOKED = "REVOKED";
const ONE = BigInt.fromI32(1);

// ---- tracks and rights ----------------------------------------------------------------------------

export function handleTrackRegistered(event: TrackRegistered): void {
  let artist = loadOrCreateArtist(event.params.artist);
  artist.trackCount += 1;
  artist.save();

  let registrant = event.params.registrant;
  let hasRegistrant = !registrant.equals(Address.zero());
  if (hasRegistrant) loadOrCreateAccount(registrant);
  let isrc = event.params.isrc;
  let code = loadOrCreateRegistrantCode(isrc.substring(0, 5));
  code.trackCount += 1;
  code.save();

  let track = new Track(event.params.trackId.toString());
  track.isrc = isrc;
  track.artist = artist.id;
  track.metadataCid = event.params.metadataCid;
  track.metadata = readMetadata(event.params.metadataCid);
  track.exclusive = event.params.exclusive;
  track.status = ACTIVE;
  track.registrantCode = code.id;
  if (hasRegistrant) track.registrant = registrant.toHexString();
  track.royaltyBps = event.params.royaltyBps;
  track.splitCount = 0;
  track.revenue = BigInt.zero();
  track.salesCount = BigInt.zero();
  track.registeredAt = event.block.timestamp;
  setSplits(track, event.params.splits, event);
  track.save();

  let registration = new TrackRegistration(createEventId(event));
  setEventFields(registration, event);
  registration.track = track.id;
  registration.artist = artist.id;
  registration.isrc = isrc;
  registration.metadataCid = event.params.metadataCid;
  registration.exclusive = event.params.exclusive;
  registration.royaltyBps = event.params.royaltyBps;
  if (hasRegistrant) registration.registrant = registrant;
  registration.save();

  let change = newOwnershipChange(event, track, "REGISTERED", null, artist.id, event.params.artist);
  setSplitHistory(change, event.params.splits);
  change.save();

  let artistDay = loadArtistDailyStats(artist, event);
  artistDay.newTracks += 1;
  artistDay.save();

  let protocol = loadProtocol();
  protocol.trackCount += 1;
  protocol.save();

  let day = loadProtocolDailyStats(event);
  day.newTracks += 1;
  day.save();
}

export function handleTrackMetadataUpdated(event: TrackMetadataUpdated): void {
  let track = Track.load(event.params.trackId.toString())!;
  track.metadataCid = event.params.metadataCid;
  track.metadata = readMetadata(event.params.metadataCid);
  track.save();
}

/**
 * Has the node read `<cid>/metadata.json` from IPFS (the TrackMetadata file data source) and returns
 * the id its TrackMetadata will have. graph-node ignores an invalid CID (a warning) and a file asked for
 * before (same path: packages shared by tracks, a metadata update back to an earlier package).
 */
function readMetadata(cid: string): string {
  let path = cid + "/metadata.json";
  TrackMetadataTemplate.create(path);
  return path;
}

export function handleTrackTransferOffered(event: TrackTransferOffered): void {
  let track = Track.load(event.params.trackId.toString())!;
  let to = event.params.to;
  if (to.equals(Address.zero())) {
    track.pendingArtist = null; // the offer is withdrawn
  } else {
    track.pendingArtist = loadOrCreateAccount(to).id;
  }
  track.save();
}

/** The offered address accepted: the track moves, its splits stay. */
export function handleTrackTransferred(event: TrackTransferred): void {
  let track = Track.load(event.params.trackId.toString())!;
  let from = event.params.previousArtist;
  let to = event.params.artist;
  moveTrack(track, from, to);
  track.pendingArtist = null;
  track.save();

  let change = newOwnershipChange(event, track, "TRANSFERRED", from.toHexString(), to.toHexString(), to);
  change.save();
}

/** Governance or the code's registrant gives the track to its rightful artist with new splits; it becomes active. */
export function handleTrackReassigned(event: TrackReassigned): void {
  let track = Track.load(event.params.trackId.toString())!;
  let from = event.params.previousArtist;
  let to = event.params.artist;
  moveTrack(track, from, to);
  let previousStatus = track.status;
  track.status = ACTIVE;
  track.flagReason = null;
  track.revokeReason = null;
  track.pendingArtist = null;
  setSplits(track, event.params.splits, event);
  track.save();

  let change = newOwnershipChange(event, track, "REASSIGNED", from.toHexString(), to.toHexString(), event.params.by);
  change.reason = event.params.reason;
  setSplitHistory(change, event.params.splits);
  change.save();

  if (previousStatus != ACTIVE) recordStatusChange(event, track, previousStatus, event.params.reason);
}

export function handleTrackFlagged(event: TrackFlagged): void {
  let track = Track.load(event.params.trackId.toString())!;
  let previousStatus = track.status;
  track.status = FLAGGED;
  track.flagReason = event.params.reason;
  track.save();
  recordStatusChange(event, track, previousStatus, event.params.reason);
}

export function handleTrackUnflagged(event: TrackUnflagged): void {
  let track = Track.load(event.params.trackId.toString())!;
  let previousStatus = track.status;
  track.status = ACTIVE;
  track.flagReason = null;
  track.save();
  recordStatusChange(event, track, previousStatus, null);
}

/** Frozen for good unless governance reassigns it; a pending hand-over is cancelled. */
export function handleTrackRevoked(event: TrackRevoked): void {
  let track = Track.load(event.params.trackId.toString())!;
  let previousStatus = track.status;
  track.status = REVOKED;
  track.flagReason = null;
  track.revokeReason = event.params.reason;
  track.pendingArtist = null;
  track.save();
  recordStatusChange(event, track, previousStatus, event.params.reason);
}

export function handleRegistrantSet(event: RegistrantSet): void {
  let code = loadOrCreateRegistrantCode(event.params.code);
  let registrant = event.params.registrant;
  if (registrant.equals(Address.zero())) {
    code.registrant = null;
  } else {
    code.registrant = loadOrCreateAccount(registrant).id;
  }
  code.updatedAt = event.block.timestamp;
  code.save();

  let change = new RegistrantChange(createEventId(event));
  setEventFields(change, event);
  change.code = code.id;
  let previous = event.params.previousRegistrant;
  if (!previous.equals(Address.zero())) change.previousRegistrant = previous;
  if (!registrant.equals(Address.zero())) change.registrant = registrant;
  change.save();
}

// ---- offers ---------------------------------------------------------------------------------------

export function handleLicenseOfferCreated(event: LicenseOfferCreated): void {
  let offer = new LicenseOffer(event.params.tokenId.toString());
  offer.track = event.params.trackId.toString();
  offer.offerId = event.params.offerId;
  offer.tokenId = event.params.tokenId;
  offer.token = loadPaymentToken(event.params.token).id;
  offer.price = event.params.price;
  offer.supplyCap = event.params.supplyCap;
  offer.perBuyerLimit = event.params.perBuyerLimit;
  offer.duration = event.params.duration;
  offer.commercialUse = event.params.commercialUse;
  offer.derivativesAllowed = event.params.derivativesAllowed;
  offer.active = true;
  offer.issued = 0;
  offer.renewals = 0;
  offer.volume = BigInt.zero();
  offer.createdAt = event.block.timestamp;
  offer.save();
}

export function handleLicenseOfferPriceUpdated(event: LicenseOfferPriceUpdated): void {
  let offer = LicenseOffer.load(offerKey(event.params.trackId, event.params.offerId))!;
  offer.price = event.params.price;
  offer.save();
}

export function handleLicenseOfferStatusUpdated(event: LicenseOfferStatusUpdated): void {
  let offer = LicenseOffer.load(offerKey(event.params.trackId, event.params.offerId))!;
  offer.active = event.params.active;
  offer.save();
}

// ---- purchases and revenue ------------------------------------------------------------------------

export function handleLicensePurchased(event: LicensePurchased): void {
  let price = event.params.price;
  let fee = event.params.fee;
  let referralFee = event.params.referralFee;
  let expiresAt = event.params.expiresAt;
  let renewal = event.params.renewal;
  let tokenAddress = event.params.token;
  let inCore = tokenAddress.toHexString() == CORE_ADDRESS;

  let offer = LicenseOffer.load(event.params.tokenId.toString())!;
  if (renewal) offer.renewals += 1;
  else offer.issued += 1;
  offer.volume = offer.volume.plus(price);
  offer.save();

  let track = Track.load(event.params.trackId.toString())!;
  if (inCore) track.revenue = track.revenue.plus(price);
  track.salesCount = track.salesCount.plus(ONE);
  track.save();

  let revenue = loadTrackRevenue(track.id, tokenAddress);
  revenue.volume = revenue.volume.plus(price);
  revenue.salesCount = revenue.salesCount.plus(ONE);
  revenue.fees = revenue.fees.plus(fee);
  revenue.save();

  let artist = Artist.load(track.artist)!;
  if (inCore) {
    artist.licenseRevenue = artist.licenseRevenue.plus(price);
    artist.licenseFees = artist.licenseFees.plus(fee);
  }
  artist.licenseSalesCount = artist.licenseSalesCount.plus(ONE);
  artist.save();

  let token = loadPaymentToken(tokenAddress);
  token.licenseVolume = token.licenseVolume.plus(price);
  token.licenseCount = token.licenseCount.plus(ONE);
  token.licenseFees = token.licenseFees.plus(fee);
  token.licenseReferrals = token.licenseReferrals.plus(referralFee);
  token.save();

  // A first purchase is minted right after this event (TransferSingle adds the balance); a renewal
  // mints nothing. The expiry is the buyer's, per track, and only in this event.
  let license = loadOrCreateLicense(event.params.buyer, event.params.tokenId, event);
  if (renewal) license.renewalCount += 1;
  else license.purchaseCount += 1;
  if (!expiresAt.isZero()) license.expiresAt = expiresAt;
  license.save();
  let access = TrackAccess.load(license.access)!;
  if (!expiresAt.isZero()) access.expiresAt = expiresAt;
  access.updatedAt = event.block.timestamp;
  access.save();

  let referrer = event.params.referrer;
  let referred = !referrer.equals(Address.zero());
  if (referred && !referralFee.isZero()) {
    let earnings = loadLicenseEarnings(referrer, tokenAddress);
    earnings.referrals = earnings.referrals.plus(referralFee);
    creditEarnings(earnings, referralFee);
  }

  let purchase = new LicensePurchase(createEventId(event));
  setEventFields(purchase, event);
  purchase.track = track.id;
  purchase.offer = offer.id;
  purchase.buyer = license.holder;
  purchase.tokenId = event.params.tokenId;
  purchase.token = token.id;
  purchase.price = price;
  purchase.fee = fee;
  if (referred) purchase.referrer = loadOrCreateAccount(referrer).id;
  purchase.referralFee = referralFee;
  purchase.renewal = renewal;
  if (!expiresAt.isZero()) purchase.expiresAt = expiresAt;
  purchase.save();

  let artistDay = loadArtistDailyStats(artist, event);
  if (inCore) {
    artistDay.licenseVolume = artistDay.licenseVolume.plus(price);
    artistDay.fees = artistDay.fees.plus(fee);
  }
  artistDay.licenseCount += 1;
  artistDay.save();

  let protocol = loadProtocol();
  if (inCore) {
    protocol.licenseVolume = protocol.licenseVolume.plus(price);
    protocol.licenseFees = protocol.licenseFees.plus(fee);
  }
  protocol.licenseCount = protocol.licenseCount.plus(ONE);
  protocol.save();

  let day = loadProtocolDailyStats(event);
  if (inCore) {
    day.licenseVolume = day.licenseVolume.plus(price);
    day.licenseFees = day.licenseFees.plus(fee);
  }
  day.licenseCount += 1;
  day.save();
}

/** Resale royalties swept from the track's royalty address; the next `splitCount` logs credit them. */
export function handleRoyaltiesCollected(event: RoyaltiesCollected): void {
  let track = Track.load(event.params.trackId.toString())!;
  let token = loadPaymentToken(event.params.token);
  token.licenseRoyalties = token.licenseRoyalties.plus(event.params.amount);
  token.save();

  let revenue = loadTrackRevenue(track.id, event.params.token);
  revenue.royalties = revenue.royalties.plus(event.params.amount);
  revenue.save();

  let collection = new RoyaltyCollection(createEventId(event));
  setEventFields(collection, event);
  collection.track = track.id;
  collection.token = token.id;
  collection.amount = event.params.amount;
  collection.splitCount = track.splitCount;
  collection.save();

  track.lastRoyaltyCollection = collection.id;
  track.save();
}

export function handleRevenueCredited(event: RevenueCredited): void {
  let track = Track.load(event.params.trackId.toString())!;
  let account = loadOrCreateAccount(event.params.recipient);
  let tokenAddress = event.params.token;
  let amount = event.params.amount;

  let credit = new RevenueCredit(createEventId(event));
  setEventFields(credit, event);
  credit.track = track.id;
  credit.recipient = account.id;
  credit.token = loadPaymentToken(tokenAddress).id;
  credit.amount = amount;

  let earnings = loadLicenseEarnings(event.params.recipient, tokenAddress);
  let collection = royaltyCollectionCrediting(track, event);
  if (collection != null) {
    credit.kind = "ROYALTY";
    credit.royaltyCollection = collection.id;
    earnings.royalties = earnings.royalties.plus(amount);
  } else {
    credit.kind = "SALE";
    earnings.sales = earnings.sales.plus(amount);
  }
  credit.save();
  creditEarnings(earnings, amount);
}

/** A withdrawal pays out the account's whole credit in that token. */
export function handleEarningsWithdrawn(event: EarningsWithdrawn): void {
  let tokenAddress = event.params.token;
  let amount = event.params.amount;
  let earnings = loadLicenseEarnings(event.params.account, tokenAddress);
  earnings.withdrawn = earnings.withdrawn.plus(amount);
  earnings.credit = BigInt.zero();
  earnings.save();
  let account = loadOrCreateAccount(event.params.account);
  if (tokenAddress.toHexString() == CORE_ADDRESS) {
    account.licenseCredit = BigInt.zero();
    account.licenseWithdrawn = account.licenseWithdrawn.plus(amount);
    account.save();
  }

  let withdrawal = new Withdrawal(createEventId(event));
  setEventFields(withdrawal, event);
  withdrawal.account = account.id;
  withdrawal.token = loadPaymentToken(tokenAddress).id;
  withdrawal.to = event.params.to;
  withdrawal.amount = amount;
  withdrawal.fee = BigInt.zero(); // the licensing fee is taken at purchase
  withdrawal.source = "LICENSING";
  withdrawal.save();
}

// ---- fees, pause ----------------------------------------------------------------------------------

export function handleFeeUpdated(event: FeeUpdated): void {
  let protocol = loadProtocol();
  protocol.licenseFeeBps = event.params.newBps.toI32();
  protocol.save();
  recordFeeChange(event, "LICENSING", event.params.previousBps, event.params.newBps, event.block.timestamp);
}

export function handleFeesSwept(event: FeesSwept): void {
  let token = loadPaymentToken(event.params.token);
  token.licenseFeesSwept = token.licenseFeesSwept.plus(event.params.amount);
  token.save();
  if (token.id == CORE_ADDRESS) {
    let protocol = loadProtocol();
    protocol.licenseFeesSwept = protocol.licenseFeesSwept.plus(event.params.amount);
    protocol.save();
  }
  recordFeeSweep(event, "LICENSING", event.params.treasury, event.params.token, event.params.amount);
}

export function handlePaused(event: Paused): void {
  recordPauseChange(event, "REGISTRY", true, event.params.account);
}

export function handleUnpaused(event: Unpaused): void {
  recordPauseChange(event, "REGISTRY", false, event.params.account);
}

// ---- licence tokens -------------------------------------------------------------------------------

export function handleTransferSingle(event: TransferSingle): void {
  moveLicense(event.params.from, event.params.to, event.params.id, event.params.value, event);
}

export function handleTransferBatch(event: TransferBatch): void {
  let ids = event.params.ids;
  let values = event.params.values;
  for (let i = 0; i < ids.length; i++) {
    moveLicense(event.params.from, event.params.to, ids[i], values[i], event);
  }
}

/**
 * Moves `value` licence tokens between holders; the zero address is the mint/burn side. Only perpetual
 * licences move between accounts (timed ones are personal), and they count in TrackAccess.perpetual.
 */
function moveLicense(from: Address, to: Address, tokenId: BigInt, value: BigInt, event: ethereum.Event): void {
  let perpetual = LicenseOffer.load(tokenId.toString())!.duration.isZero();
  if (!from.equals(Address.zero())) {
    let license = loadOrCreateLicense(from, tokenId, event);
    license.balance = license.balance.minus(value);
    license.save();
    updateAccess(license, perpetual ? value.neg() : BigInt.zero(), event);
  }
  if (!to.equals(Address.zero())) {
    let license = loadOrCreateLicense(to, tokenId, event);
    license.balance = license.balance.plus(value);
    license.save();
    updateAccess(license, perpetual ? value : BigInt.zero(), event);
  }
}

function updateAccess(license: License, perpetualDelta: BigInt, event: ethereum.Event): void {
  let access = TrackAccess.load(license.access)!;
  access.perpetual = access.perpetual.plus(perpetualDelta);
  access.updatedAt = event.block.timestamp;
  access.save();
}

/** The holding of `tokenId` by `holder`, created at balance 0 (with its Account and TrackAccess, saved) when new. */
function loadOrCreateLicense(holder: Address, tokenId: BigInt, event: ethereum.Event): License {
  let account = loadOrCreateAccount(holder);
  let id = account.id + "-" + tokenId.toString();
  let license = License.load(id);
  if (license == null) {
    let trackId = trackKeyOfToken(tokenId);
    let accessId = account.id + "-" + trackId;
    if (TrackAccess.load(accessId) == null) {
      let access = new TrackAccess(accessId);
      access.holder = account.id;
      access.track = trackId;
      access.perpetual = BigInt.zero();
      access.acquiredAt = event.block.timestamp;
      access.updatedAt = event.block.timestamp;
      access.save();
    }
    license = new License(id);
    license.holder = account.id;
    license.offer = tokenId.toString();
    license.track = trackId;
    license.access = accessId;
    license.balance = BigInt.zero();
    license.purchaseCount = 0;
    license.renewalCount = 0;
    license.acquiredAt = event.block.timestamp;
  }
  return license as License;
}

// ---- helpers --------------------------------------------------------------------------------------

/**
 * The collection this credit is a share of, or null for a sale's share. A collection's credits are the
 * `splitCount` logs right after it in the same transaction (nothing else can run in between: the
 * contract's reentrancy guard), so this is exact even when one transaction both collects and buys.
 */
function royaltyCollectionCrediting(track: Track, event: ethereum.Event): RoyaltyCollection | null {
  let id = track.lastRoyaltyCollection;
  if (id == null) return null;
  let collection = RoyaltyCollection.load(id!);
  if (collection == null || !collection.transactionHash.equals(event.transaction.hash)) return null;
  let distance = event.logIndex.minus(collection.logIndex);
  if (distance.le(BigInt.zero()) || distance.gt(BigInt.fromI32(collection.splitCount))) return null;
  return collection;
}

/** Moves a track to a new artist, keeping both artists' current track counts right. */
function moveTrack(track: Track, from: Address, to: Address): void {
  let previous = Artist.load(from.toHexString())!;
  previous.trackCount -= 1;
  previous.save();
  // Loaded after the previous artist was saved: it may be the same artist (a reassignment keeping the
  // artist and replacing the splits).
  let artist = loadOrCreateArtist(to);
  artist.trackCount += 1;
  artist.save();
  track.artist = artist.id;
}

/**
 * Replaces the track's splits with `splits` (rows past the new count are removed). Generic over the
 * split tuples of TrackRegistered and TrackReassigned, which codegen gives distinct classes.
 */
function setSplits<T extends ethereum.Tuple>(track: Track, splits: Array<T>, event: ethereum.Event): void {
  for (let i = splits.length; i < track.splitCount; i++) {
    store.remove("Split", track.id + "-" + i.toString());
  }
  for (let i = 0; i < splits.length; i++) {
    let split = new Split(track.id + "-" + i.toString());
    split.track = track.id;
    split.recipient = loadOrCreateAccount(splits[i].recipient).id;
    split.bps = splits[i].bps;
    split.index = i;
    split.since = event.block.timestamp;
    split.save();
  }
  track.splitCount = splits.length;
}

function setSplitHistory<T extends ethereum.Tuple>(change: TrackOwnershipChange, splits: Array<T>): void {
  let recipients = new Array<Bytes>();
  let bps = new Array<i32>();
  for (let i = 0; i < splits.length; i++) {
    recipients.push(splits[i].recipient);
    bps.push(splits[i].bps);
  }
  change.splitRecipients = recipients;
  change.splitBps = bps;
}

function newOwnershipChange(
  event: ethereum.Event,
  track: Track,
  kind: string,
  from: string | null,
  to: string,
  by: Address,
): TrackOwnershipChange {
  let change = new TrackOwnershipChange(createEventId(event));
  setEventFields(change, event);
  change.track = track.id;
  change.kind = kind;
  change.from = from;
  change.to = to;
  change.by = by;
  return change;
}

function recordStatusChange(event: ethereum.Event, track: Track, previousStatus: string, reason: string | null): void {
  let change = new TrackStatusChange(createEventId(event));
  setEventFields(change, event);
  change.track = track.id;
  change.previousStatus = previousStatus;
  change.status = track.status;
  change.reason = reason;
  change.save();
}

/** A registrant code, created (unclaimed, saved) on first sight. */
function loadOrCreateRegistrantCode(code: string): RegistrantCode {
  let entity = RegistrantCode.load(code);
  if (entity == null) {
    entity = new RegistrantCode(code);
    entity.trackCount = 0;
    entity.save();
  }
  return entity as RegistrantCode;
}

/** A track's revenue in one token (unsaved when new). */
function loadTrackRevenue(trackId: string, token: Address): TrackRevenue {
  let id = trackId + "-" + token.toHexString();
  let revenue = TrackRevenue.load(id);
  if (revenue == null) {
    revenue = new TrackRevenue(id);
    revenue.track = trackId;
    revenue.token = loadPaymentToken(token).id;
    revenue.volume = BigInt.zero();
    revenue.salesCount = BigInt.zero();
    revenue.fees = BigInt.zero();
    revenue.royalties = BigInt.zero();
  }
  return revenue as TrackRevenue;
}

/** An account's licensing earnings in one token (unsaved when new; its Account is created). */
function loadLicenseEarnings(account: Address, token: Address): LicenseEarnings {
  let id = account.toHexString() + "-" + token.toHexString();
  let earnings = LicenseEarnings.load(id);
  if (earnings == null) {
    earnings = new LicenseEarnings(id);
    earnings.account = loadOrCreateAccount(account).id;
    earnings.token = loadPaymentToken(token).id;
    earnings.earned = BigInt.zero();
    earnings.sales = BigInt.zero();
    earnings.royalties = BigInt.zero();
    earnings.referrals = BigInt.zero();
    earnings.withdrawn = BigInt.zero();
    earnings.credit = BigInt.zero();
  }
  return earnings as LicenseEarnings;
}

/** Adds `amount` to what the account earned and can withdraw (the kind was added by the caller); saves. */
function creditEarnings(earnings: LicenseEarnings, amount: BigInt): void {
  earnings.earned = earnings.earned.plus(amount);
  earnings.credit = earnings.credit.plus(amount);
  earnings.save();
  if (earnings.token == CORE_ADDRESS) {
    let account = loadOrCreateAccount(Address.fromString(earnings.account));
    account.licenseEarned = account.licenseEarned.plus(amount);
    account.licenseCredit = account.licenseCredit.plus(amount);
    account.save();
  }
}
