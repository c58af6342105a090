import { BigInt } from "@graphprotocol/graph-ts";
import { afterEach, assert, beforeEach, clearStore, describe, test } from "matchstick-as/assembly/index";
import {
  handleLicenseOfferCreated,
  handleLicensePurchased,
  handleTrackRegistered,
  handleTransferBatch,
  handleTransferSingle,
} from "../src/registry";
import { createEventId } from "../src/utils";
import {
  ARTIST,
  COLLABORATOR,
  createLicenseOfferCreated,
  createLicensePurchased,
  createTrackRegistered,
  createTransferBatch,
  createTransferSingle,
  DAY,
  FAN,
  OTHER_FAN,
  tokenIdOf,
  ZERO_ADDRESS,
} from "./events";

const TRACK = "23489210437512392783413"; // any uint96
const PERPETUAL = 0;
const TIMED = 1;

function licenseId(holder: string, offerId: i32): string {
  return holder + "-" + tokenIdOf(TRACK, offerId).toString();
}

/** A purchase as the contract logs it: LicensePurchased, then the mint. */
function buy(buyer: string, offerId: i32, expiresAt: i32): void {
  handleLicensePurchased(createLicensePurchased(TRACK, offerId, buyer, "1000", "50", expiresAt));
  handleTransferSingle(createTransferSingle(ZERO_ADDRESS, buyer, tokenIdOf(TRACK, offerId), 1));
}

describe("licences", () => {
  beforeEach(() => {
    handleTrackRegistered(createTrackRegistered(TRACK, ARTIST, [ARTIST, COLLABORATOR], [7000, 3000]));
    handleLicenseOfferCreated(createLicenseOfferCreated(TRACK, PERPETUAL, "1000", 0));
    handleLicenseOfferCreated(createLicenseOfferCreated(TRACK, TIMED, "1000", 3600));
  });

  afterEach(() => {
    clearStore();
  });

  test("registration creates the track, its splits and offers", () => {
    assert.fieldEquals("Track", TRACK, "isrc", "USRC17607839");
    assert.fieldEquals("Track", TRACK, "artist", ARTIST);
    assert.fieldEquals("Track", TRACK, "royaltyBps", "500");
    assert.entityCount("Split", 2);
    assert.fieldEquals("Split", TRACK + "-1", "recipient", COLLABORATOR);
    assert.fieldEquals("Split", TRACK + "-1", "bps", "3000");
    assert.entityCount("LicenseOffer", 2);
    assert.fieldEquals("LicenseOffer", tokenIdOf(TRACK, TIMED).toString(), "track", TRACK);
    assert.fieldEquals("Artist", ARTIST, "trackCount", "1");
    assert.fieldEquals("ProtocolDailyStats", DAY, "newTracks", "1");
  });

  test("a purchase and its mint give the buyer a licence", () => {
    let purchase = createLicensePurchased(TRACK, PERPETUAL, FAN, "1000", "50", 0);
    handleLicensePurchased(purchase);
    handleTransferSingle(createTransferSingle(ZERO_ADDRESS, FAN, tokenIdOf(TRACK, PERPETUAL), 1));

    assert.fieldEquals("LicensePurchase", createEventId(purchase), "buyer", FAN);
    assert.fieldEquals("LicensePurchase", createEventId(purchase), "price", "1000");
    assert.fieldEquals("License", licenseId(FAN, PERPETUAL), "balance", "1");
    assert.fieldEquals("License", licenseId(FAN, PERPETUAL), "track", TRACK);
    assert.fieldEquals("LicenseOffer", tokenIdOf(TRACK, PERPETUAL).toString(), "sold", "1");
    assert.fieldEquals("Track", TRACK, "salesCount", "1");
    assert.fieldEquals("Track", TRACK, "revenue", "1000");
    assert.fieldEquals("Artist", ARTIST, "licenseRevenue", "1000");
    assert.fieldEquals("Artist", ARTIST, "licenseFees", "50");
    assert.fieldEquals("Protocol", "harmonie", "licenseCount", "1");
    assert.fieldEquals("Protocol", "harmonie", "licenseFees", "50");
    assert.fieldEquals("ArtistDailyStats", ARTIST + "-" + DAY, "licenseVolume", "1000");
    assert.fieldEquals("ProtocolDailyStats", DAY, "licenseCount", "1");
  });

  test("a timed licence keeps its expiry", () => {
    buy(FAN, TIMED, 1750003600);

    assert.fieldEquals("License", licenseId(FAN, TIMED), "balance", "1");
    assert.fieldEquals("License", licenseId(FAN, TIMED), "expiresAt", "1750003600");
  });

  test("a resale moves the perpetual licence between holders", () => {
    buy(FAN, PERPETUAL, 0);
    handleTransferSingle(createTransferSingle(FAN, OTHER_FAN, tokenIdOf(TRACK, PERPETUAL), 1));

    assert.fieldEquals("License", licenseId(FAN, PERPETUAL), "balance", "0");
    assert.fieldEquals("License", licenseId(OTHER_FAN, PERPETUAL), "balance", "1");
  });

  test("a batch transfer moves every token it lists", () => {
    buy(FAN, PERPETUAL, 0);
    buy(FAN, PERPETUAL, 0);
    handleTransferBatch(createTransferBatch(FAN, OTHER_FAN, [tokenIdOf(TRACK, PERPETUAL)], [BigInt.fromI32(2)]));

    assert.fieldEquals("License", licenseId(FAN, PERPETUAL), "balance", "0");
    assert.fieldEquals("License", licenseId(OTHER_FAN, PERPETUAL), "balance", "2");
    assert.fieldEquals("LicenseOffer", tokenIdOf(TRACK, PERPETUAL).toString(), "sold", "2");
  });
});
