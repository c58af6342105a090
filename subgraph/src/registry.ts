import { Address, BigInt, ethereum } from "@graphprotocol/graph-ts";
import {
  EarningsWithdrawn,
  FeesSwept,
  FeeUpdated,
  LicenseOfferCreated,
  LicenseOfferPriceUpdated,
  LicenseOfferStatusUpdated,
  LicensePurchased,
  Paused,
  RevenueCredited,
  TrackFlagged,
  TrackMetadataUpdated,
  TrackRegistered,
  TrackUnflagged,
  TransferBatch,
  TransferSingle,
  Unpaused,
} from "../generated/ContentRegistry/ContentRegistry";
import {
  Artist,
  License,
  LicenseOffer,
  LicensePurchase,
  RevenueCredit,
  Split,
  Track,
  TrackFlagChange,
  TrackRegistration,
  Withdrawal,
} from "../generated/schema";
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
} from "./utils";

// ContentRegistry: tracks, splits, licence offers, ERC-1155 licence tokens, licence revenue.
// The contract guarantees that a track or offer named by an event exists, hence the `!` loads.

export function handleTrackRegistered(event: TrackRegistered): void {
  let artist = loadOrCreateArtist(event.params.artist);
  artist.trackCount += 1;
  artist.save();

  let track = new Track(event.params.trackId.toString());
  track.isrc = event.params.isrc;
  track.artist = artist.id;
  track.metadataCid = event.params.metadataCid;
  track.exclusive = event.params.exclusive;
  track.flagged = false;
  track.royaltyBps = event.params.royaltyBps;
  track.revenue = BigInt.zero();
  track.salesCount = BigInt.zero();
  track.registeredAt = event.block.timestamp;
  track.save();

  let splits = event.params.splits;
  for (let i = 0; i < splits.length; i++) {
    let recipient = loadOrCreateAccount(splits[i].recipient);
    let split = new Split(track.id + "-" + i.toString());
    split.track = track.id;
    split.recipient = recipient.id;
    split.bps = splits[i].bps;
    split.index = i;
    split.save();
  }

  let registration = new TrackRegistration(createEventId(event));
  setEventFields(registration, event);
  registration.track = track.id;
  registration.artist = artist.id;
  registration.isrc = event.params.isrc;
  registration.metadataCid = event.params.metadataCid;
  registration.exclusive = event.params.exclusive;
  registration.royaltyBps = event.params.royaltyBps;
  registration.save();

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
  track.save();
}

export function handleLicenseOfferCreated(event: LicenseOfferCreated): void {
  let offer = new LicenseOffer(event.params.tokenId.toString());
  offer.track = event.params.trackId.toString();
  offer.offerId = event.params.offerId;
  offer.tokenId = event.params.tokenId;
  offer.price = event.params.price;
  offer.supplyCap = event.params.supplyCap;
  offer.duration = event.params.duration;
  offer.commercialUse = event.params.commercialUse;
  offer.derivativesAllowed = event.params.derivativesAllowed;
  offer.active = true;
  offer.sold = 0;
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

export function handleLicensePurchased(event: LicensePurchased): void {
  let price = event.params.price;
  let fee = event.params.fee;
  let expiresAt = event.params.expiresAt;

  let offer = LicenseOffer.load(event.params.tokenId.toString())!;
  offer.sold += 1;
  offer.save();

  let track = Track.load(event.params.trackId.toString())!;
  track.revenue = track.revenue.plus(price);
  track.salesCount = track.salesCount.plus(BigInt.fromI32(1));
  track.save();

  let artist = Artist.load(track.artist)!;
  artist.licenseRevenue = artist.licenseRevenue.plus(price);
  artist.licenseSalesCount = artist.licenseSalesCount.plus(BigInt.fromI32(1));
  artist.licenseFees = artist.licenseFees.plus(fee);
  artist.save();

  // The token is minted right after this event (TransferSingle adds the balance); the expiry is per
  // holder and only in this event.
  let license = loadOrCreateLicense(event.params.buyer, event.params.tokenId, event);
  if (!expiresAt.isZero()) license.expiresAt = expiresAt;
  license.save();

  let purchase = new LicensePurchase(createEventId(event));
  setEventFields(purchase, event);
  purchase.track = track.id;
  purchase.offer = offer.id;
  purchase.buyer = license.holder;
  purchase.tokenId = event.params.tokenId;
  purchase.price = price;
  purchase.fee = fee;
  if (!expiresAt.isZero()) purchase.expiresAt = expiresAt;
  purchase.save();

  let artistDay = loadArtistDailyStats(artist, event);
  artistDay.licenseVolume = artistDay.licenseVolume.plus(price);
  artistDay.licenseCount += 1;
  artistDay.fees = artistDay.fees.plus(fee);
  artistDay.save();

  let protocol = loadProtocol();
  protocol.licenseVolume = protocol.licenseVolume.plus(price);
  protocol.licenseCount = protocol.licenseCount.plus(BigInt.fromI32(1));
  protocol.licenseFees = protocol.licenseFees.plus(fee);
  protocol.save();

  let day = loadProtocolDailyStats(event);
  day.licenseVolume = day.licenseVolume.plus(price);
  day.licenseCount += 1;
  day.licenseFees = day.licenseFees.plus(fee);
  day.save();
}

export function handleRevenueCredited(event: RevenueCredited): void {
  let account = loadOrCreateAccount(event.params.recipient);
  account.licenseEarned = account.licenseEarned.plus(event.params.amount);
  account.licenseCredit = account.licenseCredit.plus(event.params.amount);
  account.save();

  let credit = new RevenueCredit(createEventId(event));
  setEventFields(credit, event);
  credit.track = event.params.trackId.toString();
  credit.recipient = account.id;
  credit.amount = event.params.amount;
  credit.save();
}

export function handleEarningsWithdrawn(event: EarningsWithdrawn): void {
  let account = loadOrCreateAccount(event.params.account);
  account.licenseCredit = BigInt.zero(); // a withdrawal always pays out the whole credit
  account.licenseWithdrawn = account.licenseWithdrawn.plus(event.params.amount);
  account.save();

  let withdrawal = new Withdrawal(createEventId(event));
  setEventFields(withdrawal, event);
  withdrawal.account = account.id;
  withdrawal.token = loadPaymentToken(Address.fromString(CORE_ADDRESS)).id;
  withdrawal.to = event.params.to;
  withdrawal.amount = event.params.amount;
  withdrawal.fee = BigInt.zero(); // the licensing fee is taken at purchase
  withdrawal.source = "LICENSING";
  withdrawal.save();
}

export function handleTrackFlagged(event: TrackFlagged): void {
  let track = Track.load(event.params.trackId.toString())!;
  track.flagged = true;
  track.flagReason = event.params.reason;
  track.save();

  let change = new TrackFlagChange(createEventId(event));
  setEventFields(change, event);
  change.track = track.id;
  change.flagged = true;
  change.reason = event.params.reason;
  change.save();
}

export function handleTrackUnflagged(event: TrackUnflagged): void {
  let track = Track.load(event.params.trackId.toString())!;
  track.flagged = false;
  track.flagReason = null;
  track.save();

  let change = new TrackFlagChange(createEventId(event));
  setEventFields(change, event);
  change.track = track.id;
  change.flagged = false;
  change.save();
}

export function handleFeeUpdated(event: FeeUpdated): void {
  let protocol = loadProtocol();
  protocol.licenseFeeBps = event.params.newBps.toI32();
  protocol.save();
  recordFeeChange(event, "LICENSING", event.params.previousBps, event.params.newBps, event.block.timestamp);
}

export function handleFeesSwept(event: FeesSwept): void {
  let protocol = loadProtocol();
  protocol.licenseFeesSwept = protocol.licenseFeesSwept.plus(event.params.amount);
  protocol.save();
  recordFeeSweep(event, "LICENSING", event.params.treasury, Address.fromString(CORE_ADDRESS), event.params.amount);
}

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

export function handlePaused(event: Paused): void {
  let protocol = loadProtocol();
  protocol.registryPaused = true;
  protocol.save();
}

export function handleUnpaused(event: Unpaused): void {
  let protocol = loadProtocol();
  protocol.registryPaused = false;
  protocol.save();
}

/** Moves `value` licence tokens between holders; the zero address is the mint/burn side. */
function moveLicense(from: Address, to: Address, tokenId: BigInt, value: BigInt, event: ethereum.Event): void {
  if (!from.equals(Address.zero())) {
    let license = loadOrCreateLicense(from, tokenId, event);
    license.balance = license.balance.minus(value);
    license.save();
  }
  if (!to.equals(Address.zero())) {
    let license = loadOrCreateLicense(to, tokenId, event);
    license.balance = license.balance.plus(value);
    license.save();
  }
}

/** The holding of `tokenId` by `holder`, created at balance 0 (and with its Account) when new. */
function loadOrCreateLicense(holder: Address, tokenId: BigInt, event: ethereum.Event): License {
  let account = loadOrCreateAccount(holder);
  let id = account.id + "-" + tokenId.toString();
  let license = License.load(id);
  if (license == null) {
    license = new License(id);
    license.holder = account.id;
    license.offer = tokenId.toString();
    license.track = trackKeyOfToken(tokenId);
    license.balance = BigInt.zero();
    license.acquiredAt = event.block.timestamp;
  }
  return license as License;
}
