// Mock events for the unit tests (matchstick-as 0.6). Parameters are pushed in ABI order: the
// generated getters read them by position. Each event gets its own log index, so event rows never
// collide, and all share one block timestamp (day DAY).
import { Address, BigInt, Bytes, ethereum } from "@graphprotocol/graph-ts";
import { newMockEvent } from "matchstick-as/assembly/index";
import { Paused as LivePaused, SessionOpened, Unpaused as LiveUnpaused } from "../generated/LiveStreams/LiveStreams";
import {
  ReferralPaid,
  TipSent,
  TipShared,
  TokenAllowed,
  TokenTipSent,
  Withdrawn,
} from "../generated/HarmonieTipping/HarmonieTipping";
import {
  EarningsWithdrawn,
  FeesSwept as RegistryFeesSwept,
  LicenseOfferCreated,
  LicensePurchased,
  Paused as RegistryPaused,
  RegistrantSet,
  RevenueCredited,
  RoyaltiesCollected,
  TrackFlagged,
  TrackReassigned,
  TrackRegistered,
  TrackRevoked,
  TrackTransferOffered,
  TrackTransferred,
  TrackUnflagged,
  TransferBatch,
  TransferSingle,
  Unpaused as RegistryUnpaused,
} from "../generated/ContentRegistry/ContentRegistry";
import {
  Followed,
  Paused as ProfilesPaused,
  ProfileRegistered,
  Unfollowed,
} from "../generated/ArtistProfiles/ArtistProfiles";
import { GovernorBound, UnstakeRequested } from "../generated/StakedCore/StakedCore";
import {
  ProposalCanceled,
  ProposalCreated,
  ProposalExecuted,
  ProposalExtended,
  ProposalGuardianSet,
  ProposalQueued,
  QuorumFloorUpdated,
  QuorumNumeratorUpdated,
  TimelockChange,
  VoteCast,
  VoteCastWithParams,
} from "../generated/HarmonieGovernor/HarmonieGovernor";
import { offerKey } from "../src/utils";

export const ARTIST = "0x00000000000000000000000000000000000000a1";
export const OTHER_ARTIST = "0x00000000000000000000000000000000000000a2";
export const FAN = "0x00000000000000000000000000000000000000f1";
export const OTHER_FAN = "0x00000000000000000000000000000000000000f2";
export const COLLABORATOR = "0x00000000000000000000000000000000000000c1";
/** The proposal guardian (a multisig on Core), and its successor. */
export const GUARDIAN = "0x00000000000000000000000000000000000000d1";
export const OTHER_GUARDIAN = "0x00000000000000000000000000000000000000d2";
export const ZERO_ADDRESS = "0x0000000000000000000000000000000000000000";

/** 2025-06-15T15:06:40Z, day 20254. */
export const TIMESTAMP = 1750000000;
export const DAY = "20254";

let nextLogIndex = 0;

function mockEvent(params: Array<ethereum.EventParam>): ethereum.Event {
  let event = newMockEvent();
  event.parameters = params;
  event.logIndex = BigInt.fromI32(nextLogIndex++);
  event.block.timestamp = BigInt.fromI32(TIMESTAMP);
  return event;
}

function address(name: string, value: string): ethereum.EventParam {
  return new ethereum.EventParam(name, ethereum.Value.fromAddress(Address.fromString(value)));
}

function uint(name: string, value: BigInt): ethereum.EventParam {
  return new ethereum.EventParam(name, ethereum.Value.fromUnsignedBigInt(value));
}

function text(name: string, value: string): ethereum.EventParam {
  return new ethereum.EventParam(name, ethereum.Value.fromString(value));
}

function flag(name: string, value: bool): ethereum.EventParam {
  return new ethereum.EventParam(name, ethereum.Value.fromBoolean(value));
}

function small(name: string, value: i32): ethereum.EventParam {
  return new ethereum.EventParam(name, ethereum.Value.fromI32(value));
}

/** The licence token id of a track's offer. */
export function tokenIdOf(trackId: string, offerId: i32): BigInt {
  return BigInt.fromString(offerKey(BigInt.fromString(trackId), BigInt.fromI32(offerId)));
}

// ---- LiveStreams ----------------------------------------------------------------------------------

export function createSessionOpened(streamId: i32, artist: string, gatingTrackId: string = "0"): SessionOpened {
  return changetype<SessionOpened>(
    mockEvent([
      uint("streamId", BigInt.fromI32(streamId)),
      address("artist", artist),
      uint("gatingTrackId", BigInt.fromString(gatingTrackId)),
      text("title", "Rooftop session"),
      text("playbackId", "f5eese9wwl88k4g8"),
    ]),
  );
}

// ---- HarmonieTipping ------------------------------------------------------------------------------

export function createTipSent(artist: string, from: string, streamId: i32, amount: string, message: string): TipSent {
  return changetype<TipSent>(
    mockEvent([
      address("artist", artist),
      address("from", from),
      uint("streamId", BigInt.fromI32(streamId)),
      uint("amount", BigInt.fromString(amount)),
      text("message", message),
    ]),
  );
}

export const USDC = "0x00000000000000000000000000000000000005dc";
export const CORE_TOKEN = "0x0000000000000000000000000000000000000000";
export const APP = "0x00000000000000000000000000000000000000ab";

export function createTokenTipSent(
  artist: string,
  token: string,
  streamId: i32,
  from: string,
  amount: string,
  message: string,
): TokenTipSent {
  return changetype<TokenTipSent>(
    mockEvent([
      address("artist", artist),
      address("token", token),
      uint("streamId", BigInt.fromI32(streamId)),
      address("from", from),
      uint("amount", BigInt.fromString(amount)),
      text("message", message),
    ]),
  );
}

export function createTipShared(
  artist: string,
  recipient: string,
  token: string,
  amount: string,
  splitStreamId: i32,
): TipShared {
  return changetype<TipShared>(
    mockEvent([
      address("artist", artist),
      address("recipient", recipient),
      address("token", token),
      uint("amount", BigInt.fromString(amount)),
      uint("splitStreamId", BigInt.fromI32(splitStreamId)),
    ]),
  );
}

export function createReferralPaid(
  referrer: string,
  token: string,
  artist: string,
  amount: string,
  fee: string,
): ReferralPaid {
  return changetype<ReferralPaid>(
    mockEvent([
      address("referrer", referrer),
      address("token", token),
      address("artist", artist),
      uint("amount", BigInt.fromString(amount)),
      uint("fee", BigInt.fromString(fee)),
    ]),
  );
}

export function createTokenAllowed(token: string, symbol: string, decimals: i32, minimumTip: string): TokenAllowed {
  return changetype<TokenAllowed>(
    mockEvent([
      address("token", token),
      text("symbol", symbol),
      new ethereum.EventParam("decimals", ethereum.Value.fromI32(decimals)),
      uint("minimumTip", BigInt.fromString(minimumTip)),
    ]),
  );
}

export function createWithdrawn(account: string, token: string, to: string, amount: string, fee: string): Withdrawn {
  return changetype<Withdrawn>(
    mockEvent([
      address("account", account),
      address("token", token),
      address("to", to),
      uint("amount", BigInt.fromString(amount)),
      uint("fee", BigInt.fromString(fee)),
    ]),
  );
}

// ---- ContentRegistry ------------------------------------------------------------------------------

export const LABEL = "0x00000000000000000000000000000000000000b1";
export const TIMELOCK = "0x00000000000000000000000000000000000000d0";
export const ISRC = "USRC17607839";

function splitTuples(recipients: Array<string>, shares: Array<i32>): ethereum.EventParam {
  let splits = new Array<ethereum.Tuple>();
  for (let i = 0; i < recipients.length; i++) {
    let fields: Array<ethereum.Value> = [
      ethereum.Value.fromAddress(Address.fromString(recipients[i])),
      ethereum.Value.fromI32(shares[i]),
    ];
    splits.push(changetype<ethereum.Tuple>(fields));
  }
  return new ethereum.EventParam("splits", ethereum.Value.fromTupleArray(splits));
}

/** `registrant`: the code's registrant who approved it (ZERO_ADDRESS for an unclaimed code). */
export function createTrackRegistered(
  trackId: string,
  artist: string,
  recipients: Array<string>,
  shares: Array<i32>,
  registrant: string = ZERO_ADDRESS,
  isrc: string = ISRC,
): TrackRegistered {
  return changetype<TrackRegistered>(
    mockEvent([
      uint("trackId", BigInt.fromString(trackId)),
      address("artist", artist),
      text("isrc", isrc),
      text("metadataCid", "bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdi"),
      flag("exclusive", true),
      small("royaltyBps", 500),
      splitTuples(recipients, shares),
      address("registrant", registrant),
    ]),
  );
}

export function createLicenseOfferCreated(
  trackId: string,
  offerId: i32,
  price: string,
  duration: i32,
  token: string = CORE_TOKEN,
  supplyCap: i32 = 0,
  perBuyerLimit: i32 = 0,
): LicenseOfferCreated {
  return changetype<LicenseOfferCreated>(
    mockEvent([
      uint("trackId", BigInt.fromString(trackId)),
      uint("offerId", BigInt.fromI32(offerId)),
      uint("tokenId", tokenIdOf(trackId, offerId)),
      address("token", token),
      uint("price", BigInt.fromString(price)),
      uint("supplyCap", BigInt.fromI32(supplyCap)),
      uint("perBuyerLimit", BigInt.fromI32(perBuyerLimit)),
      uint("duration", BigInt.fromI32(duration)),
      flag("commercialUse", true),
      flag("derivativesAllowed", false),
    ]),
  );
}

export function createLicensePurchased(
  trackId: string,
  offerId: i32,
  buyer: string,
  price: string,
  fee: string,
  expiresAt: i32,
  token: string = CORE_TOKEN,
  referrer: string = ZERO_ADDRESS,
  referralFee: string = "0",
  renewal: bool = false,
): LicensePurchased {
  return changetype<LicensePurchased>(
    mockEvent([
      uint("trackId", BigInt.fromString(trackId)),
      uint("offerId", BigInt.fromI32(offerId)),
      address("buyer", buyer),
      uint("tokenId", tokenIdOf(trackId, offerId)),
      address("token", token),
      uint("price", BigInt.fromString(price)),
      uint("fee", BigInt.fromString(fee)),
      address("referrer", referrer),
      uint("referralFee", BigInt.fromString(referralFee)),
      uint("expiresAt", BigInt.fromI32(expiresAt)),
      flag("renewal", renewal),
    ]),
  );
}

export function createRevenueCredited(
  trackId: string,
  recipient: string,
  token: string,
  amount: string,
): RevenueCredited {
  return changetype<RevenueCredited>(
    mockEvent([
      uint("trackId", BigInt.fromString(trackId)),
      address("recipient", recipient),
      address("token", token),
      uint("amount", BigInt.fromString(amount)),
    ]),
  );
}

export function createRoyaltiesCollected(trackId: string, token: string, amount: string): RoyaltiesCollected {
  return changetype<RoyaltiesCollected>(
    mockEvent([
      uint("trackId", BigInt.fromString(trackId)),
      address("token", token),
      uint("amount", BigInt.fromString(amount)),
    ]),
  );
}

export function createEarningsWithdrawn(account: string, to: string, token: string, amount: string): EarningsWithdrawn {
  return changetype<EarningsWithdrawn>(
    mockEvent([
      address("account", account),
      address("to", to),
      address("token", token),
      uint("amount", BigInt.fromString(amount)),
    ]),
  );
}

export function createRegistryFeesSwept(treasury: string, token: string, amount: string): RegistryFeesSwept {
  return changetype<RegistryFeesSwept>(
    mockEvent([address("treasury", treasury), address("token", token), uint("amount", BigInt.fromString(amount))]),
  );
}

export function createTrackFlagged(trackId: string, reason: string): TrackFlagged {
  return changetype<TrackFlagged>(mockEvent([uint("trackId", BigInt.fromString(trackId)), text("reason", reason)]));
}

export function createTrackUnflagged(trackId: string): TrackUnflagged {
  return changetype<TrackUnflagged>(mockEvent([uint("trackId", BigInt.fromString(trackId))]));
}

export function createTrackRevoked(trackId: string, reason: string): TrackRevoked {
  return changetype<TrackRevoked>(mockEvent([uint("trackId", BigInt.fromString(trackId)), text("reason", reason)]));
}

export function createTrackReassigned(
  trackId: string,
  previousArtist: string,
  artist: string,
  recipients: Array<string>,
  shares: Array<i32>,
  by: string,
  reason: string,
): TrackReassigned {
  return changetype<TrackReassigned>(
    mockEvent([
      uint("trackId", BigInt.fromString(trackId)),
      address("previousArtist", previousArtist),
      address("artist", artist),
      splitTuples(recipients, shares),
      address("by", by),
      text("reason", reason),
    ]),
  );
}

export function createTrackTransferOffered(trackId: string, artist: string, to: string): TrackTransferOffered {
  return changetype<TrackTransferOffered>(
    mockEvent([uint("trackId", BigInt.fromString(trackId)), address("artist", artist), address("to", to)]),
  );
}

export function createTrackTransferred(trackId: string, previousArtist: string, artist: string): TrackTransferred {
  return changetype<TrackTransferred>(
    mockEvent([
      uint("trackId", BigInt.fromString(trackId)),
      address("previousArtist", previousArtist),
      address("artist", artist),
    ]),
  );
}

export function createRegistrantSet(code: string, previousRegistrant: string, registrant: string): RegistrantSet {
  return changetype<RegistrantSet>(
    mockEvent([
      text("code", code),
      address("previousRegistrant", previousRegistrant),
      address("registrant", registrant),
    ]),
  );
}

export function createTransferSingle(from: string, to: string, tokenId: BigInt, value: i32): TransferSingle {
  return changetype<TransferSingle>(
    mockEvent([
      address("operator", from == ZERO_ADDRESS ? to : from),
      address("from", from),
      address("to", to),
      uint("id", tokenId),
      uint("value", BigInt.fromI32(value)),
    ]),
  );
}

export function createTransferBatch(
  from: string,
  to: string,
  ids: Array<BigInt>,
  values: Array<BigInt>,
): TransferBatch {
  return changetype<TransferBatch>(
    mockEvent([
      address("operator", from),
      address("from", from),
      address("to", to),
      new ethereum.EventParam("ids", ethereum.Value.fromUnsignedBigIntArray(ids)),
      new ethereum.EventParam("values", ethereum.Value.fromUnsignedBigIntArray(values)),
    ]),
  );
}

// ---- ArtistProfiles -------------------------------------------------------------------------------

export function createProfileRegistered(account: string, handle: string, isArtist: bool): ProfileRegistered {
  return changetype<ProfileRegistered>(
    mockEvent([
      address("account", account),
      text("handle", handle),
      text("profileCid", "bafkreifjjcie6lypi6ny7amxnfftagclbuxndqonfipmb64f2km2devei4"),
      flag("isArtist", isArtist),
    ]),
  );
}

export function createFollowed(follower: string, artist: string): Followed {
  return changetype<Followed>(mockEvent([address("follower", follower), address("artist", artist)]));
}

export function createUnfollowed(follower: string, artist: string): Unfollowed {
  return changetype<Unfollowed>(mockEvent([address("follower", follower), address("artist", artist)]));
}

// ---- HarmonieGovernor -----------------------------------------------------------------------------

export function createProposalCreated(
  proposalId: string,
  proposer: string,
  voteStart: i32,
  voteEnd: i32,
): ProposalCreated {
  return changetype<ProposalCreated>(
    mockEvent([
      uint("proposalId", BigInt.fromString(proposalId)),
      address("proposer", proposer),
      new ethereum.EventParam("targets", ethereum.Value.fromAddressArray([Address.fromString(ARTIST)])),
      new ethereum.EventParam("values", ethereum.Value.fromUnsignedBigIntArray([BigInt.zero()])),
      new ethereum.EventParam("signatures", ethereum.Value.fromStringArray([""])),
      new ethereum.EventParam("calldatas", ethereum.Value.fromBytesArray([Bytes.fromHexString("0x69fe0e2d")])),
      uint("voteStart", BigInt.fromI32(voteStart)),
      uint("voteEnd", BigInt.fromI32(voteEnd)),
      text("description", "Tipping fee to 3%"),
    ]),
  );
}

export function createVoteCast(
  voter: string,
  proposalId: string,
  support: i32,
  weight: string,
  reason: string,
): VoteCast {
  return changetype<VoteCast>(
    mockEvent([
      address("voter", voter),
      uint("proposalId", BigInt.fromString(proposalId)),
      small("support", support),
      uint("weight", BigInt.fromString(weight)),
      text("reason", reason),
    ]),
  );
}

export function createVoteCastWithParams(
  voter: string,
  proposalId: string,
  support: i32,
  weight: string,
  params: Bytes,
): VoteCastWithParams {
  return changetype<VoteCastWithParams>(
    mockEvent([
      address("voter", voter),
      uint("proposalId", BigInt.fromString(proposalId)),
      small("support", support),
      uint("weight", BigInt.fromString(weight)),
      text("reason", ""),
      new ethereum.EventParam("params", ethereum.Value.fromBytes(params)),
    ]),
  );
}

export function createProposalExtended(proposalId: string, extendedDeadline: i32): ProposalExtended {
  return changetype<ProposalExtended>(
    mockEvent([
      uint("proposalId", BigInt.fromString(proposalId)),
      uint("extendedDeadline", BigInt.fromI32(extendedDeadline)),
    ]),
  );
}

export function createProposalQueued(proposalId: string, etaSeconds: i32): ProposalQueued {
  return changetype<ProposalQueued>(
    mockEvent([uint("proposalId", BigInt.fromString(proposalId)), uint("etaSeconds", BigInt.fromI32(etaSeconds))]),
  );
}

export function createProposalExecuted(proposalId: string): ProposalExecuted {
  return changetype<ProposalExecuted>(mockEvent([uint("proposalId", BigInt.fromString(proposalId))]));
}

export function createProposalCanceled(proposalId: string): ProposalCanceled {
  return changetype<ProposalCanceled>(mockEvent([uint("proposalId", BigInt.fromString(proposalId))]));
}

export function createQuorumFloorUpdated(oldFloor: string, newFloor: string): QuorumFloorUpdated {
  return changetype<QuorumFloorUpdated>(
    mockEvent([uint("oldFloor", BigInt.fromString(oldFloor)), uint("newFloor", BigInt.fromString(newFloor))]),
  );
}

export function createQuorumNumeratorUpdated(oldNumerator: i32, newNumerator: i32): QuorumNumeratorUpdated {
  return changetype<QuorumNumeratorUpdated>(
    mockEvent([
      uint("oldQuorumNumerator", BigInt.fromI32(oldNumerator)),
      uint("newQuorumNumerator", BigInt.fromI32(newNumerator)),
    ]),
  );
}

export function createProposalGuardianSet(oldGuardian: string, newGuardian: string): ProposalGuardianSet {
  return changetype<ProposalGuardianSet>(
    mockEvent([address("oldProposalGuardian", oldGuardian), address("newProposalGuardian", newGuardian)]),
  );
}

export function createTimelockChange(oldTimelock: string, newTimelock: string): TimelockChange {
  return changetype<TimelockChange>(
    mockEvent([address("oldTimelock", oldTimelock), address("newTimelock", newTimelock)]),
  );
}

/** Sets who sent the event's transaction and to what (a multisig's execTransaction goes to the multisig). */
export function sentBy<T>(event: T, from: string, to: string): T {
  let e = changetype<ethereum.Event>(event);
  e.transaction.from = Address.fromString(from);
  e.transaction.to = Address.fromString(to);
  return event;
}

/** Moves the event's block to `timestamp`. */
export function at<T>(event: T, timestamp: i32): T {
  changetype<ethereum.Event>(event).block.timestamp = BigInt.fromI32(timestamp);
  return event;
}

// ---- StakedCore -----------------------------------------------------------------------------------

export function createGovernorBound(governor: string): GovernorBound {
  return changetype<GovernorBound>(mockEvent([address("governor", governor)]));
}

export function createUnstakeRequested(account: string, amount: string, unlockAt: i32): UnstakeRequested {
  return changetype<UnstakeRequested>(
    mockEvent([
      address("account", account),
      uint("amount", BigInt.fromString(amount)),
      uint("unlockAt", BigInt.fromI32(unlockAt)),
    ]),
  );
}

// ---- Pauses (ContentRegistry, ArtistProfiles, LiveStreams) ----------------------------------------

/** Pausable contracts' addresses in the tests (the event's address). */
export const REGISTRY_ADDRESS = "0x00000000000000000000000000000000000000b1";
export const PROFILES_ADDRESS = "0x00000000000000000000000000000000000000b2";
export const LIVE_ADDRESS = "0x00000000000000000000000000000000000000b3";

function pauseEvent(contract: string, account: string): ethereum.Event {
  let event = mockEvent([address("account", account)]);
  event.address = Address.fromString(contract);
  return event;
}

export function createRegistryPaused(account: string): RegistryPaused {
  return changetype<RegistryPaused>(pauseEvent(REGISTRY_ADDRESS, account));
}

export function createRegistryUnpaused(account: string): RegistryUnpaused {
  return changetype<RegistryUnpaused>(pauseEvent(REGISTRY_ADDRESS, account));
}

export function createProfilesPaused(account: string): ProfilesPaused {
  return changetype<ProfilesPaused>(pauseEvent(PROFILES_ADDRESS, account));
}

export function createLivePaused(account: string): LivePaused {
  return changetype<LivePaused>(pauseEvent(LIVE_ADDRESS, account));
}

export function createLiveUnpaused(account: string): LiveUnpaused {
  return changetype<LiveUnpaused>(pauseEvent(LIVE_ADDRESS, account));
}
