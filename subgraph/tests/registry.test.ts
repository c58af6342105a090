import { BigInt, Bytes } from "@graphprotocol/graph-ts";
import { afterEach, assert, beforeEach, clearStore, describe, test } from "matchstick-as/assembly/index";
import { RegistrantCode, Track, TrackAccess } from "../generated/schema";
import {
  handleEarningsWithdrawn,
  handleFeesSwept,
  handleLicenseOfferCreated,
  handleLicensePurchased,
  handleRegistrantSet,
  handleRevenueCredited,
  handleRoyaltiesCollected,
  handleTrackFlagged,
  handleTrackReassigned,
  handleTrackRegistered,
  handleTrackRevoked,
  handleTrackTransferOffered,
  handleTrackTransferred,
  handleTrackUnflagged,
  handleTransferBatch,
  handleTransferSingle,
} from "../src/registry";
import { handleTokenAllowed } from "../src/tipping";
import { createEventId } from "../src/utils";
import {
  APP,
  ARTIST,
  COLLABORATOR,
  CORE_TOKEN,
  createEarningsWithdrawn,
  createLicenseOfferCreated,
  createLicensePurchased,
  createRegistrantSet,
  createRegistryFeesSwept,
  createRevenueCredited,
  createRoyaltiesCollected,
  createTokenAllowed,
  createTrackFlagged,
  createTrackReassigned,
  createTrackRegistered,
  createTrackRevoked,
  createTrackTransferOffered,
  createTrackTransferred,
  createTrackUnflagged,
  createTransferBatch,
  createTransferSingle,
  DAY,
  FAN,
  LABEL,
  OTHER_ARTIST,
  OTHER_FAN,
  TIMELOCK,
  tokenIdOf,
  USDC,
  ZERO_ADDRESS,
} from "./events";

const TRACK = "23489210437512392783413"; // any uint96
const PERPETUAL = 0;
const TIMED = 1;
const LONG_TIMED = 2;
const IN_USDC = 3;
const EXPIRY = 1750003600; // TIMESTAMP + 1 hour
const OTHER_TX = "0x00000000000000000000000000000000000000000000000000000000000000ff";

function offerId(offer: i32): string {
  return tokenIdOf(TRACK, offer).toString();
}

function licenseId(holder: string, offer: i32): string {
  return holder + "-" + offerId(offer);
}

function accessId(holder: string): string {
  return holder + "-" + TRACK;
}

/** A first purchase as the contract logs it: the splits' credits, LicensePurchased, then the mint. */
function buy(buyer: string, offer: i32, expiresAt: i32): void {
  handleRevenueCredited(createRevenueCredited(TRACK, COLLABORATOR, CORE_TOKEN, "285"));
  handleRevenueCredited(createRevenueCredited(TRACK, ARTIST, CORE_TOKEN, "665"));
  handleLicensePurchased(createLicensePurchased(TRACK, offer, buyer, "1000", "50", expiresAt));
  handleTransferSingle(createTransferSingle(ZERO_ADDRESS, buyer, tokenIdOf(TRACK, offer), 1));
}

function register(): void {
  handleTrackRegistered(createTrackRegistered(TRACK, ARTIST, [ARTIST, COLLABORATOR], [7000, 3000]));
  handleTokenAllowed(createTokenAllowed(USDC, "USDC", 6, "10000"));
  handleLicenseOfferCreated(createLicenseOfferCreated(TRACK, PERPETUAL, "1000", 0));
  handleLicenseOfferCreated(createLicenseOfferCreated(TRACK, TIMED, "1000", 3600));
  handleLicenseOfferCreated(createLicenseOfferCreated(TRACK, LONG_TIMED, "1000", 86400));
  handleLicenseOfferCreated(createLicenseOfferCreated(TRACK, IN_USDC, "2000000", 0, USDC, 100, 2));
}

describe("licences", () => {
  beforeEach(register);

  afterEach(() => {
    clearStore();
  });

  test("registration creates the track, its splits, offers, code and first owner", () => {
    assert.fieldEquals("Track", TRACK, "isrc", "USRC17607839");
    assert.fieldEquals("Track", TRACK, "artist", ARTIST);
    assert.fieldEquals("Track", TRACK, "royaltyBps", "500");
    assert.fieldEquals("Track", TRACK, "status", "ACTIVE");
    assert.fieldEquals("Track", TRACK, "splitCount", "2");
    assert.fieldEquals("Track", TRACK, "registrantCode", "USRC1");
    assert.assertTrue(Track.load(TRACK)!.registrant === null);
    assert.fieldEquals("RegistrantCode", "USRC1", "trackCount", "1");
    assert.entityCount("Split", 2);
    assert.fieldEquals("Split", TRACK + "-1", "recipient", COLLABORATOR);
    assert.fieldEquals("Split", TRACK + "-1", "bps", "3000");
    assert.entityCount("LicenseOffer", 4);
    assert.fieldEquals("LicenseOffer", offerId(TIMED), "track", TRACK);
    assert.fieldEquals("LicenseOffer", offerId(TIMED), "token", CORE_TOKEN);
    assert.fieldEquals("LicenseOffer", offerId(IN_USDC), "token", USDC);
    assert.fieldEquals("LicenseOffer", offerId(IN_USDC), "supplyCap", "100");
    assert.fieldEquals("LicenseOffer", offerId(IN_USDC), "perBuyerLimit", "2");
    assert.fieldEquals("LicenseOffer", offerId(IN_USDC), "issued", "0");
    assert.fieldEquals("Artist", ARTIST, "trackCount", "1");
    assert.fieldEquals("ProtocolDailyStats", DAY, "newTracks", "1");
    assert.entityCount("TrackOwnershipChange", 1);
    assert.entityCount("TrackAccess", 0);
  });

  test("a purchase and its mint give the buyer a licence and perpetual access", () => {
    let purchase = createLicensePurchased(TRACK, PERPETUAL, FAN, "1000", "50", 0);
    handleLicensePurchased(purchase);
    handleTransferSingle(createTransferSingle(ZERO_ADDRESS, FAN, tokenIdOf(TRACK, PERPETUAL), 1));

    let id = createEventId(purchase);
    assert.fieldEquals("LicensePurchase", id, "buyer", FAN);
    assert.fieldEquals("LicensePurchase", id, "price", "1000");
    assert.fieldEquals("LicensePurchase", id, "token", CORE_TOKEN);
    assert.fieldEquals("LicensePurchase", id, "renewal", "false");
    assert.fieldEquals("LicensePurchase", id, "referralFee", "0");
    assert.fieldEquals("License", licenseId(FAN, PERPETUAL), "balance", "1");
    assert.fieldEquals("License", licenseId(FAN, PERPETUAL), "track", TRACK);
    assert.fieldEquals("License", licenseId(FAN, PERPETUAL), "purchaseCount", "1");
    assert.fieldEquals("License", licenseId(FAN, PERPETUAL), "access", accessId(FAN));
    assert.fieldEquals("TrackAccess", accessId(FAN), "perpetual", "1");
    assert.assertTrue(TrackAccess.load(accessId(FAN))!.expiresAt === null);
    assert.fieldEquals("LicenseOffer", offerId(PERPETUAL), "issued", "1");
    assert.fieldEquals("LicenseOffer", offerId(PERPETUAL), "volume", "1000");
    assert.fieldEquals("Track", TRACK, "salesCount", "1");
    assert.fieldEquals("Track", TRACK, "revenue", "1000");
    assert.fieldEquals("TrackRevenue", TRACK + "-" + CORE_TOKEN, "volume", "1000");
    assert.fieldEquals("TrackRevenue", TRACK + "-" + CORE_TOKEN, "fees", "50");
    assert.fieldEquals("Artist", ARTIST, "licenseRevenue", "1000");
    assert.fieldEquals("Artist", ARTIST, "licenseFees", "50");
    assert.fieldEquals("PaymentToken", CORE_TOKEN, "licenseVolume", "1000");
    assert.fieldEquals("Protocol", "harmonie", "licenseCount", "1");
    assert.fieldEquals("Protocol", "harmonie", "licenseFees", "50");
    assert.fieldEquals("ArtistDailyStats", ARTIST + "-" + DAY, "licenseVolume", "1000");
    assert.fieldEquals("ProtocolDailyStats", DAY, "licenseCount", "1");
  });

  test("a timed licence gives the holder a track-level expiry", () => {
    buy(FAN, TIMED, EXPIRY);

    assert.fieldEquals("License", licenseId(FAN, TIMED), "balance", "1");
    assert.fieldEquals("License", licenseId(FAN, TIMED), "expiresAt", EXPIRY.toString());
    assert.fieldEquals("TrackAccess", accessId(FAN), "expiresAt", EXPIRY.toString());
    assert.fieldEquals("TrackAccess", accessId(FAN), "perpetual", "0");
  });

  test("a renewal extends the access without minting or using the supply", () => {
    buy(FAN, TIMED, EXPIRY);
    let renewal = createLicensePurchased(
      TRACK,
      TIMED,
      FAN,
      "1000",
      "50",
      EXPIRY + 3600,
      CORE_TOKEN,
      ZERO_ADDRESS,
      "0",
      true,
    );
    handleLicensePurchased(renewal); // no TransferSingle follows a renewal

    assert.fieldEquals("LicensePurchase", createEventId(renewal), "renewal", "true");
    assert.fieldEquals("LicensePurchase", createEventId(renewal), "expiresAt", (EXPIRY + 3600).toString());
    assert.fieldEquals("License", licenseId(FAN, TIMED), "balance", "1");
    assert.fieldEquals("License", licenseId(FAN, TIMED), "purchaseCount", "1");
    assert.fieldEquals("License", licenseId(FAN, TIMED), "renewalCount", "1");
    assert.fieldEquals("License", licenseId(FAN, TIMED), "expiresAt", (EXPIRY + 3600).toString());
    assert.fieldEquals("TrackAccess", accessId(FAN), "expiresAt", (EXPIRY + 3600).toString());
    assert.fieldEquals("LicenseOffer", offerId(TIMED), "issued", "1");
    assert.fieldEquals("LicenseOffer", offerId(TIMED), "renewals", "1");
    assert.fieldEquals("LicenseOffer", offerId(TIMED), "volume", "2000");
    // A renewal is a sale: counted and paid, like any purchase.
    assert.fieldEquals("Track", TRACK, "salesCount", "2");
    assert.fieldEquals("Track", TRACK, "revenue", "2000");
    assert.fieldEquals("Protocol", "harmonie", "licenseCount", "2");
  });

  test("another timed offer of the track extends the same track-level access", () => {
    buy(FAN, TIMED, EXPIRY);
    buy(FAN, LONG_TIMED, EXPIRY + 86400);

    assert.fieldEquals("TrackAccess", accessId(FAN), "expiresAt", (EXPIRY + 86400).toString());
    assert.fieldEquals("License", licenseId(FAN, TIMED), "expiresAt", EXPIRY.toString());
    assert.fieldEquals("License", licenseId(FAN, LONG_TIMED), "expiresAt", (EXPIRY + 86400).toString());
    assert.entityCount("TrackAccess", 1);
    // A perpetual purchase leaves the timed expiry alone (its event says 0).
    buy(FAN, PERPETUAL, 0);
    assert.fieldEquals("TrackAccess", accessId(FAN), "expiresAt", (EXPIRY + 86400).toString());
    assert.fieldEquals("TrackAccess", accessId(FAN), "perpetual", "1");
  });

  test("a resale moves the perpetual licence and the holders' access counts", () => {
    buy(FAN, PERPETUAL, 0);
    handleTransferSingle(createTransferSingle(FAN, OTHER_FAN, tokenIdOf(TRACK, PERPETUAL), 1));

    assert.fieldEquals("License", licenseId(FAN, PERPETUAL), "balance", "0");
    assert.fieldEquals("License", licenseId(OTHER_FAN, PERPETUAL), "balance", "1");
    assert.fieldEquals("License", licenseId(OTHER_FAN, PERPETUAL), "purchaseCount", "0");
    assert.fieldEquals("TrackAccess", accessId(FAN), "perpetual", "0");
    assert.fieldEquals("TrackAccess", accessId(OTHER_FAN), "perpetual", "1");
  });

  test("a batch transfer moves every token it lists, and the access counts", () => {
    buy(FAN, PERPETUAL, 0);
    buy(FAN, PERPETUAL, 0);
    handleTransferBatch(createTransferBatch(FAN, OTHER_FAN, [tokenIdOf(TRACK, PERPETUAL)], [BigInt.fromI32(2)]));

    assert.fieldEquals("License", licenseId(FAN, PERPETUAL), "balance", "0");
    assert.fieldEquals("License", licenseId(OTHER_FAN, PERPETUAL), "balance", "2");
    assert.fieldEquals("LicenseOffer", offerId(PERPETUAL), "issued", "2");
    assert.fieldEquals("TrackAccess", accessId(FAN), "perpetual", "0");
    assert.fieldEquals("TrackAccess", accessId(OTHER_FAN), "perpetual", "2");
  });

  test("a stablecoin licence counts per token, not in the CORE aggregates", () => {
    let purchase = createLicensePurchased(TRACK, IN_USDC, FAN, "2000000", "100000", 0, USDC, APP, "20000");
    handleLicensePurchased(purchase);
    handleTransferSingle(createTransferSingle(ZERO_ADDRESS, FAN, tokenIdOf(TRACK, IN_USDC), 1));

    assert.fieldEquals("LicensePurchase", createEventId(purchase), "token", USDC);
    assert.fieldEquals("LicensePurchase", createEventId(purchase), "referrer", APP);
    assert.fieldEquals("TrackRevenue", TRACK + "-" + USDC, "volume", "2000000");
    assert.fieldEquals("TrackRevenue", TRACK + "-" + USDC, "salesCount", "1");
    assert.fieldEquals("PaymentToken", USDC, "licenseVolume", "2000000");
    assert.fieldEquals("PaymentToken", USDC, "licenseCount", "1");
    assert.fieldEquals("PaymentToken", USDC, "licenseFees", "100000");
    assert.fieldEquals("PaymentToken", USDC, "licenseReferrals", "20000");
    assert.fieldEquals("Track", TRACK, "revenue", "0");
    assert.fieldEquals("Track", TRACK, "salesCount", "1");
    assert.fieldEquals("Artist", ARTIST, "licenseRevenue", "0");
    assert.fieldEquals("Artist", ARTIST, "licenseSalesCount", "1");
    assert.fieldEquals("Protocol", "harmonie", "licenseVolume", "0");
    assert.fieldEquals("Protocol", "harmonie", "licenseFees", "0");
    assert.fieldEquals("Protocol", "harmonie", "licenseCount", "1");
    assert.fieldEquals("TrackAccess", accessId(FAN), "perpetual", "1");
  });
});

describe("licensing earnings", () => {
  beforeEach(register);

  afterEach(() => {
    clearStore();
  });

  test("sales credit the splits and the referrer, per token", () => {
    buy(FAN, PERPETUAL, 0);
    handleRevenueCredited(createRevenueCredited(TRACK, COLLABORATOR, USDC, "570000"));
    handleLicensePurchased(createLicensePurchased(TRACK, IN_USDC, FAN, "2000000", "100000", 0, USDC, APP, "20000"));

    assert.fieldEquals("LicenseEarnings", COLLABORATOR + "-" + CORE_TOKEN, "sales", "285");
    assert.fieldEquals("LicenseEarnings", COLLABORATOR + "-" + CORE_TOKEN, "earned", "285");
    assert.fieldEquals("LicenseEarnings", COLLABORATOR + "-" + CORE_TOKEN, "credit", "285");
    assert.fieldEquals("LicenseEarnings", ARTIST + "-" + CORE_TOKEN, "sales", "665");
    assert.fieldEquals("LicenseEarnings", COLLABORATOR + "-" + USDC, "sales", "570000");
    assert.fieldEquals("LicenseEarnings", COLLABORATOR + "-" + USDC, "royalties", "0");
    assert.fieldEquals("LicenseEarnings", APP + "-" + USDC, "referrals", "20000");
    assert.fieldEquals("LicenseEarnings", APP + "-" + USDC, "credit", "20000");
    // The CORE-only account fields have the CORE credit only.
    assert.fieldEquals("Account", COLLABORATOR, "licenseEarned", "285");
    assert.fieldEquals("Account", COLLABORATOR, "licenseCredit", "285");
    assert.fieldEquals("Account", APP, "licenseEarned", "0");
    assert.entityCount("RevenueCredit", 3);
  });

  test("collected royalties credit the splits as royalties; later credits are sales again", () => {
    let collected = createRoyaltiesCollected(TRACK, CORE_TOKEN, "100");
    handleRoyaltiesCollected(collected);
    let first = createRevenueCredited(TRACK, COLLABORATOR, CORE_TOKEN, "30");
    handleRevenueCredited(first);
    let second = createRevenueCredited(TRACK, ARTIST, CORE_TOKEN, "70");
    handleRevenueCredited(second);
    // The same transaction then buys a licence: its credits come after the collection's two.
    let sale = createRevenueCredited(TRACK, COLLABORATOR, CORE_TOKEN, "285");
    handleRevenueCredited(sale);
    // And a sale in another transaction.
    let other = createRevenueCredited(TRACK, ARTIST, CORE_TOKEN, "665");
    other.transaction.hash = Bytes.fromHexString(OTHER_TX);
    other.logIndex = collected.logIndex.plus(BigInt.fromI32(1));
    handleRevenueCredited(other);

    let collection = createEventId(collected);
    assert.fieldEquals("RoyaltyCollection", collection, "amount", "100");
    assert.fieldEquals("RoyaltyCollection", collection, "splitCount", "2");
    assert.fieldEquals("Track", TRACK, "lastRoyaltyCollection", collection);
    assert.fieldEquals("RevenueCredit", createEventId(first), "kind", "ROYALTY");
    assert.fieldEquals("RevenueCredit", createEventId(first), "royaltyCollection", collection);
    assert.fieldEquals("RevenueCredit", createEventId(second), "kind", "ROYALTY");
    assert.fieldEquals("RevenueCredit", createEventId(sale), "kind", "SALE");
    assert.fieldEquals("RevenueCredit", createEventId(other), "kind", "SALE");
    assert.fieldEquals("LicenseEarnings", COLLABORATOR + "-" + CORE_TOKEN, "royalties", "30");
    assert.fieldEquals("LicenseEarnings", COLLABORATOR + "-" + CORE_TOKEN, "sales", "285");
    assert.fieldEquals("LicenseEarnings", COLLABORATOR + "-" + CORE_TOKEN, "earned", "315");
    assert.fieldEquals("LicenseEarnings", ARTIST + "-" + CORE_TOKEN, "royalties", "70");
    assert.fieldEquals("LicenseEarnings", ARTIST + "-" + CORE_TOKEN, "sales", "665");
    assert.fieldEquals("TrackRevenue", TRACK + "-" + CORE_TOKEN, "royalties", "100");
    assert.fieldEquals("PaymentToken", CORE_TOKEN, "licenseRoyalties", "100");
  });

  test("a withdrawal pays out one token's credit", () => {
    buy(FAN, PERPETUAL, 0);
    handleRevenueCredited(createRevenueCredited(TRACK, COLLABORATOR, USDC, "570000"));
    let withdrawal = createEarningsWithdrawn(COLLABORATOR, OTHER_FAN, USDC, "570000");
    handleEarningsWithdrawn(withdrawal);

    assert.fieldEquals("LicenseEarnings", COLLABORATOR + "-" + USDC, "withdrawn", "570000");
    assert.fieldEquals("LicenseEarnings", COLLABORATOR + "-" + USDC, "credit", "0");
    assert.fieldEquals("LicenseEarnings", COLLABORATOR + "-" + CORE_TOKEN, "credit", "285");
    assert.fieldEquals("Account", COLLABORATOR, "licenseCredit", "285");
    assert.fieldEquals("Account", COLLABORATOR, "licenseWithdrawn", "0");
    assert.fieldEquals("Withdrawal", createEventId(withdrawal), "token", USDC);
    assert.fieldEquals("Withdrawal", createEventId(withdrawal), "to", OTHER_FAN);
    assert.fieldEquals("Withdrawal", createEventId(withdrawal), "source", "LICENSING");

    handleEarningsWithdrawn(createEarningsWithdrawn(COLLABORATOR, COLLABORATOR, CORE_TOKEN, "285"));
    assert.fieldEquals("Account", COLLABORATOR, "licenseCredit", "0");
    assert.fieldEquals("Account", COLLABORATOR, "licenseWithdrawn", "285");
    assert.fieldEquals("LicenseEarnings", COLLABORATOR + "-" + CORE_TOKEN, "credit", "0");
  });

  test("fee sweeps count per token; the protocol's total is CORE's", () => {
    let sweep = createRegistryFeesSwept(TIMELOCK, USDC, "80000");
    handleFeesSwept(sweep);
    handleFeesSwept(createRegistryFeesSwept(TIMELOCK, CORE_TOKEN, "50"));

    assert.fieldEquals("PaymentToken", USDC, "licenseFeesSwept", "80000");
    assert.fieldEquals("PaymentToken", USDC, "feesSwept", "0"); // tipping's
    assert.fieldEquals("PaymentToken", CORE_TOKEN, "licenseFeesSwept", "50");
    assert.fieldEquals("Protocol", "harmonie", "licenseFeesSwept", "50");
    assert.fieldEquals("FeeSweep", createEventId(sweep), "token", USDC);
    assert.fieldEquals("FeeSweep", createEventId(sweep), "source", "LICENSING");
  });
});

describe("rights", () => {
  afterEach(() => {
    clearStore();
  });

  test("registrant codes: claimed, used to approve a registration, released", () => {
    let claim = createRegistrantSet("USRC1", ZERO_ADDRESS, LABEL);
    handleRegistrantSet(claim);
    assert.fieldEquals("RegistrantCode", "USRC1", "registrant", LABEL);
    assert.fieldEquals("RegistrantCode", "USRC1", "updatedAt", claim.block.timestamp.toString());
    assert.fieldEquals("RegistrantCode", "USRC1", "trackCount", "0");
    assert.fieldEquals("RegistrantChange", createEventId(claim), "code", "USRC1");
    assert.fieldEquals("RegistrantChange", createEventId(claim), "registrant", LABEL);

    let registered = createTrackRegistered(TRACK, ARTIST, [ARTIST], [10000], LABEL);
    handleTrackRegistered(registered);
    assert.fieldEquals("Track", TRACK, "registrant", LABEL);
    assert.fieldEquals("TrackRegistration", createEventId(registered), "registrant", LABEL);
    assert.fieldEquals("RegistrantCode", "USRC1", "trackCount", "1");
    // Another code is first-come, created by its first track.
    handleTrackRegistered(
      createTrackRegistered("1", OTHER_ARTIST, [OTHER_ARTIST], [10000], ZERO_ADDRESS, "GBAYE0601498"),
    );
    assert.fieldEquals("Track", "1", "registrantCode", "GBAYE");
    assert.fieldEquals("RegistrantCode", "GBAYE", "trackCount", "1");
    assert.entityCount("RegistrantCode", 2);

    let release = createRegistrantSet("USRC1", LABEL, ZERO_ADDRESS);
    handleRegistrantSet(release);
    assert.fieldEquals("RegistrantChange", createEventId(release), "previousRegistrant", LABEL);
    assert.assertTrue(RegistrantCode.load("USRC1")!.registrant === null);
    assert.entityCount("RegistrantChange", 2);
    // The track keeps the registrant that approved it.
    assert.fieldEquals("Track", TRACK, "registrant", LABEL);
  });

  test("flagging freezes a track, unflagging lifts it, revocation freezes it for good", () => {
    handleTrackRegistered(createTrackRegistered(TRACK, ARTIST, [ARTIST], [10000]));
    let flag = createTrackFlagged(TRACK, "disputed by the label");
    handleTrackFlagged(flag);
    assert.fieldEquals("Track", TRACK, "status", "FLAGGED");
    assert.fieldEquals("Track", TRACK, "flagReason", "disputed by the label");
    assert.fieldEquals("TrackStatusChange", createEventId(flag), "previousStatus", "ACTIVE");
    assert.fieldEquals("TrackStatusChange", createEventId(flag), "status", "FLAGGED");

    let unflag = createTrackUnflagged(TRACK);
    handleTrackUnflagged(unflag);
    assert.fieldEquals("Track", TRACK, "status", "ACTIVE");
    assert.assertTrue(Track.load(TRACK)!.flagReason === null);
    assert.fieldEquals("TrackStatusChange", createEventId(unflag), "previousStatus", "FLAGGED");

    handleTrackTransferOffered(createTrackTransferOffered(TRACK, ARTIST, OTHER_ARTIST));
    handleTrackFlagged(createTrackFlagged(TRACK, "again"));
    let revoke = createTrackRevoked(TRACK, "not theirs");
    handleTrackRevoked(revoke);
    assert.fieldEquals("Track", TRACK, "status", "REVOKED");
    assert.fieldEquals("Track", TRACK, "revokeReason", "not theirs");
    assert.assertTrue(Track.load(TRACK)!.flagReason === null);
    assert.assertTrue(Track.load(TRACK)!.pendingArtist === null); // the contract cancels a pending hand-over
    assert.fieldEquals("TrackStatusChange", createEventId(revoke), "previousStatus", "FLAGGED");
    assert.fieldEquals("TrackStatusChange", createEventId(revoke), "reason", "not theirs");
    assert.entityCount("TrackStatusChange", 4);
  });

  test("a hand-over moves the track and both artists' counts, and keeps the splits", () => {
    handleTrackRegistered(createTrackRegistered(TRACK, ARTIST, [ARTIST, COLLABORATOR], [7000, 3000]));
    handleTrackTransferOffered(createTrackTransferOffered(TRACK, ARTIST, FAN));
    assert.fieldEquals("Track", TRACK, "pendingArtist", FAN);
    handleTrackTransferOffered(createTrackTransferOffered(TRACK, ARTIST, ZERO_ADDRESS)); // withdrawn
    assert.assertTrue(Track.load(TRACK)!.pendingArtist === null);

    handleTrackTransferOffered(createTrackTransferOffered(TRACK, ARTIST, OTHER_ARTIST));
    let transfer = createTrackTransferred(TRACK, ARTIST, OTHER_ARTIST);
    handleTrackTransferred(transfer);

    assert.fieldEquals("Track", TRACK, "artist", OTHER_ARTIST);
    assert.assertTrue(Track.load(TRACK)!.pendingArtist === null);
    assert.fieldEquals("Artist", ARTIST, "trackCount", "0");
    assert.fieldEquals("Artist", OTHER_ARTIST, "trackCount", "1");
    assert.fieldEquals("Split", TRACK + "-0", "recipient", ARTIST);
    assert.fieldEquals("Split", TRACK + "-1", "recipient", COLLABORATOR);
    let id = createEventId(transfer);
    assert.fieldEquals("TrackOwnershipChange", id, "kind", "TRANSFERRED");
    assert.fieldEquals("TrackOwnershipChange", id, "from", ARTIST);
    assert.fieldEquals("TrackOwnershipChange", id, "to", OTHER_ARTIST);
    assert.fieldEquals("TrackOwnershipChange", id, "by", OTHER_ARTIST);
    assert.entityCount("TrackOwnershipChange", 2);
  });

  test("a reassignment moves ownership, replaces the splits and lifts a revocation", () => {
    handleTrackRegistered(createTrackRegistered(TRACK, ARTIST, [ARTIST, COLLABORATOR, FAN], [5000, 3000, 2000]));
    handleTrackRevoked(createTrackRevoked(TRACK, "squatted"));
    let reassigned = createTrackReassigned(
      TRACK,
      ARTIST,
      OTHER_ARTIST,
      [OTHER_ARTIST],
      [10000],
      TIMELOCK,
      "rightful artist",
    );
    handleTrackReassigned(reassigned);

    assert.fieldEquals("Track", TRACK, "artist", OTHER_ARTIST);
    assert.fieldEquals("Track", TRACK, "status", "ACTIVE");
    assert.assertTrue(Track.load(TRACK)!.revokeReason === null);
    assert.fieldEquals("Track", TRACK, "splitCount", "1");
    assert.entityCount("Split", 1);
    assert.fieldEquals("Split", TRACK + "-0", "recipient", OTHER_ARTIST);
    assert.fieldEquals("Split", TRACK + "-0", "bps", "10000");
    assert.notInStore("Split", TRACK + "-1");
    assert.notInStore("Split", TRACK + "-2");
    assert.fieldEquals("Artist", ARTIST, "trackCount", "0");
    assert.fieldEquals("Artist", OTHER_ARTIST, "trackCount", "1");
    let id = createEventId(reassigned);
    assert.fieldEquals("TrackOwnershipChange", id, "kind", "REASSIGNED");
    assert.fieldEquals("TrackOwnershipChange", id, "from", ARTIST);
    assert.fieldEquals("TrackOwnershipChange", id, "to", OTHER_ARTIST);
    assert.fieldEquals("TrackOwnershipChange", id, "by", TIMELOCK);
    assert.fieldEquals("TrackOwnershipChange", id, "reason", "rightful artist");
    assert.fieldEquals("TrackOwnershipChange", id, "splitRecipients", "[" + OTHER_ARTIST + "]");
    assert.fieldEquals("TrackOwnershipChange", id, "splitBps", "[10000]");
    assert.fieldEquals("TrackStatusChange", id, "previousStatus", "REVOKED");
    assert.fieldEquals("TrackStatusChange", id, "status", "ACTIVE");
    assert.fieldEquals("Protocol", "harmonie", "trackCount", "1");

    // Royalties collected afterwards go to the new splits only.
    let collected = createRoyaltiesCollected(TRACK, CORE_TOKEN, "40");
    handleRoyaltiesCollected(collected);
    assert.fieldEquals("RoyaltyCollection", createEventId(collected), "splitCount", "1");
    handleRevenueCredited(createRevenueCredited(TRACK, OTHER_ARTIST, CORE_TOKEN, "40"));
    let sale = createRevenueCredited(TRACK, OTHER_ARTIST, CORE_TOKEN, "9");
    handleRevenueCredited(sale);
    assert.fieldEquals("LicenseEarnings", OTHER_ARTIST + "-" + CORE_TOKEN, "royalties", "40");
    assert.fieldEquals("RevenueCredit", createEventId(sale), "kind", "SALE");
  });

  test("a reassignment to the same artist only replaces the splits", () => {
    handleTrackRegistered(createTrackRegistered(TRACK, ARTIST, [ARTIST], [10000]));
    let reassigned = createTrackReassigned(
      TRACK,
      ARTIST,
      ARTIST,
      [ARTIST, COLLABORATOR],
      [6000, 4000],
      LABEL,
      "credits",
    );
    handleTrackReassigned(reassigned);

    assert.fieldEquals("Artist", ARTIST, "trackCount", "1");
    assert.fieldEquals("Split", TRACK + "-1", "recipient", COLLABORATOR);
    assert.fieldEquals("Split", TRACK + "-0", "bps", "6000");
    assert.fieldEquals("TrackOwnershipChange", createEventId(reassigned), "by", LABEL);
    // The track was active: no status change.
    assert.entityCount("TrackStatusChange", 0);
  });

  test("licence holders keep their access through a reassignment", () => {
    handleTrackRegistered(createTrackRegistered(TRACK, ARTIST, [ARTIST], [10000]));
    handleLicenseOfferCreated(createLicenseOfferCreated(TRACK, PERPETUAL, "1000", 0));
    handleLicensePurchased(createLicensePurchased(TRACK, PERPETUAL, FAN, "1000", "50", 0));
    handleTransferSingle(createTransferSingle(ZERO_ADDRESS, FAN, tokenIdOf(TRACK, PERPETUAL), 1));
    handleTrackReassigned(createTrackReassigned(TRACK, ARTIST, OTHER_ARTIST, [OTHER_ARTIST], [10000], TIMELOCK, "x"));

    assert.fieldEquals("TrackAccess", accessId(FAN), "perpetual", "1");
    assert.fieldEquals("License", licenseId(FAN, PERPETUAL), "balance", "1");
    assert.fieldEquals("License", licenseId(FAN, PERPETUAL), "track", TRACK);
    // Past sales stay with the artist who made them.
    assert.fieldEquals("Artist", ARTIST, "licenseRevenue", "1000");
    assert.fieldEquals("Artist", OTHER_ARTIST, "licenseRevenue", "0");
  });
});
