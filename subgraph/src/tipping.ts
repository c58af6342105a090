import { Address, BigInt, Bytes, ethereum } from "@graphprotocol/graph-ts";
import {
  FeesSwept,
  FeeUpdated,
  MinimumTipSet,
  ReferralPaid,
  ReferrerShareUpdated,
  SplitSet,
  TabClosed,
  TabOpened,
  TabToppedUp,
  TipSent,
  TipShared,
  TokenAllowed,
  TokenRemoved,
  TokenTipSent,
  Withdrawn,
} from "../generated/HarmonieTipping/HarmonieTipping";
import { Stream, Tab, Tip, TipSplit, Withdrawal } from "../generated/schema";
import {
  CORE_ADDRESS,
  createEventId,
  loadArtistDailyStats,
  loadOrCreateAccount,
  loadOrCreateArtist,
  loadPaymentToken,
  loadProtocol,
  loadProtocolDailyStats,
  loadTipEarnings,
  recordFeeChange,
  recordFeeSweep,
  setEventFields,
} from "./utils";

// HarmonieTipping. A tip's fee is only known when its credit is withdrawn, except for referred tips
// (settled at once: ReferralPaid). Split tips announce each recipient's share (TipShared) before the
// tip itself. CORE keeps the protocol's historical aggregates (Artist, Stream, Protocol, daily stats);
// every token, CORE included, has PaymentToken and TipEarnings.

export function handleTipSent(event: TipSent): void {
  recordTip(
    event,
    event.params.artist,
    event.params.from,
    Address.fromString(CORE_ADDRESS),
    event.params.streamId,
    event.params.amount,
    event.params.message,
  );
}

export function handleTokenTipSent(event: TokenTipSent): void {
  recordTip(
    event,
    event.params.artist,
    event.params.from,
    event.params.token,
    event.params.streamId,
    event.params.amount,
    event.params.message,
  );
}

function recordTip(
  event: ethereum.Event,
  artistAddress: Address,
  from: Address,
  tokenAddress: Address,
  streamId: BigInt,
  amount: BigInt,
  message: string,
): void {
  let inCore = tokenAddress.toHexString() == CORE_ADDRESS;
  let artist = loadOrCreateArtist(artistAddress);
  artist.tipCount = artist.tipCount.plus(BigInt.fromI32(1));
  if (inCore) artist.tipVolume = artist.tipVolume.plus(amount);
  artist.save();
  // After the artist: a fan may tip themselves, and the artist loader may have saved the account.
  let fan = loadOrCreateAccount(from);

  let token = loadPaymentToken(tokenAddress);
  token.tipVolume = token.tipVolume.plus(amount);
  token.tipCount = token.tipCount.plus(BigInt.fromI32(1));
  token.save();
  let earnings = loadTipEarnings(artistAddress, tokenAddress);
  earnings.tipVolume = earnings.tipVolume.plus(amount);
  earnings.save();

  let tip = new Tip(createEventId(event));
  setEventFields(tip, event);
  tip.artist = artist.id;
  tip.from = fan.id;
  tip.streamId = streamId;
  tip.token = token.id;
  tip.amount = amount;
  tip.message = message;
  // The stream id is not checked on chain: only a session of the tipped artist counts, so nobody can
  // inflate another artist's stream totals.
  if (!streamId.isZero()) {
    let stream = Stream.load(streamId.toString());
    if (stream != null && stream.artist == artist.id) {
      if (inCore) stream.tipTotal = stream.tipTotal.plus(amount);
      stream.tipCount += 1;
      stream.save();
      tip.stream = stream.id;
    }
  }
  tip.save();

  let artistDay = loadArtistDailyStats(artist, event);
  if (inCore) artistDay.tipVolume = artistDay.tipVolume.plus(amount);
  artistDay.tipCount += 1;
  artistDay.save();

  let protocol = loadProtocol();
  if (inCore) protocol.tipVolume = protocol.tipVolume.plus(amount);
  protocol.tipCount = protocol.tipCount.plus(BigInt.fromI32(1));
  protocol.save();

  let day = loadProtocolDailyStats(event);
  if (inCore) day.tipVolume = day.tipVolume.plus(amount);
  day.tipCount += 1;
  day.save();
}

export function handleTipShared(event: TipShared): void {
  loadOrCreateAccount(event.params.recipient);
  let earnings = loadTipEarnings(event.params.recipient, event.params.token);
  earnings.shares = earnings.shares.plus(event.params.amount);
  earnings.save();
}

/** A referred tip settles its fee at once (the tipped artist pays it) and credits the referral. */
export function handleReferralPaid(event: ReferralPaid): void {
  let fee = event.params.fee;
  loadOrCreateAccount(event.params.referrer);
  let referrer = loadTipEarnings(event.params.referrer, event.params.token);
  referrer.referrals = referrer.referrals.plus(event.params.amount);
  referrer.save();
  let artist = loadTipEarnings(event.params.artist, event.params.token);
  artist.fees = artist.fees.plus(fee);
  artist.save();
  let token = loadPaymentToken(event.params.token);
  token.referrals = token.referrals.plus(event.params.amount);
  token.fees = token.fees.plus(fee);
  token.save();
  if (token.id == CORE_ADDRESS) recordCoreFee(event.params.artist, fee, event);
}

export function handleSplitSet(event: SplitSet): void {
  let artist = loadOrCreateArtist(event.params.artist);
  let id = artist.id + "-" + event.params.streamId.toString();
  let split = TipSplit.load(id);
  if (split == null) {
    split = new TipSplit(id);
    split.artist = artist.id;
    split.streamId = event.params.streamId;
  }
  let recipients = new Array<Bytes>();
  let bps = new Array<i32>();
  let shares = event.params.shares;
  for (let i = 0; i < shares.length; i++) {
    recipients.push(shares[i].recipient);
    bps.push(shares[i].bps);
  }
  split.recipients = recipients;
  split.bps = bps;
  split.active = shares.length > 0;
  split.updatedAt = event.block.timestamp;
  split.save();
}

export function handleTabOpened(event: TabOpened): void {
  let fan = loadOrCreateAccount(event.params.fan);
  let token = loadPaymentToken(event.params.token);
  let tab = new Tab(event.params.key.toHexString());
  tab.fan = fan.id;
  tab.token = token.id;
  tab.funded = event.params.amount;
  tab.expiresAt = event.params.expiresAt;
  if (event.params.referrer.toHexString() != CORE_ADDRESS) tab.referrer = event.params.referrer;
  tab.openedAt = event.block.timestamp;
  tab.isOpen = true;
  tab.save();
}

export function handleTabToppedUp(event: TabToppedUp): void {
  let tab = Tab.load(event.params.key.toHexString());
  if (tab == null) return; // cannot happen: a top-up needs an open tab
  tab.funded = tab.funded.plus(event.params.amount);
  tab.save();
}

export function handleTabClosed(event: TabClosed): void {
  let tab = Tab.load(event.params.key.toHexString());
  if (tab == null) return; // cannot happen: closing needs an open tab
  tab.refunded = event.params.refund;
  tab.spent = tab.funded.minus(event.params.refund);
  tab.closedAt = event.block.timestamp;
  tab.isOpen = false;
  tab.save();
}

export function handleWithdrawn(event: Withdrawn): void {
  let fee = event.params.fee;
  let account = loadOrCreateAccount(event.params.account);
  let token = loadPaymentToken(event.params.token);
  let inCore = token.id == CORE_ADDRESS;
  let earnings = loadTipEarnings(event.params.account, event.params.token);
  earnings.withdrawn = earnings.withdrawn.plus(event.params.amount);
  earnings.fees = earnings.fees.plus(fee);
  earnings.save();
  token.fees = token.fees.plus(fee);
  token.save();

  let withdrawal = new Withdrawal(createEventId(event));
  setEventFields(withdrawal, event);
  withdrawal.account = account.id;
  withdrawal.token = token.id;
  withdrawal.to = event.params.to;
  withdrawal.amount = event.params.amount;
  withdrawal.fee = fee;
  withdrawal.source = "TIPPING";
  withdrawal.save();
  if (!inCore) return;
  if (account.artist != null) {
    let artist = loadOrCreateArtist(event.params.account);
    artist.tipWithdrawn = artist.tipWithdrawn.plus(event.params.amount);
    artist.save();
  }
  recordCoreFee(event.params.account, fee, event);
}

/** A CORE tipping fee settled on `payer`'s credit, in the CORE aggregates. */
function recordCoreFee(payer: Address, fee: BigInt, event: ethereum.Event): void {
  // Split recipients and referrers pay fees too; only artists have artist aggregates.
  let account = loadOrCreateAccount(payer);
  if (account.artist != null) {
    let artist = loadOrCreateArtist(payer);
    artist.tipFees = artist.tipFees.plus(fee);
    artist.save();
    let artistDay = loadArtistDailyStats(artist, event);
    artistDay.fees = artistDay.fees.plus(fee);
    artistDay.save();
  }

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
  protocol.tipFeePreviousBps = event.params.previousBps.toI32();
  protocol.tipFeeBps = event.params.newBps.toI32();
  protocol.tipFeeEffectiveAt = event.params.effectiveAt;
  protocol.save();
  recordFeeChange(event, "TIPPING", event.params.previousBps, event.params.newBps, event.params.effectiveAt);
}

export function handleReferrerShareUpdated(event: ReferrerShareUpdated): void {
  let protocol = loadProtocol();
  protocol.referrerShareBps = event.params.newBps.toI32();
  protocol.save();
}

export function handleTokenAllowed(event: TokenAllowed): void {
  let token = loadPaymentToken(event.params.token);
  token.symbol = event.params.symbol;
  token.decimals = event.params.decimals;
  token.minimumTip = event.params.minimumTip;
  token.allowed = true;
  token.save();
}

export function handleTokenRemoved(event: TokenRemoved): void {
  let token = loadPaymentToken(event.params.token);
  token.allowed = false;
  token.save();
}

export function handleFeesSwept(event: FeesSwept): void {
  let token = loadPaymentToken(event.params.token);
  token.feesSwept = token.feesSwept.plus(event.params.amount);
  token.save();
  if (token.id == CORE_ADDRESS) {
    let protocol = loadProtocol();
    protocol.tipFeesSwept = protocol.tipFeesSwept.plus(event.params.amount);
    protocol.save();
  }
  recordFeeSweep(event, "TIPPING", event.params.treasury, event.params.token, event.params.amount);
}
