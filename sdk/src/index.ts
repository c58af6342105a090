/**
 * @harmonie/sdk — a typed, tree-shakeable viem SDK for HarmonieCORE on Core Network.
 *
 * @example
 * import { createHarmonieClient, coreTestnet2 } from "@harmonie/sdk";
 * const harmonie = createHarmonieClient({ chain: coreTestnet2, transport: http(), account });
 * await harmonie.tip({ artist, amount: parseEther("1"), message: "encore!" });
 */
export * from "./actions/index.ts";
export {
  createHarmonieClient,
  harmonieActions,
  type HarmonieClientConfig,
  type HarmonieSdkClient,
  type BoundActions,
} from "./client.ts";
export { coreDao, coreTestnet2, harmonieLocal, harmonieChains } from "./chains.ts";
export {
  getDeployment,
  knownDeployments,
  type Deployment,
  type ContractName,
  type PaymentToken,
} from "./deployments.ts";
export {
  HarmonieError,
  InvalidIsrcError,
  MessageTooLongError,
  WrongChainError,
  NoDeploymentError,
  AccountRequiredError,
  UserRejectedError,
  InsufficientFundsError,
  ContractError,
  isContractError,
  type AnyContractError,
  type ContractErrorArgs,
  type ContractErrorName,
  RpcUnavailableError,
  StaleDeploymentError,
  UnexpectedReceiptError,
  TransactionUnconfirmedError,
  TokenNotAllowedError,
  UnknownTrackError,
  TrackFrozenError,
  LicenseOfferInactiveError,
  LicenseSoldOutError,
  LicenseBuyerLimitError,
  RegistrantApprovalRequiredError,
  ApprovalExpiredError,
  InvalidRegistrantCodeError,
  TRACK_STATUSES,
  type TrackStatus,
  TipSessionExpiredError,
  TipSessionBudgetError,
  TransactionRevertedError,
  InvalidInputError,
  InvalidCidError,
  InvalidMetadataError,
  ContentVerificationError,
  StorageBackendError,
  UploadTooLargeError,
  NotFoundError,
  DecryptionError,
} from "./errors.ts";
export {
  parseIsrc,
  isValidIsrc,
  formatIsrc,
  trackIdFromIsrc,
  isrcFromTrackId,
  licenseTokenId,
  formatRegistrantCode,
  isValidRegistrantCode,
  registrantCodeOf,
  type Isrc,
} from "./isrc.ts";
export {
  planProposal,
  describeAction,
  describeProposal,
  sentenceText,
  trackName,
  PROPOSAL_KINDS,
  PAUSABLE_CONTRACTS,
  type ProposalInput,
  type ProposalKind,
  type ProposalPlan,
  type ProposalToken,
  type PausableContract,
  type SentencePart,
  type DescribedAction,
  getProposalSetting,
  getProposalQuorum,
  settingChange,
  type ProposalSetting,
  type ProposalQuorum,
} from "./proposals.ts";
export { protocolLimits } from "./generated/protocol.ts";
export { signIn, verifySignIn, createSignInNonce, type SignInParams, type SignedSignIn } from "./auth.ts";
export { openTrack, getTrackKey, depositTrackKey, type OpenedTrack, type KeyServiceParams } from "./exclusive.ts";
export { StorageDependencyError } from "./storage/optional.ts";
export { SignInError, AccessDeniedError } from "./errors.ts";
export * from "./indexer/index.ts";
export { type Tip, type TipId, type TipPosition, type TipToken, compareTips, tipId } from "./tip.ts";
export { IndexerError } from "./errors.ts";
