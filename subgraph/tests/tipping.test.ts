import { afterEach, assert, beforeEach, clearStore, describe, test } from "matchstick-as/assembly/index";
import { handleSessionOpened } from "../src/live";
import { handleTipSent, handleWithdrawn } from "../src/tipping";
import { createEventId } from "../src/utils";
import {
  ARTIST,
  createSessionOpened,
  createTipSent,
  createWithdrawn,
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
    assert.fieldEquals("Artist", ARTIST, "tipCredit", "1300");
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

describe("handleWithdrawn", () => {
  afterEach(() => {
    clearStore();
  });

  test("empties the credit and records the fee", () => {
    handleTipSent(createTipSent(ARTIST, FAN, 0, "1000", "hi"));
    let event = createWithdrawn(ARTIST, ARTIST, "975", "25");
    handleWithdrawn(event);

    let id = createEventId(event);
    assert.fieldEquals("Withdrawal", id, "account", ARTIST);
    assert.fieldEquals("Withdrawal", id, "source", "TIPPING");
    assert.fieldEquals("Withdrawal", id, "fee", "25");
    assert.fieldEquals("Artist", ARTIST, "tipCredit", "0");
    assert.fieldEquals("Artist", ARTIST, "tipWithdrawn", "975");
    assert.fieldEquals("Artist", ARTIST, "tipFees", "25");
    assert.fieldEquals("Protocol", "harmonie", "tipFees", "25");
    assert.fieldEquals("ArtistDailyStats", ARTIST + "-" + DAY, "fees", "25");
  });
});
