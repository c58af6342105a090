/** Turns the SDK's typed errors into sentences a fan or an artist can act on. */
import {
  AccessDeniedError,
  ContentVerificationError,
  ContractError,
  isContractError,
  HarmonieError,
  IndexerError,
  InvalidCidError,
  InvalidMetadataError,
  NotFoundError,
  StorageBackendError,
  type ContractErrorName,
  InsufficientFundsError,
  MessageTooLongError,
  TipSessionBudgetError,
  TipSessionExpiredError,
  TokenNotAllowedError,
  UserRejectedError,
  WrongChainError,
  harmonieChains,
} from "@harmonie/sdk";

// Contract errors people actually meet; anything else is shown by name.
const CONTRACT_ERRORS: Partial<Record<ContractErrorName, (args: Record<string, unknown>) => string>> = {
  // The minimum is in the tip's token; the form shows it with its symbol before sending.
  HarmonieTippingBelowMinimum: () => "This tip is below the artist's minimum shown next to the amount.",
  HarmonieTippingTokenNotAllowed: () => "Tips are not accepted in this token.",
  HarmonieTippingTokenShortfall: () => "The token delivered less than the tip: tips in it are refused.",
  HarmonieTippingTabExceeded: () => "This tip is more than is left of your session's budget.",
  HarmonieTippingTabExpired: () => "Your tip session has ended: start a new one.",
  HarmonieTippingNoTab: () => "This tip session was closed.",
  HarmonieTippingInvalidSplit: () => "A split needs 1 to 16 different recipients whose shares add up to 100%.",
  HarmonieTippingFeeAboveSigned: () => "The fee rose above what the signed withdrawal allows: sign a new one.",
  HarmonieTippingNothingToWithdraw: () => "There are no tips to withdraw yet.",
  HarmonieTippingMessageTooLong: () => "The message is too long (280 bytes at most).",
  ContentRegistryDuplicateIsrc: () => "A track with this ISRC is already registered.",
  ContentRegistryInvalidIsrc: () => "The ISRC is not valid.",
  ContentRegistryInvalidRegistrantCode: () =>
    "A registrant code is two letters and three letters or digits, e.g. US-RC1.",
  ContentRegistryNothingToWithdraw: () => "There is no licence revenue in this token to withdraw yet.",
  ContentRegistryOfferInactive: () => "This licence offer is not on sale any more.",
  ContentRegistrySupplyExhausted: () => "This licence offer is sold out.",
  ContentRegistryBuyerLimitReached: ({ limit }) =>
    `You already bought as many of these licences as one account may (${limit}).`,
  // The status is the contract's TrackStatus: 1 flagged, 2 revoked.
  ContentRegistryTrackFrozen: ({ status }) =>
    Number(status) === 2
      ? "This track was removed by the DAO: it cannot be sold, edited or handed over."
      : "Sales of this track are paused while the DAO decides a dispute about it.",
  ContentRegistryTokenNotAllowed: () => "Licences cannot be priced or paid in this token: the DAO has not allowed it.",
  ContentRegistryTokenShortfall: () => "The token delivered less than the price: licences in it are refused.",
  ContentRegistryWrongPayment: () => "The payment did not match the licence's price. Reload the page and try again.",
  ContentRegistryUnknownTrack: () => "No track is registered under this ISRC.",
  ContentRegistryUnknownOffer: () => "This track has no such licence offer.",
  ContentRegistryNotArtist: () => "Only the track's artist can do this.",
  ContentRegistryNotOfferedTo: () => "This track is not being handed over to you (or the artist withdrew the offer).",
  ContentRegistryLicenseNotTransferable: () => "Timed licences are personal: they cannot be given or sold on.",
  ContentRegistryNoRoyalties: () => "There are no resale royalties in this token to collect for this track.",
  ContentRegistryRegistrantApprovalRequired: () =>
    "This ISRC's registrant code belongs to a label: registering it needs the label's signed approval.",
  ContentRegistryNoRegistrant: () => "Nobody holds this ISRC's registrant code: register without an approval.",
  ContentRegistryInvalidApproval: () => "The label's approval does not match this ISRC and artist: ask for a new one.",
  ContentRegistryApprovalExpired: () => "The label's approval has expired: ask for a new one.",
  ContentRegistryInvalidSplitTotal: () => "The splits must add up to 100%.",
  ContentRegistryInvalidSplit: () => "Each split needs an address and a share above zero.",
  ContentRegistryZeroAddress: () => "An address is missing.",
  ERC20InsufficientBalance: () => "Your wallet does not hold enough of this token.",
  ERC20InsufficientAllowance: () => "The token approval was smaller than the price: approve again.",
  EnforcedPause: () => "The DAO's guardian has paused this part of the protocol for now. Try again later.",
  ArtistProfilesHandleTaken: () => "This handle is taken: choose another.",
  ArtistProfilesAlreadyRegistered: () => "You already have a profile.",
  ArtistProfilesSelfFollow: () => "You cannot follow yourself.",
  ArtistProfilesNotAnArtist: () => "Only artist profiles can be followed.",
  StakedCoreCooldownActive: () => "The unstaking cooldown is not over yet.",
  StakedCoreNothingToUnstake: () => "There is no pending unstake.",
  GovernorInsufficientProposerVotes: () => "You need more delegated hVOTE votes to make a proposal.",
  GovernorAlreadyCastVote: () => "You already voted on this proposal.",
  GovernorUnexpectedProposalState: () => "The proposal is not in the right state for this yet.",
};

/**
 * The streaming module's errors, matched by their stable `name` so this file (in a shared chunk)
 * doesn't import the streaming code, which only the Live and Studio pages load.
 */
function describeStreamingError(error: Error): string | undefined {
  switch (error.name) {
    case "RoomFullError": {
      const max = (error as { maxFans?: number }).maxFans;
      return `This live room is full${max ? ` (${max} fans)` : ""}. Try again in a moment.`;
    }
    case "StreamAccessDeniedError":
      return "This live session is for licence holders: buy a licence for its track to watch.";
    case "UnknownRoomError":
      return "The artist isn't broadcasting right now. Try again once they are live.";
    case "NotSessionArtistError":
      return "Only the session's artist can broadcast it, and only while it is open.";
    case "StreamingUnsupportedError":
      return error.message;
    case "SignallingError": {
      const code = (error as { code?: string }).code;
      if (code === "auth-failed" || code === "auth-required")
        return "The live service could not verify your wallet's sign-in. Try again.";
      if (code === "rate-limited") {
        const wait = (error as { retryAfterSeconds?: number }).retryAfterSeconds;
        return wait ? `Too many attempts: try again in ${wait} s.` : "Too many messages at once: slow down a little.";
      }
      if (code === "unavailable") return "The live service cannot reach the chain right now. Try again in a moment.";
      return `The live service failed: ${error.message}`;
    }
    // Livepeer (through the deployment's Livepeer service) and its WebRTC playback.
    case "LivepeerError": {
      const name = (error as { errorName?: string }).errorName;
      if (name === "Forbidden") return "Only registered artists can go live for a big audience.";
      if (name === "RateLimited")
        return "You already have as many big-audience sessions live as allowed: end one first.";
      if (name === "SignInError" || name === "SignInRequired")
        return "The Livepeer service could not verify your wallet's sign-in. Try again.";
      if (name === "ChainUnavailable")
        return "The Livepeer service cannot reach the chain right now. Try again shortly.";
      return "Livepeer can't be reached right now. Try again in a moment, or go live in a room.";
    }
    case "WhipError": {
      const status = (error as { status?: number }).status;
      if (status === 404) return "The artist's video isn't on air yet. Try again in a moment.";
      return "The live video could not connect. Try again in a moment.";
    }
  }
  // Camera and microphone (getUserMedia) failures are DOMExceptions.
  if (typeof DOMException !== "undefined" && error instanceof DOMException) {
    if (error.name === "NotAllowedError") return "Camera and microphone access was refused. Allow it and try again.";
    if (error.name === "NotFoundError") return "No camera or microphone was found.";
    if (error.name === "NotReadableError") return "The camera or microphone is in use by another application.";
  }
  return undefined;
}

export function describeError(error: unknown): string {
  const streaming = error instanceof Error ? describeStreamingError(error) : undefined;
  if (streaming) return streaming;
  if (error instanceof UserRejectedError) return "You declined in your wallet. Nothing was sent.";
  if (error instanceof InsufficientFundsError) return "Your wallet does not hold enough CORE for this plus gas.";
  if (error instanceof WrongChainError) {
    const expected = harmonieChains[error.expectedChainId]?.name ?? `chain ${error.expectedChainId}`;
    return `Your wallet is on another network. Switch it to ${expected} and try again.`;
  }
  if (error instanceof MessageTooLongError)
    return `The message is ${error.bytes} bytes; the limit is ${error.maxBytes}.`;
  if (error instanceof AccessDeniedError) return "This track is exclusive: buy a licence to unlock it.";
  if (error instanceof TokenNotAllowedError)
    return (error as { errorName?: string }).errorName === "ContentRegistryTokenNotAllowed"
      ? "Licences cannot be paid in this token: the DAO has not allowed it."
      : "Tips are not accepted in this token.";
  if (error instanceof TipSessionBudgetError) return "This tip is more than is left of your session's budget.";
  if (error instanceof TipSessionExpiredError) return "Your tip session has ended: start a new one.";
  if (isContractError(error)) {
    const known = CONTRACT_ERRORS[error.errorName];
    return known ? known(error.args) : `The contract refused: ${error.errorName}.`;
  }
  const service = serviceFailure(error);
  if (service) return `${service[0].toUpperCase()}${service.slice(1)}. Try again in a moment.`;
  if (error instanceof HarmonieError) return error.message;
  if (error instanceof Error) return (error as { shortMessage?: string }).shortMessage ?? error.message;
  return String(error);
}

/**
 * Which service failed, in plain words and without its URL ("the index of tracks … is not
 * answering"), or undefined when the error is not about reaching a service.
 */
export function serviceFailure(error: unknown): string | undefined {
  if (error instanceof IndexerError) return "the index of tracks, tips and proposals is not answering";
  if (error instanceof ContentVerificationError) return "a file from IPFS did not match its address, so it was refused";
  if (
    error instanceof StorageBackendError ||
    error instanceof NotFoundError ||
    error instanceof InvalidCidError ||
    error instanceof InvalidMetadataError
  )
    return "a file could not be loaded from IPFS";
  // viem's transport errors (the Core node's RPC), and fetch's own "Failed to fetch".
  const names = new Set<string>();
  for (let e: unknown = error; e instanceof Error && names.size < 8; e = e.cause) names.add(e.name);
  if (["HttpRequestError", "TimeoutError", "WebSocketRequestError", "RpcRequestError"].some((n) => names.has(n)))
    return "the Core network node is not answering";
  if (error instanceof TypeError && /fetch|network/i.test(error.message)) return "the network could not be reached";
  return undefined;
}
