import { BigInt } from "@graphprotocol/graph-ts";
import { FeesSwept, FeeUpdated, MinimumTipSet, TipSent, Withdrawn } from "../generated/HarmonieTipping/HarmonieTipping";
import { Stream, Tip, Withdrawal } from "../generated/schema";
import {
  createEventId,
  loadArtistDailyStats,
  loadOrCreateAccount,
  loadOrCreateArtist,
  loadProtocol,
  loadProtocolDailyStats,
  recordFeeChange,
  recordFeeSweep,
  setEventFields,
} from "./utils";

// HarmonieTipping: tips credit the artist; the fee is only known when the artist withdraws.

export function handleTipSent(event: TipSent): void {
  let amount = event.params.amount;
  let artist = loadOrCreateArtist(event.params.artist);
  artist.tipVolume = artist.tipVolume.plus(amount);
  artist.tipCount = artist.tipCount.plus(BigInt.fromI32(1));
  artist.tipCredit = artist.tipCredit.plus(amount);
  artist.save();
  // After the artist: a fan may tip themselves, and the artist loader may have saved the account.
  let fan = loadOrCreateAccount(event.params.from);

  let tip = new Tip(createEventId(event));
  setEventFields(tip, event);
  tip.artist = artist.id;
  tip.from = fan.id;
  tip.streamId = event.params.streamId;
  tip.amount = amount;
  tip.message = event.params.message;
  // The stream id is not checked on chain: only a session of the tipped artist counts, so nobody can
  // inflate another artist's stream totals.
  if (!event.params.streamId.isZero()) {
    let stream = Stream.load(event.params.streamId.toString());
    if (stream != null && stream.artist == artist.id) {
      stream.tipTotal = stream.tipTotal.plus(amount);
      stream.tipCount += 1;
      stream.save();
      tip.stream = stream.id;
    }
  }
  tip.save();

  let artistDay = loadArtistDailyStats(artist, event);
  artistDay.tipVolume = artistDay.tipVolume.plus(amount);
  artistDay.tipCount += 1;
  artistDay.save();

  let protocol = loadProtocol();
  protocol.tipVolume = protocol.tipVolume.plus(amount);
  protocol.tipCount = protocol.tipCount.plus(BigInt.fromI32(1));
  protocol.save();

  let day = loadProtocolDailyStats(event);
  day.tipVolume = day.tipVolume.plus(amount);
  day.tipCount += 1;
  day.save();
}

export function handleWithdrawn(event: Withdrawn): void {
  let fee = event.params.fee;
  let artist = loadOrCreateArtist(event.params.artist);
  artist.tipCredit = BigInt.zero(); // a withdrawal always pays out the whole credit
  artist.tipWithdrawn = artist.tipWithdrawn.plus(event.params.amount);
  artist.tipFees = artist.tipFees.plus(fee);
  artist.save();

  let withdrawal = new Withdrawal(createEventId(event));
  setEventFields(withdrawal, event);
  withdrawal.account = artist.id;
  withdrawal.to = event.params.to;
  withdrawal.amount = event.params.amount;
  withdrawal.fee = fee;
  withdrawal.source = "TIPPING";
  withdrawal.save();

  let artistDay = loadArtistDailyStats(artist, event);
  artistDay.fees = artistDay.fees.plus(fee);
  artistDay.save();

  let protocol = loadProtocol();
  protocol.tipFees = protocol.tipFees.plus(fee);
  protocol.save();

  let day = loadProtocolDailyStats(event);
  day.tipFees = day.tipFees.plus(fee);
  day.save();
}

export function handleMinimumTipSet(event: MinimumTipSet): void {
  let artist = loadOrCreateArtist(event.params.artist);
  artist.minimumTip = event.params.minimum;
  artist.save();
}

export function handleFeeUpdated(event: FeeUpdated): void {
  let protocol = loadProtocol();
  protocol.tipFeeBps = event.params.newBps.toI32();
  protocol.save();
  recordFeeChange(event, "TIPPING", event.params.previousBps, event.params.newBps);
}

export function handleFeesSwept(event: FeesSwept): void {
  let protocol = loadProtocol();
  protocol.tipFeesSwept = protocol.tipFeesSwept.plus(event.params.amount);
  protocol.save();
  recordFeeSweep(event, "TIPPING", event.params.treasury, event.params.amount);
}
