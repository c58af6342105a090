/** Turns the SDK's typed errors into sentences a fan or an artist can act on. */
import {
  AccessDeniedError,
  ContractError,
  HarmonieError,
  InsufficientFundsError,
  MessageTooLongError,
  UserRejectedError,
  WrongChainError,
  harmonieChains,
} from "@harmonie/sdk";
import { formatEther } from "viem";

// Contract errors people actually meet; anything else is shown by name.
const CONTRACT_ERRORS: Record<string, (args: readonly unknown[]) => string> = {
  HarmonieTippingBelowMinimum: (args) => `This artist accepts tips of at least ${formatEther(args[1] as bigint)} CORE.`,
  HarmonieTippingNothingToWithdraw: () => "There are no tips to withdraw yet.",
  HarmonieTippingMessageTooLong: () => "The message is too long (280 bytes at most).",
  ContentRegistryDuplicateIsrc: () => "A track with this ISRC is already registered.",
  ContentRegistryInvalidIsrc: () => "The ISRC is not valid.",
  ContentRegistryNothingToWithdraw: () => "There is no licence revenue to withdraw yet.",
  ContentRegistryOfferInactive: () => "This licence offer is not on sale any more.",
  ContentRegistrySupplyExhausted: () => "This licence offer is sold out.",
  ContentRegistryTrackFlagged: () => "This track is flagged by the DAO and cannot be licensed now.",
  ArtistProfilesHandleTaken: () => "This handle is taken: choose another.",
  ArtistProfilesAlreadyRegistered: () => "You already have a profile.",
  ArtistProfilesSelfFollow: () => "You cannot follow yourself.",
  ArtistProfilesNotAnArtist: () => "Only artist profiles can be followed.",
  StakedCoreCooldownActive: () => "The unstaking cooldown is not over yet.",
  StakedCoreNothingToUnstake: () => "There is no pending unstake.",
  GovernorInsufficientProposerVotes: () => "You need more delegated stCORE votes to make a proposal.",
  GovernorAlreadyCastVote: () => "You already voted on this proposal.",
  GovernorUnexpectedProposalState: () => "The proposal is not in the right state for this yet.",
};

export function describeError(error: unknown): string {
  if (error instanceof UserRejectedError) return "You declined in your wallet. Nothing was sent.";
  if (error instanceof InsufficientFundsError) return "Your wallet does not hold enough CORE for this plus gas.";
  if (error instanceof WrongChainError) {
    const expected = harmonieChains[error.expectedChainId]?.name ?? `chain ${error.expectedChainId}`;
    return `Your wallet is on another network. Switch it to ${expected} and try again.`;
  }
  if (error instanceof MessageTooLongError)
    return `The message is ${error.bytes} bytes; the limit is ${error.maxBytes}.`;
  if (error instanceof AccessDeniedError) return "This track is exclusive: buy a licence to unlock it.";
  if (error instanceof ContractError) {
    const known = CONTRACT_ERRORS[error.errorName];
    return known ? known(error.args) : `The contract refused: ${error.errorName}.`;
  }
  if (error instanceof HarmonieError) return error.message;
  if (error instanceof Error) return (error as { shortMessage?: string }).shortMessage ?? error.message;
  return String(error);
}
