import { afterEach, assert, beforeEach, clearStore, describe, test } from "matchstick-as/assembly/index";
import { handleSessionOpened } from "../src/live";
import {
  handleReferralPaid,
  handleTipSent,
  handleTipShared,
  handleTokenAllowed,
  handleTokenTipSent,
  handleWithdrawn,
} from "../src/tipping";
import { createEventId } from "../src/utils";
import {
  APP,
  ARTIST,
  COLLABORATOR,
  CORE_TOKEN,
  createReferralPaid,
  createSessionOpened,
  createTipSent,
  createTipShared,
  createTokenAllowed,
  createTokenTipSent,
  createWithdrawn,
  USDC,
  DAY,
  FAN,
  OTHER_ARTIST,
  OTHER_FAN,
} from "./events";

describe("handleTipSent", () => {
  beforeEach(() => {
    handleSessionOpened(createSessionOpened(1, ARTIST));
    handleSessionOpened(createSessionOpened(2, OTHER_ARTIST));
  });

  afterEach(() => {
    clearStore();
  });

  test("records the tip with its message, linked to the artist, the fan and the stream", () => {
    let event = createTipSent(ARTIST, FAN, 1, "1000", "encore!");
    handleTipSent(event);

    let id = createEventId(event);
    assert.entityCount("Tip", 1);
    assert.fieldEquals("Tip", id, "artist", ARTIST);
    assert.fieldEquals("Tip", id, "from", FAN);
    assert.fieldEquals("Tip", id, "stream", "1");
    assert.fieldEquals("Tip", id, "streamId", "1");
    assert.fieldEquals("Tip", id, "amount", "1000");
    assert.fieldEquals("Tip", id, "token", CORE_TOKEN);
    assert.fieldEquals("PaymentToken", CORE_TOKEN, "symbol", "CORE");
    assert.fieldEquals("PaymentToken", CORE_TOKEN, "decimals", "18");
    assert.fieldEquals("Tip", id, "message", "encore!");
    assert.fieldEquals("Tip", id, "logIndex", event.logIndex.toString());
    assert.fieldEquals("Account", FAN, "isArtist", "false");
  });

  test("adds up the artist's, the stream's and the protocol's totals", () => {
    handleTipSent(createTipSent(ARTIST, FAN, 1, "1000", "one"));
    handleTipSent(createTipSent(ARTIST, OTHER_FAN, 1, "250", "two"));
    handleTipSent(createTipSent(ARTIST, FAN, 0, "50", "no stream"));

    assert.fieldEquals("Artist", ARTIST, "tipVolume", "1300");
    assert.fieldEquals("Artist", ARTIST, "tipCount", "3");
    assert.fieldEquals("TipEarnings", ARTIST + "-" + CORE_TOKEN, "tipVolume", "1300");
    assert.fieldEquals("Stream", "1", "tipTotal", "1250");
    assert.fieldEquals("Stream", "1", "tipCount", "2");
    assert.fieldEquals("Protocol", "harmonie", "tipVolume", "1300");
    assert.fieldEquals("Protocol", "harmonie", "tipCount", "3");
  });

  test("updates the artist's and the protocol's daily stats", () => {
    handleTipSent(createTipSent(ARTIST, FAN, 1, "1000", "one"));
    handleTipSent(createTipSent(ARTIST, FAN, 0, "500", "two"));

    let artistDay = ARTIST + "-" + DAY;
    assert.fieldEquals("ArtistDailyStats", artistDay, "artist", ARTIST);
    assert.fieldEquals("ArtistDailyStats", artistDay, "tipVolume", "1500");
    assert.fieldEquals("ArtistDailyStats", artistDay, "tipCount", "2");
    assert.fieldEquals("ProtocolDailyStats", DAY, "day", DAY);
    assert.fieldEquals("ProtocolDailyStats", DAY, "tipVolume", "1500");
    assert.fieldEquals("ProtocolDailyStats", DAY, "tipCount", "2");
  });

  test("does not credit another artist's stream", () => {
    let event = createTipSent(ARTIST, FAN, 2, "1000", "wrong stream");
    handleTipSent(event);

    assert.fieldEquals("Stream", "2", "tipTotal", "0");
    assert.fieldEquals("Stream", "2", "tipCount", "0");
    assert.fieldEquals("Artist", ARTIST, "tipVolume", "1000");
  });
});

describe("stablecoin tips, splits and referrals", () => {
  beforeEach(() => {
    handleSessionOpened(createSessionOpened(1, ARTIST));
    handleTokenAllowed(createTokenAllowed(USDC, "USDC", 6, "10000"));
  });

  afterEach(() => {
    clearStore();
  });

  test("a stablecoin tip is its own token's volume, not CORE's", () => {
    let event = createTokenTipSent(ARTIST, USDC, 1, FAN, "2500000", "in dollars");
    handleTokenTipSent(event);

    let id = createEventId(event);
    assert.fieldEquals("Tip", id, "token", USDC);
    assert.fieldEquals("Tip", id, "amount", "2500000");
    assert.fieldEquals("Tip", id, "stream", "1");
    assert.fieldEquals("PaymentToken", USDC, "symbol", "USDC");
    assert.fieldEquals("PaymentToken", USDC, "decimals", "6");
    assert.fieldEquals("PaymentToken", USDC, "minimumTip", "10000");
    assert.fieldEquals("PaymentToken", USDC, "tipVolume", "2500000");
    assert.fieldEquals("TipEarnings", ARTIST + "-" + USDC, "tipVolume", "2500000");
    // CORE aggregates count the tip but not its amount.
    assert.fieldEquals("Artist", ARTIST, "tipCount", "1");
    assert.fieldEquals("Artist", ARTIST, "tipVolume", "0");
    assert.fieldEquals("Stream", "1", "tipTotal", "0");
    assert.fieldEquals("Stream", "1", "tipCount", "1");
    assert.fieldEquals("Protocol", "harmonie", "tipVolume", "0");
  });

  test("split shares and referrals are credited to their recipients per token", () => {
    handleTipShared(createTipShared(ARTIST, ARTIST, USDC, "600", 0));
    handleTipShared(createTipShared(ARTIST, COLLABORATOR, USDC, "400", 0));
    handleReferralPaid(createReferralPaid(APP, USDC, ARTIST, "5", "25"));
    handleTokenTipSent(createTokenTipSent(ARTIST, USDC, 0, FAN, "1000", ""));

    assert.fieldEquals("TipEarnings", COLLABORATOR + "-" + USDC, "shares", "400");
    assert.fieldEquals("TipEarnings", COLLABORATOR + "-" + USDC, "account", COLLABORATOR);
    assert.fieldEquals("TipEarnings", ARTIST + "-" + USDC, "shares", "600");
    assert.fieldEquals("TipEarnings", ARTIST + "-" + USDC, "tipVolume", "1000");
    assert.fieldEquals("TipEarnings", ARTIST + "-" + USDC, "fees", "25");
    assert.fieldEquals("TipEarnings", APP + "-" + USDC, "referrals", "5");
    assert.fieldEquals("PaymentToken", USDC, "referrals", "5");
    assert.fieldEquals("PaymentToken", USDC, "fees", "25");
    assert.fieldEquals("Protocol", "harmonie", "tipFees", "0");
  });

  test("a referred CORE tip's fee counts in the artist's and the protocol's CORE fees", () => {
    handleTipSent(createTipSent(ARTIST, FAN, 0, "1000", ""));
    handleReferralPaid(createReferralPaid(APP, CORE_TOKEN, ARTIST, "5", "25"));

    assert.fieldEquals("Artist", ARTIST, "tipFees", "25");
    assert.fieldEquals("Protocol", "harmonie", "tipFees", "25");
    assert.fieldEquals("ArtistDailyStats", ARTIST + "-" + DAY, "fees", "25");
  });
});

describe("handleWithdrawn", () => {
  afterEach(() => {
    clearStore();
  });

  test("records the payout and the fee", () => {
    handleTipSent(createTipSent(ARTIST, FAN, 0, "1000", "hi"));
    let event = createWithdrawn(ARTIST, CORE_TOKEN, ARTIST, "975", "25");
    handleWithdrawn(event);

    let id = createEventId(event);
    assert.fieldEquals("Withdrawal", id, "account", ARTIST);
    assert.fieldEquals("Withdrawal", id, "token", CORE_TOKEN);
    assert.fieldEquals("Withdrawal", id, "source", "TIPPING");
    assert.fieldEquals("Withdrawal", id, "fee", "25");
    assert.fieldEquals("Artist", ARTIST, "tipWithdrawn", "975");
    assert.fieldEquals("Artist", ARTIST, "tipFees", "25");
    assert.fieldEquals("TipEarnings", ARTIST + "-" + CORE_TOKEN, "withdrawn", "975");
    assert.fieldEquals("Protocol", "harmonie", "tipFees", "25");
    assert.fieldEquals("ArtistDailyStats", ARTIST + "-" + DAY, "fees", "25");
  });

  test("a split recipient's or referrer's withdrawal makes them no artist", () => {
    handleWithdrawn(createWithdrawn(APP, USDC, APP, "5", "0"));
    handleWithdrawn(createWithdrawn(COLLABORATOR, CORE_TOKEN, COLLABORATOR, "390", "10"));

    assert.entityCount("Artist", 0);
    assert.fieldEquals("TipEarnings", APP + "-" + USDC, "withdrawn", "5");
    assert.fieldEquals("TipEarnings", COLLABORATOR + "-" + CORE_TOKEN, "fees", "10");
    assert.fieldEquals("Protocol", "harmonie", "tipFees", "10");
  });
});
