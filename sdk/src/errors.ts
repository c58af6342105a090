import { formatEther, getAddress, type Hash, isAddress, zeroAddress } from "viem";
import type { ContractErrorArgs } from "./generated/errors.ts";

/**
 * Typed errors of the SDK: one class per failure kind.
 *
 * Every error has a stable `name` (set explicitly, so minifiers cannot mangle
 * it) that callers can switch on, and a message that says what to do next.
 */

/**
 * Base class of every error thrown by the HarmonieCORE SDK.
 *
 * @example
 * ```ts
 * try { await storage.cat(cid) } catch (err) {
 *   if (err instanceof HarmonieError) console.error(err.name, err.message)
 * }
 * ```
 */
export class HarmonieError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "HarmonieError";
  }
}

/** A string could not be parsed as a CID or an `/ipfs/<cid>/path`. */
export class InvalidCidError extends HarmonieError {
  readonly input: string;
  constructor(input: string, options?: { cause?: unknown }) {
    super(
      `"${truncate(input)}" is not a valid CID or /ipfs/<cid>[/path]. Pass a CIDv0 (Qm…) or CIDv1 (bafy…/bafk…) string, optionally followed by a path.`,
      options,
    );
    this.name = "InvalidCidError";
    this.input = input;
  }
}

/** A request or argument is malformed (bad file path, empty input, bad parameter). */
export class InvalidInputError extends HarmonieError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "InvalidInputError";
  }
}

/** Track or profile metadata failed JSON Schema validation. */
export class InvalidMetadataError extends HarmonieError {
  /** One entry per failed rule, e.g. `"/isrc: must match pattern …"`. */
  readonly issues: readonly string[];
  constructor(what: string, issues: readonly string[]) {
    super(`${what} is invalid; fix these fields and try again: ${issues.join("; ")}`);
    this.name = "InvalidMetadataError";
    this.issues = issues;
  }
}

/** Bytes received for a CID do not hash to that CID (tampered or corrupt data). */
export class ContentVerificationError extends HarmonieError {
  readonly cid: string;
  constructor(cid: string, reason: string) {
    super(
      `Block ${cid} failed verification: ${reason}. The source served wrong bytes; do not use it, retry with another gateway or node.`,
    );
    this.name = "ContentVerificationError";
    this.cid = cid;
  }
}

/** A storage backend (Kubo node, pinning service, gateway, disk) failed. */
export class StorageBackendError extends HarmonieError {
  readonly backend: string;
  /** HTTP status when the backend answered over HTTP. */
  readonly status: number | undefined;
  constructor(backend: string, message: string, options?: { status?: number; cause?: unknown }) {
    super(`${backend}: ${message}`, options);
    this.name = "StorageBackendError";
    this.backend = backend;
    this.status = options?.status;
  }
}

/** An upload exceeds the size limit of the service receiving it. */
export class UploadTooLargeError extends HarmonieError {
  readonly limitBytes: number;
  constructor(limitBytes: number, actualBytes?: number) {
    const actual = actualBytes === undefined ? "The upload" : `The upload (${actualBytes} bytes)`;
    super(
      `${actual} exceeds the limit of ${limitBytes} bytes. Compress the file or raise the service's maxUploadBytes.`,
    );
    this.name = "UploadTooLargeError";
    this.limitBytes = limitBytes;
  }
}

/** The requested CID or path is not available from this source. */
export class NotFoundError extends HarmonieError {
  readonly target: string;
  constructor(target: string, hint = "Check the CID, or add/pin the content on this backend first.") {
    super(`${target} was not found. ${hint}`);
    this.name = "NotFoundError";
    this.target = target;
  }
}

/** Encrypted audio could not be decrypted: wrong key, wrong context, or tampered bytes. */
export class DecryptionError extends HarmonieError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "DecryptionError";
  }
}

function truncate(s: string): string {
  return s.length > 80 ? `${s.slice(0, 77)}...` : s;
}

/** An ISRC is not `CC-XXX-YY-NNNNN` (hyphens optional, any case). */
export class InvalidIsrcError extends HarmonieError {
  readonly input: string;
  constructor(input: string) {
    super(
      `"${truncate(input)}" is not a valid ISRC: expect 2 letters (country), 3 letters or digits (registrant), 2 digits (year) and 5 digits (designation), e.g. US-RC1-76-07839.`,
    );
    this.name = "InvalidIsrcError";
    this.input = input;
  }
}

/** A tip message is longer than the contract accepts. */
export class MessageTooLongError extends HarmonieError {
  readonly bytes: number;
  readonly maxBytes: number;
  constructor(bytes: number, maxBytes: number) {
    super(`The tip message is ${bytes} bytes of UTF-8; the limit is ${maxBytes}. Shorten it.`);
    this.name = "MessageTooLongError";
    this.bytes = bytes;
    this.maxBytes = maxBytes;
  }
}

/** The wallet is connected to another chain than the one the action targets. */
export class WrongChainError extends HarmonieError {
  readonly expectedChainId: number;
  readonly actualChainId: number;
  constructor(expectedChainId: number, actualChainId: number) {
    super(
      `The wallet is on chain ${actualChainId} but this HarmonieCORE deployment is on chain ${expectedChainId}. Switch the wallet's network.`,
    );
    this.name = "WrongChainError";
    this.expectedChainId = expectedChainId;
    this.actualChainId = actualChainId;
  }
}

/** No HarmonieCORE deployment is known for a chain. */
export class NoDeploymentError extends HarmonieError {
  readonly chainId: number | undefined;
  constructor(chainId: number | undefined) {
    super(
      chainId === undefined
        ? "The client has no chain, so no HarmonieCORE deployment can be chosen. Pass `chain` to the client or `deployment` to the action."
        : `HarmonieCORE is not deployed on chain ${chainId} as far as this SDK knows. Pass \`deployment\` (the object in deployments/<chainId>.json) to the client or the action.`,
    );
    this.name = "NoDeploymentError";
    this.chainId = chainId;
  }
}

/**
 * The deployment names an address where the chain has no contract — the usual state after restarting a
 * local node, or a deployment file for another network. Raised before anything is signed, so no value
 * is ever sent to an address that is not the protocol's contract.
 */
export class StaleDeploymentError extends HarmonieError {
  readonly address: string;
  readonly chainId: number;
  constructor(address: string, chainId: number) {
    super(
      `No contract at ${address} on chain ${chainId}: the deployment is stale (a restarted local node?). Deploy again (npm run deploy) or pass the deployment for this chain; nothing was sent.`,
    );
    this.name = "StaleDeploymentError";
    this.address = address;
    this.chainId = chainId;
  }
}

/** A write's receipt lacks the event the contract always emits: whatever ran there, it was not this protocol's contract. */
export class UnexpectedReceiptError extends HarmonieError {
  readonly hash: string;
  readonly eventName: string;
  constructor(hash: string, eventName: string) {
    super(`Transaction ${hash} succeeded but emitted no ${eventName} event: check the deployment's address.`);
    this.name = "UnexpectedReceiptError";
    this.hash = hash;
    this.eventName = eventName;
  }
}

/** A write needs an account, and the client has none. */
export class AccountRequiredError extends HarmonieError {
  constructor() {
    super("This action sends a transaction: create the client with an `account` (or connect a wallet).");
    this.name = "AccountRequiredError";
  }
}

/** The user declined the request in their wallet. */
export class UserRejectedError extends HarmonieError {
  constructor(options?: { cause?: unknown }) {
    super("The request was rejected in the wallet. Nothing was sent.", options);
    this.name = "UserRejectedError";
  }
}

/** The account cannot pay the value plus gas. */
export class InsufficientFundsError extends HarmonieError {
  constructor(options?: { cause?: unknown }) {
    super("The account does not hold enough CORE for the amount plus gas. Top it up and retry.", options);
    this.name = "InsufficientFundsError";
  }
}

/** Every custom error the protocol's contracts can revert with, generated from their ABIs. */
export type ContractErrorName = keyof ContractErrorArgs;
export type { ContractErrorArgs };

/**
 * A HarmonieCORE contract rejected the call with one of its custom errors. `ContractError<N>` has the
 * literal `errorName` and that error's named `args`; `AnyContractError` is the union over every error,
 * so checking `errorName` (or `isContractError(e, name)`) narrows `args`.
 *
 * @example
 * if (isContractError(err, "HarmonieTippingBelowMinimum")) console.log(err.args.minimum);
 */
export class ContractError<N extends ContractErrorName = ContractErrorName> extends HarmonieError {
  /**
   * The Solidity custom error's name, e.g. `HarmonieTippingBelowMinimum` (its NatSpec in the contract's
   * interface says when it is thrown).
   */
  readonly errorName: N;
  /** Its arguments by their names in the ABI, decoded. */
  readonly args: ContractErrorArgs[N];
  constructor(
    errorName: N,
    args: ContractErrorArgs[N],
    options?: { cause?: unknown; message?: string; token?: string },
  ) {
    super(
      options?.message ??
        `The contract rejected the call: ${errorName}(${describeArgs(args as Record<string, unknown>, options?.token)}).`,
      options,
    );
    this.name = "ContractError";
    this.errorName = errorName;
    this.args = args;
  }
}

/** Any contract error, discriminated by `errorName`: after `e.errorName === "X"`, `e.args` is X's. */
export type AnyContractError = { [N in ContractErrorName]: ContractError<N> }[ContractErrorName];

/**
 * Whether `error` is a contract's custom error — any, or the one named — narrowing `args` to its shape.
 *
 * @example
 * catch (err) { if (isContractError(err, "HarmonieTippingMessageTooLong")) show(err.args.maxLength) }
 */
export function isContractError(error: unknown): error is AnyContractError;
export function isContractError<N extends ContractErrorName>(error: unknown, errorName: N): error is ContractError<N>;
export function isContractError(error: unknown, errorName?: ContractErrorName): boolean {
  return error instanceof ContractError && (errorName === undefined || error.errorName === errorName);
}

// Arguments that count money (wei for CORE, or a token's smallest unit) and votes (18 decimals).
const AMOUNT_ARG =
  /^(amount|minimum|balance|expected|received|sent|price|needed|allowance|refund|supply|floor|increasedSupply)$/;
const VOTES_ARG = /^(votes|threshold)$/;

/**
 * `amount: 0.5 CORE, artist: 0xAbC…` — amounts in CORE unless the error or the call names an ERC-20,
 * whose decimals are not known here (then the raw units); addresses checksummed.
 */
function describeArgs(args: Record<string, unknown>, callToken?: string): string {
  const token = typeof args.token === "string" ? args.token : callToken;
  const inToken = token !== undefined && token.toLowerCase() !== zeroAddress;
  return Object.entries(args)
    .map(([name, value]) => {
      if (typeof value === "bigint" && AMOUNT_ARG.test(name)) {
        return `${name}: ${inToken ? `${value} raw units of token ${getAddress(token)}` : `${formatEther(value)} CORE`}`;
      }
      if (typeof value === "bigint" && VOTES_ARG.test(name)) return `${name}: ${formatEther(value)} votes`;
      if (typeof value === "string" && isAddress(value, { strict: false })) return `${name}: ${getAddress(value)}`;
      return `${name}: ${typeof value === "string" ? JSON.stringify(value) : String(value)}`;
    })
    .join(", ");
}

/**
 * The Core node (the client's RPC) could not be reached or failed at the HTTP level. Names the host
 * only: RPC URLs often carry an API key in their path or query.
 */
export class RpcUnavailableError extends HarmonieError {
  readonly host: string;
  /** The HTTP status, when the node answered with one. */
  readonly status: number | undefined;
  /** Set when a transaction had been sent before the node went away: it may still be mined. */
  readonly hash: Hash | undefined;
  constructor(host: string, options?: { status?: number; hash?: Hash }) {
    const status = options?.status ? ` (HTTP ${options.status})` : "";
    const sent = options?.hash
      ? ` Transaction ${options.hash} had been sent: look it up before sending again.`
      : " Nothing was sent.";
    super(`The Core node at ${host} is not answering${status}. Try again later or use another RPC URL.${sent}`);
    this.name = "RpcUnavailableError";
    this.host = host;
    this.status = options?.status;
    this.hash = options?.hash;
  }
}

/** A transaction was sent, but its receipt could not be awaited (timed out, replaced, dropped). */
export class TransactionUnconfirmedError extends HarmonieError {
  readonly hash: Hash;
  /** How long the SDK waited, in ms, when the wait timed out. */
  readonly timeout: number | undefined;
  constructor(hash: Hash, options?: { cause?: unknown; timeout?: number }) {
    const waited = options?.timeout ? ` within ${options.timeout / 1000} s` : "";
    super(`Transaction ${hash} was sent but not confirmed${waited}: look it up before sending again.`, options);
    this.name = "TransactionUnconfirmedError";
    this.hash = hash;
    this.timeout = options?.timeout;
  }
}

/*
 * Contract errors with a class of their own. Each is a `ContractError` with the contract's `errorName`
 * and `args`, whether the contract raised it or the SDK's pre-check found the call would fail (then
 * nothing was signed or sent).
 */

/** The contract's `TrackStatus` enum, in order: a track that is not active is frozen. */
export const TRACK_STATUSES = ["active", "flagged", "revoked"] as const;
export type TrackStatus = (typeof TRACK_STATUSES)[number];

/** A payment names an ERC-20 that governance has not allow-listed (checked before any approval). */
export class TokenNotAllowedError extends ContractError<
  "HarmonieTippingTokenNotAllowed" | "ContentRegistryTokenNotAllowed"
> {
  readonly token: `0x${string}`;
  constructor(
    token: `0x${string}`,
    errorName: "HarmonieTippingTokenNotAllowed" | "ContentRegistryTokenNotAllowed" = "HarmonieTippingTokenNotAllowed",
    options?: { cause?: unknown },
  ) {
    super(
      errorName,
      { token },
      {
        ...options,
        message: `${token} is not a payment token of HarmonieCORE: pay in CORE or in an allow-listed token.`,
      },
    );
    this.name = "TokenNotAllowedError";
    this.token = token;
  }
}

/** No track is registered under this id (or ISRC). */
export class UnknownTrackError extends ContractError<"ContentRegistryUnknownTrack"> {
  readonly trackId: bigint;
  constructor(trackId: bigint, options?: { cause?: unknown }) {
    super(
      "ContentRegistryUnknownTrack",
      { trackId },
      {
        ...options,
        message: `No track is registered with id ${trackId}. Check the ISRC.`,
      },
    );
    this.name = "UnknownTrackError";
    this.trackId = trackId;
  }
}

/** The track is flagged (disputed) or revoked by governance: no sales, edits or transfers. */
export class TrackFrozenError extends ContractError<"ContentRegistryTrackFrozen"> {
  readonly trackId: bigint;
  readonly status: Exclude<TrackStatus, "active">;
  constructor(trackId: bigint, status: Exclude<TrackStatus, "active">, options?: { cause?: unknown }) {
    super(
      "ContentRegistryTrackFrozen",
      { trackId, status: TRACK_STATUSES.indexOf(status) },
      {
        ...options,
        message:
          status === "flagged"
            ? `Track ${trackId} is flagged by the DAO as disputed: it is frozen until the dispute is decided.`
            : `Track ${trackId} was revoked by the DAO: it is frozen for good.`,
      },
    );
    this.name = "TrackFrozenError";
    this.trackId = trackId;
    this.status = status;
  }
}

/** The licence offer is not on sale (the artist took it off). */
export class LicenseOfferInactiveError extends ContractError<"ContentRegistryOfferInactive"> {
  readonly trackId: bigint;
  readonly offerId: bigint;
  constructor(trackId: bigint, offerId: bigint, options?: { cause?: unknown }) {
    super(
      "ContentRegistryOfferInactive",
      { trackId, offerId },
      {
        ...options,
        message: `Licence offer ${offerId} of track ${trackId} is not on sale. Choose another offer.`,
      },
    );
    this.name = "LicenseOfferInactiveError";
    this.trackId = trackId;
    this.offerId = offerId;
  }
}

/** Every licence the offer's supply cap allows has been issued. */
export class LicenseSoldOutError extends ContractError<"ContentRegistrySupplyExhausted"> {
  readonly trackId: bigint;
  readonly offerId: bigint;
  constructor(trackId: bigint, offerId: bigint, options?: { cause?: unknown }) {
    super(
      "ContentRegistrySupplyExhausted",
      { trackId, offerId },
      {
        ...options,
        message: `Licence offer ${offerId} of track ${trackId} is sold out. Choose another offer.`,
      },
    );
    this.name = "LicenseSoldOutError";
    this.trackId = trackId;
    this.offerId = offerId;
  }
}

/** The buyer already holds as many licences of this offer as one account may buy. */
export class LicenseBuyerLimitError extends ContractError<"ContentRegistryBuyerLimitReached"> {
  readonly trackId: bigint;
  readonly offerId: bigint;
  readonly limit: bigint;
  constructor(trackId: bigint, offerId: bigint, limit: bigint, options?: { cause?: unknown }) {
    super(
      "ContentRegistryBuyerLimitReached",
      { trackId, offerId, limit },
      {
        ...options,
        message: `One account may buy ${limit} licence(s) of offer ${offerId} of track ${trackId}, and this one has.`,
      },
    );
    this.name = "LicenseBuyerLimitError";
    this.trackId = trackId;
    this.offerId = offerId;
    this.limit = limit;
  }
}

/** The ISRC's registrant code is claimed by a label or distributor, whose signed approval is needed. */
export class RegistrantApprovalRequiredError extends ContractError<"ContentRegistryRegistrantApprovalRequired"> {
  readonly isrc: string;
  readonly registrant: `0x${string}`;
  constructor(isrc: string, registrant: `0x${string}`, options?: { cause?: unknown }) {
    super(
      "ContentRegistryRegistrantApprovalRequired",
      { isrc, registrant },
      {
        ...options,
        message: `${isrc} is under a registrant code claimed by ${registrant}: ask the registrant for an approval (signTrackApproval) and pass it as \`approval\`.`,
      },
    );
    this.name = "RegistrantApprovalRequiredError";
    this.isrc = isrc;
    this.registrant = registrant;
  }
}

/** A registrant's signed approval is past its deadline. */
export class ApprovalExpiredError extends ContractError<"ContentRegistryApprovalExpired"> {
  /** Unix seconds. */
  readonly deadline: bigint;
  constructor(deadline: bigint, options?: { cause?: unknown }) {
    super(
      "ContentRegistryApprovalExpired",
      { deadline },
      {
        ...options,
        message: `The registrant's approval expired at ${deadline} (unix seconds): ask for a new one.`,
      },
    );
    this.name = "ApprovalExpiredError";
    this.deadline = deadline;
  }
}

/** A registrant code is not `CC-XXX` (hyphen optional, any case): the first five characters of an ISRC. */
export class InvalidRegistrantCodeError extends HarmonieError {
  readonly input: string;
  constructor(input: string) {
    super(
      `"${truncate(input)}" is not a valid registrant code: expect 2 letters (country) and 3 letters or digits (registrant), e.g. US-RC1.`,
    );
    this.name = "InvalidRegistrantCodeError";
    this.input = input;
  }
}

/** A tip session's key can no longer tip: its tab expired or was closed. */
export class TipSessionExpiredError extends HarmonieError {
  readonly key: string;
  constructor(key: string, reason: "expired" | "closed") {
    super(`The tip session ${key} is ${reason}: start a new session to keep tipping without prompts.`);
    this.name = "TipSessionExpiredError";
    this.key = key;
  }
}

/** A tip is larger than what is left of the session's budget (its tab). */
export class TipSessionBudgetError extends HarmonieError {
  readonly amount: bigint;
  readonly remaining: bigint;
  constructor(amount: bigint, remaining: bigint) {
    super(`This tip (${amount}) is more than the session has left (${remaining}): top up the session or tip less.`);
    this.name = "TipSessionBudgetError";
    this.amount = amount;
    this.remaining = remaining;
  }
}

/** A transaction was mined but reverted (e.g. state changed between simulation and inclusion). */
export class TransactionRevertedError extends HarmonieError {
  readonly hash: string;
  constructor(hash: string) {
    super(`Transaction ${hash} was mined but reverted. Check the state and retry.`);
    this.name = "TransactionRevertedError";
    this.hash = hash;
  }
}

/** A Sign-In with Ethereum message or session failed verification. */
export class SignInError extends HarmonieError {
  constructor(reason: string, options?: { cause?: unknown }) {
    super(`Sign-in failed: ${reason}. Sign in again.`, options);
    this.name = "SignInError";
  }
}

/** The wallet has no access to an exclusive track: buy a licence first. */
export class AccessDeniedError extends HarmonieError {
  readonly trackId: bigint;
  readonly account: string;
  constructor(trackId: bigint, account: string) {
    super(`${account} has no access to track ${trackId}: buy one of its licences to unlock it.`);
    this.name = "AccessDeniedError";
    this.trackId = trackId;
    this.account = account;
  }
}

/** The indexer (subgraph GraphQL endpoint) failed or rejected a query. */
export class IndexerError extends HarmonieError {
  readonly url: string;
  /** GraphQL error messages, when the endpoint answered with some. */
  readonly errors: readonly string[];
  constructor(url: string, reason: string, errors: readonly string[] = [], options?: { cause?: unknown }) {
    super(`Indexer ${url}: ${reason}${errors.length ? ` — ${errors.join("; ")}` : ""}`, options);
    this.name = "IndexerError";
    this.url = url;
    this.errors = errors;
  }
}
