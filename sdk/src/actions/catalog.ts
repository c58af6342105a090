import { type Address, type Hex, isAddressEqual, zeroAddress } from "viem";
import { signTypedData } from "viem/actions";
import type { Deployment } from "../deployments.ts";
import {
  AccountRequiredError,
  type AnyContractError,
  ApprovalExpiredError,
  type ContractError,
  InvalidInputError,
  LicenseBuyerLimitError,
  LicenseOfferInactiveError,
  LicenseSoldOutError,
  RegistrantApprovalRequiredError,
  TRACK_STATUSES,
  TrackFrozenError,
  type TrackStatus,
  UnknownTrackError,
} from "../errors.ts";
import { contentRegistryAbi } from "../generated/abis.ts";
import { protocolLimits } from "../generated/protocol.ts";
import { formatIsrc, formatRegistrantCode, licenseTokenId, registrantCodeOf, trackIdFromIsrc } from "../isrc.ts";
import {
  type DeploymentOption,
  type HarmonieClient,
  type WriteOptions,
  type WriteResult,
  addressOf,
  type CallContext,
  contractCall,
  inOrder,
  read as readAny,
  requireWallet,
  resolveDeployment,
  send as sendAny,
  toHarmonieError,
  waitAsAsked,
} from "./internal.ts";
import { CORE, approveExactly, isCore } from "./tipping.ts";

/** The registry's errors that have a class of their own; other errors stay a plain `ContractError`. */
function licensingError(error: AnyContractError, options: { cause: unknown }): ContractError | undefined {
  switch (error.errorName) {
    case "ContentRegistryUnknownTrack":
      return new UnknownTrackError(error.args.trackId, options);
    case "ContentRegistryTrackFrozen": {
      const revoked = TRACK_STATUSES[error.args.status] === "revoked";
      return new TrackFrozenError(error.args.trackId, revoked ? "revoked" : "flagged", options);
    }
    case "ContentRegistryOfferInactive":
      return new LicenseOfferInactiveError(error.args.trackId, error.args.offerId, options);
    case "ContentRegistrySupplyExhausted":
      return new LicenseSoldOutError(error.args.trackId, error.args.offerId, options);
    case "ContentRegistryBuyerLimitReached":
      return new LicenseBuyerLimitError(error.args.trackId, error.args.offerId, error.args.limit, options);
    case "ContentRegistryRegistrantApprovalRequired":
      return new RegistrantApprovalRequiredError(error.args.isrc, error.args.registrant, options);
    case "ContentRegistryApprovalExpired":
      return new ApprovalExpiredError(error.args.deadline, options);
  }
}

// Catalog actions read and write with the licensing classes; the core (and a tip-only bundle) has none.
const licensing: CallContext = { refine: licensingError };
const read: typeof readAny = (client, call, context) => readAny(client, call, { ...licensing, ...context });
const send: typeof sendAny = (client, deployment, call, eventName, context) =>
  sendAny(client, deployment, call, eventName, { ...licensing, ...context });

const { MAX_SPLITS, MAX_OFFERS, MAX_ROYALTY_BPS, BPS } = protocolLimits.ContentRegistry;

const registry = (deployment: Deployment) =>
  ({ address: addressOf(deployment, "ContentRegistry"), abi: contentRegistryAbi }) as const;

/** A track named by its on-chain id or by its ISRC (plain or hyphenated, any case). */
export type TrackRef = { trackId: bigint } | { isrc: string };

const trackIdOf = (ref: TrackRef) => ("trackId" in ref ? ref.trackId : trackIdFromIsrc(ref.isrc));

const orNone = (address: Address) => (address === zeroAddress ? undefined : address);

/** A collaborator's share of licence revenue and royalties, in basis points (all shares sum to the contract's `BPS`, 100%). */
export interface Split {
  recipient: Address;
  bps: number;
}

/** Licence terms (in the spirit of Story Protocol's PIL). */
export interface LicenseTerms {
  /** What the licence is priced in: CORE when omitted, else an allow-listed ERC-20 (see `paymentTokens`). */
  token?: Address;
  /** Price in the token's smallest unit (CORE: wei; USDC: 6 decimals); 0 = free. */
  price: bigint;
  /** Most licences ever issued; 0 = unlimited. For timed offers it counts holders (renewals are free of it). */
  supplyCap?: number;
  /** Most licences one account may buy; 0 = unlimited. Renewals do not count. */
  perBuyerLimit?: number;
  /**
   * Seconds a licence lasts; 0 = perpetual (transferable, with EIP-2981 royalties). Buying a timed
   * licence again renews it: the expiry moves on by `duration`, no new token, no cap used.
   */
  duration?: bigint;
  commercialUse?: boolean;
  derivativesAllowed?: boolean;
}

/** A registrant's signed permission for an artist to register one ISRC under its code (`signTrackApproval`). */
export interface TrackApproval {
  /** Unix seconds; the approval is refused after it. */
  deadline: bigint;
  signature: Hex;
}

export interface RegisterTrackParams extends WriteOptions {
  /** Plain or hyphenated, any case: normalised before it is sent. */
  isrc: string;
  /** CID of the track package directory (see `addTrackPackage`). */
  metadataCid: string;
  exclusive?: boolean;
  /** Resale royalty, basis points (at most the contract's `MAX_ROYALTY_BPS`), credited to the splits. */
  royaltyBps?: number;
  splits: readonly Split[];
  offers?: readonly LicenseTerms[];
  /** Needed when the ISRC's registrant code is claimed by someone other than the caller. */
  approval?: TrackApproval;
}

function terms(offer: LicenseTerms) {
  return {
    token: offer.token ?? CORE,
    price: offer.price,
    supplyCap: offer.supplyCap ?? 0,
    perBuyerLimit: offer.perBuyerLimit ?? 0,
    duration: offer.duration ?? 0n,
    commercialUse: offer.commercialUse ?? false,
    derivativesAllowed: offer.derivativesAllowed ?? false,
  };
}

/** Checks splits before any RPC call: the contract would reject them with less context. */
function validateSplits(splits: readonly Split[]) {
  if (splits.length === 0 || splits.length > MAX_SPLITS) {
    throw new InvalidInputError(`A track needs 1 to ${MAX_SPLITS} revenue splits, got ${splits.length}.`);
  }
  const total = splits.reduce((sum, split) => sum + split.bps, 0);
  if (total !== BPS) {
    throw new InvalidInputError(
      `Revenue splits must sum to ${BPS.toLocaleString("en-US")} basis points, got ${total}.`,
    );
  }
}

const splitArgs = (splits: readonly Split[]) => splits.map(({ recipient, bps }) => ({ recipient, bps }));

/**
 * The contract call registering a track: `registerTrackWithApproval` when an approval is given.
 *
 * @example
 * const call = registerTrackCall({ deployment, isrc: "US-RC1-76-07839", metadataCid, splits: [{ recipient: me, bps: 10_000 }] });
 */
export function registerTrackCall(params: RegisterTrackParams & { deployment: Deployment }) {
  validateSplits(params.splits);
  const royaltyBps = params.royaltyBps ?? 0;
  if (royaltyBps > MAX_ROYALTY_BPS) {
    throw new InvalidInputError(`A resale royalty is at most ${MAX_ROYALTY_BPS} basis points, got ${royaltyBps}.`);
  }
  if ((params.offers?.length ?? 0) > MAX_OFFERS) {
    throw new InvalidInputError(`A track has at most ${MAX_OFFERS} licence offers, got ${params.offers!.length}.`);
  }
  const input = {
    isrc: formatIsrc(params.isrc),
    metadataCid: params.metadataCid,
    exclusive: params.exclusive ?? false,
    royaltyBps,
    splits: splitArgs(params.splits),
    offers: (params.offers ?? []).map(terms),
  };
  const contract = registry(params.deployment);
  return params.approval
    ? contractCall({
        ...contract,
        functionName: "registerTrackWithApproval",
        args: [input, params.approval.deadline, params.approval.signature],
      })
    : contractCall({ ...contract, functionName: "registerTrack", args: [input] });
}

/**
 * Registers a track owned by the caller and returns its id (the packed ISRC). Under a registrant code
 * a label or distributor has claimed, pass the registrant's `approval` (`signTrackApproval`); without
 * one the SDK checks the code first and refuses before sending.
 *
 * @example
 * const { trackId } = await registerTrack(walletClient, {
 *   isrc: "US-RC1-76-07839", metadataCid, exclusive: true,
 *   splits: [{ recipient: artist, bps: 10_000 }],
 *   offers: [{ price: parseEther("5") }, { token: usdc.address, price: parseUnits("3", 6), duration: 30n * 86_400n }],
 * });
 * @throws InvalidIsrcError, InvalidInputError, RegistrantApprovalRequiredError, ApprovalExpiredError,
 *   TokenNotAllowedError (an offer in a token off the allow-list), ContractError (`ContentRegistryDuplicateIsrc` …)
 */
export async function registerTrack(client: HarmonieClient, params: RegisterTrackParams) {
  const deployment = resolveDeployment(client, params);
  const call = registerTrackCall({ ...params, deployment });
  if (!params.approval) {
    const account = await requireWallet(client, deployment);
    const registrant = await getRegistrant(client, { deployment, isrc: params.isrc });
    if (registrant && !isAddressEqual(registrant, account.address)) {
      throw new RegistrantApprovalRequiredError(formatIsrc(params.isrc), registrant);
    }
  }
  const { hash, receipt, event } = await send(client, deployment, call, "TrackRegistered", waitAsAsked(params));
  const { trackId, registrant } = event;
  return { hash, receipt, trackId, registrant: orNone(registrant) };
}

/**
 * The EIP-712 typed data of a registrant's track approval — for `signTrackApproval`, or a wallet
 * library's own `signTypedData` (wagmi's `useSignTypedData`).
 *
 * @example
 * signTypedData(trackApprovalTypedData({ deployment, isrc: "US-RC1-76-07839", artist, deadline }));
 */
export function trackApprovalTypedData(params: {
  deployment: Deployment;
  isrc: string;
  artist: Address;
  deadline: bigint;
}) {
  return {
    domain: {
      name: "ContentRegistry",
      version: "2",
      chainId: params.deployment.chainId,
      verifyingContract: registry(params.deployment).address,
    },
    types: {
      TrackApproval: [
        { name: "isrc", type: "string" },
        { name: "artist", type: "address" },
        { name: "deadline", type: "uint256" },
      ],
    },
    primaryType: "TrackApproval",
    message: { isrc: formatIsrc(params.isrc), artist: params.artist, deadline: params.deadline },
  } as const;
}

/**
 * Signs, as the registrant of the ISRC's code, the approval an artist needs to register it. The artist
 * then passes `{ deadline, signature }` as `approval` to `registerTrack` (and pays its gas). The
 * approval binds the ISRC, the artist and the deadline.
 *
 * @example
 * const deadline = BigInt(Math.floor(Date.now() / 1000) + 7 * 86_400);
 * const signature = await signTrackApproval(labelWallet, { isrc: "US-RC1-76-07839", artist, deadline });
 * await registerTrack(artistWallet, { ...track, approval: { deadline, signature } });
 */
export async function signTrackApproval(
  client: HarmonieClient,
  params: DeploymentOption & { isrc: string; artist: Address; deadline: bigint },
): Promise<Hex> {
  const account = client.account;
  if (!account) throw new AccountRequiredError();
  const typedData = trackApprovalTypedData({ ...params, deployment: resolveDeployment(client, params) });
  try {
    return await signTypedData(client, { account, ...typedData });
  } catch (error) {
    throw toHarmonieError(error, licensing);
  }
}

/**
 * Who holds a registrant code (`US-RC1` or `USRC1`, any case), or the code of an ISRC: the label or
 * distributor governance assigned it to; `undefined` while unclaimed (first come, first served).
 *
 * @example
 * const label = await getRegistrant(publicClient, { code: "US-RC1" });
 * @throws InvalidRegistrantCodeError, InvalidIsrcError
 */
export async function getRegistrant(
  client: HarmonieClient,
  params: DeploymentOption & ({ code: string } | { isrc: string }),
): Promise<Address | undefined> {
  const deployment = resolveDeployment(client, params);
  const code = "code" in params ? formatRegistrantCode(params.code) : registrantCodeOf(params.isrc);
  return orNone(await read(client, { ...registry(deployment), functionName: "registrantOf", args: [code] }));
}

/** Points a track at a new metadata package. Artist only. */
export async function updateTrackMetadata(
  client: HarmonieClient,
  params: WriteOptions & { trackId: bigint; metadataCid: string },
): Promise<WriteResult> {
  const deployment = resolveDeployment(client, params);
  const call = updateTrackMetadataCall({ ...params, deployment });
  const { hash, receipt } = await send(client, deployment, call, "TrackMetadataUpdated", waitAsAsked(params));
  return { hash, receipt };
}

/** The contract call pointing a track at a new metadata package. */
export function updateTrackMetadataCall(params: { deployment: Deployment; trackId: bigint; metadataCid: string }) {
  return contractCall({
    ...registry(params.deployment),
    functionName: "updateMetadata",
    args: [params.trackId, params.metadataCid],
  });
}

/** Adds a licence offer to a track. Artist only. Returns the offer id and its token id. */
export async function addLicenseOffer(
  client: HarmonieClient,
  params: WriteOptions & { trackId: bigint; terms: LicenseTerms },
) {
  const deployment = resolveDeployment(client, params);
  const call = addLicenseOfferCall({ ...params, deployment });
  const { hash, receipt, event } = await send(client, deployment, call, "LicenseOfferCreated", waitAsAsked(params));
  const { offerId, tokenId } = event;
  return { hash, receipt, offerId, tokenId };
}

/** The contract call adding a licence offer to a track. */
export function addLicenseOfferCall(params: { deployment: Deployment; trackId: bigint; terms: LicenseTerms }) {
  return contractCall({
    ...registry(params.deployment),
    functionName: "addOffer",
    args: [params.trackId, terms(params.terms)],
  });
}

/** Changes an offer's price (in the offer's token). Artist only. */
export async function setLicensePrice(
  client: HarmonieClient,
  params: WriteOptions & { trackId: bigint; offerId: bigint; price: bigint },
): Promise<WriteResult> {
  const deployment = resolveDeployment(client, params);
  const call = setLicensePriceCall({ ...params, deployment });
  const { hash, receipt } = await send(client, deployment, call, "LicenseOfferPriceUpdated", waitAsAsked(params));
  return { hash, receipt };
}

/** The contract call changing an offer's price. */
export function setLicensePriceCall(params: {
  deployment: Deployment;
  trackId: bigint;
  offerId: bigint;
  price: bigint;
}) {
  return contractCall({
    ...registry(params.deployment),
    functionName: "setOfferPrice",
    args: [params.trackId, params.offerId, params.price],
  });
}

/** Takes an offer off sale or puts it back. Artist only. */
export async function setLicenseOfferActive(
  client: HarmonieClient,
  params: WriteOptions & { trackId: bigint; offerId: bigint; active: boolean },
): Promise<WriteResult> {
  const deployment = resolveDeployment(client, params);
  const call = setLicenseOfferActiveCall({ ...params, deployment });
  const { hash, receipt } = await send(client, deployment, call, "LicenseOfferStatusUpdated", waitAsAsked(params));
  return { hash, receipt };
}

/** The contract call taking an offer off sale or putting it back. */
export function setLicenseOfferActiveCall(params: {
  deployment: Deployment;
  trackId: bigint;
  offerId: bigint;
  active: boolean;
}) {
  return contractCall({
    ...registry(params.deployment),
    functionName: "setOfferActive",
    args: [params.trackId, params.offerId, params.active],
  });
}

export type PurchaseLicenseParams = WriteOptions &
  TrackRef & {
    offerId: bigint;
    /** The app that brought the buyer: it earns a share of the platform fee. `createHarmonieClient` sets it. */
    referrer?: Address;
  };

/**
 * The contract call buying (or renewing) a licence, for viem's `simulateContract` or wagmi. The offer's
 * token and price must be known (`getLicenseOffer`): a CORE offer carries exactly the price, a token
 * offer no CORE and needs an allowance of the price first (`purchaseLicense` approves it).
 */
export function purchaseLicenseCall(
  params: PurchaseLicenseParams & { deployment: Deployment; price: bigint; token?: Address },
) {
  const args = [trackIdOf(params), params.offerId, params.referrer ?? zeroAddress] as const;
  const contract = registry(params.deployment);
  return isCore(params.token)
    ? contractCall({ ...contract, functionName: "purchaseLicense", args, value: params.price })
    : contractCall({ ...contract, functionName: "purchaseLicense", args });
}

/** A licence bought or renewed, as the `LicensePurchased` event tells it. */
export interface LicensePurchaseResult extends WriteResult {
  trackId: bigint;
  offerId: bigint;
  buyer: Address;
  tokenId: bigint;
  /** What it was paid in (`CORE`: native). */
  token: Address;
  price: bigint;
  /** The platform fee, of which `referralFee` went to the referrer. */
  fee: bigint;
  referrer: Address;
  referralFee: bigint;
  /** The buyer's access to the track ends then (unix seconds); 0 for a perpetual licence. */
  expiresAt: bigint;
  /** True when a timed licence the buyer held was extended rather than a new one issued. */
  renewal: boolean;
}

/**
 * Buys one licence under an offer at its on-chain price, in CORE or the offer's token (approving
 * exactly the price first: a second wallet confirmation). Buying a timed licence the caller holds
 * renews it: `expiresAt` moves on by the offer's duration. Before anything is signed it refuses a
 * frozen track, an offer off sale, sold out or at the caller's per-buyer limit, and a token off the
 * allow-list.
 *
 * @example
 * const { tokenId, expiresAt, renewal } = await purchaseLicense(walletClient, { isrc: "US-RC1-76-07839", offerId: 0n });
 * @throws UnknownTrackError, TrackFrozenError, LicenseOfferInactiveError, LicenseSoldOutError,
 *   LicenseBuyerLimitError, TokenNotAllowedError, WrongChainError, InsufficientFundsError, UserRejectedError,
 *   ContractError (e.g. `ContentRegistryUnknownOffer`)
 */
export async function purchaseLicense(
  client: HarmonieClient,
  params: PurchaseLicenseParams,
): Promise<LicensePurchaseResult> {
  const deployment = resolveDeployment(client, params);
  const account = await requireWallet(client, deployment);
  const trackId = trackIdOf(params);
  const { offerId } = params;
  const [track, offer, held, bought] = await inOrder([
    getTrack(client, { deployment, trackId }),
    getLicenseOffer(client, { deployment, trackId, offerId }),
    getLicenseBalance(client, { deployment, account: account.address, trackId, offerId }),
    getLicensePurchases(client, { deployment, account: account.address, trackId, offerId }),
  ]);
  if (track.status !== "active") throw new TrackFrozenError(trackId, track.status);
  if (!offer.active) throw new LicenseOfferInactiveError(trackId, offerId);
  // The contract's rule: holding a timed licence makes this a renewal, which neither cap counts.
  if (offer.duration === 0n || held === 0n) {
    if (offer.supplyCap !== 0 && offer.issued >= offer.supplyCap) throw new LicenseSoldOutError(trackId, offerId);
    if (offer.perBuyerLimit !== 0 && bought >= BigInt(offer.perBuyerLimit)) {
      throw new LicenseBuyerLimitError(trackId, offerId, BigInt(offer.perBuyerLimit));
    }
  }
  if (!isCore(offer.token)) {
    await approveExactly(client, deployment, {
      token: offer.token,
      amount: offer.price,
      spender: registry(deployment).address,
      refusal: "ContentRegistryTokenNotAllowed",
      receiptTimeout: params.receiptTimeout,
    });
  }
  const call = purchaseLicenseCall({ ...params, deployment, trackId, token: offer.token, price: offer.price });
  const { hash, receipt, event } = await send(client, deployment, call, "LicensePurchased", waitAsAsked(params));
  return { hash, receipt, ...event };
}

/** A withdrawal of licence revenue in one token. */
export interface LicenseWithdrawalResult extends WriteResult {
  account: Address;
  to: Address;
  token: Address;
  amount: bigint;
}

/**
 * Withdraws the caller's licence revenue and royalties (as a collaborator or referrer) in one token —
 * CORE by default — to the caller or to `to`.
 *
 * @example
 * const { amount } = await withdrawLicenseEarnings(walletClient, { token: usdc.address });
 */
export async function withdrawLicenseEarnings(
  client: HarmonieClient,
  params: WriteOptions & { token?: Address; to?: Address } = {},
): Promise<LicenseWithdrawalResult> {
  const deployment = resolveDeployment(client, params);
  const call = withdrawLicenseEarningsCall({ ...params, deployment });
  const { hash, receipt, event } = await send(client, deployment, call, "EarningsWithdrawn", waitAsAsked(params));
  return { hash, receipt, ...event };
}

/** The contract call withdrawing licence revenue in one token (CORE by default), to the caller or `to`. */
export function withdrawLicenseEarningsCall(params: { deployment: Deployment; token?: Address; to?: Address }) {
  const contract = registry(params.deployment);
  const token = params.token ?? CORE;
  return params.to
    ? contractCall({ ...contract, functionName: "withdrawTo", args: [token, params.to] })
    : contractCall({ ...contract, functionName: "withdraw", args: [token] });
}

/**
 * Credits to a track's splits what marketplaces paid its royalty address (EIP-2981) in one token, CORE
 * by default. Anyone may call; each collaborator then withdraws their share.
 *
 * @example
 * const { amount } = await collectRoyalties(walletClient, { trackId });
 * @throws ContractError `ContentRegistryNoRoyalties` when there is nothing to collect; TrackFrozenError
 */
export async function collectRoyalties(client: HarmonieClient, params: WriteOptions & TrackRef & { token?: Address }) {
  const deployment = resolveDeployment(client, params);
  const call = collectRoyaltiesCall({ ...params, deployment });
  const { hash, receipt, event } = await send(client, deployment, call, "RoyaltiesCollected", waitAsAsked(params));
  return { hash, receipt, ...event };
}

/** The contract call crediting a track's collected royalties in one token (CORE by default) to its splits. */
export function collectRoyaltiesCall(params: TrackRef & { deployment: Deployment; token?: Address }) {
  return contractCall({
    ...registry(params.deployment),
    functionName: "collectRoyalties",
    args: [trackIdOf(params), params.token ?? CORE],
  });
}

/**
 * The address EIP-2981 names for a track's resale royalties (a per-track vault, known before it exists).
 *
 * @example
 * const payTo = await getRoyaltyAddress(publicClient, { isrc: "US-RC1-76-07839" });
 */
export async function getRoyaltyAddress(client: HarmonieClient, params: DeploymentOption & TrackRef) {
  const deployment = resolveDeployment(client, params);
  return read(client, {
    ...registry(deployment),
    functionName: "royaltyAddressOf",
    args: [trackIdOf(params)],
  });
}

/**
 * Offers the caller's track to another address (a new account, a label), which takes it with
 * `acceptTrackTransfer`; `to: zeroAddress` withdraws the offer. Splits do not change.
 *
 * @example
 * await offerTrackTransfer(artistWallet, { trackId, to: newAccount });
 * await acceptTrackTransfer(newAccountWallet, { trackId });
 */
export async function offerTrackTransfer(client: HarmonieClient, params: WriteOptions & TrackRef & { to: Address }) {
  const deployment = resolveDeployment(client, params);
  const call = offerTrackTransferCall({ ...params, deployment });
  const { hash, receipt, event } = await send(client, deployment, call, "TrackTransferOffered", waitAsAsked(params));
  return { hash, receipt, ...event };
}

/** The contract call offering the caller's track to `to` (`zeroAddress` withdraws the offer). */
export function offerTrackTransferCall(params: TrackRef & { deployment: Deployment; to: Address }) {
  return contractCall({
    ...registry(params.deployment),
    functionName: "offerTrackTransfer",
    args: [trackIdOf(params), params.to],
  });
}

/** Takes a track offered to the caller: the caller becomes its artist. */
export async function acceptTrackTransfer(client: HarmonieClient, params: WriteOptions & TrackRef) {
  const deployment = resolveDeployment(client, params);
  const call = acceptTrackTransferCall({ ...params, deployment });
  const { hash, receipt, event } = await send(client, deployment, call, "TrackTransferred", waitAsAsked(params));
  return { hash, receipt, ...event };
}

/** The contract call taking a track offered to the caller. */
export function acceptTrackTransferCall(params: TrackRef & { deployment: Deployment }) {
  return contractCall({
    ...registry(params.deployment),
    functionName: "acceptTrackTransfer",
    args: [trackIdOf(params)],
  });
}

/**
 * Who a track is being offered to, or `undefined` when no transfer is pending.
 *
 * @example
 * if ((await getPendingArtist(publicClient, { trackId })) === account) showAcceptButton();
 */
export async function getPendingArtist(
  client: HarmonieClient,
  params: DeploymentOption & TrackRef,
): Promise<Address | undefined> {
  const deployment = resolveDeployment(client, params);
  return orNone(
    await read(client, {
      ...registry(deployment),
      functionName: "pendingArtistOf",
      args: [trackIdOf(params)],
    }),
  );
}

export type ReassignTrackParams = WriteOptions &
  TrackRef & {
    /** The rightful artist. */
    artist: Address;
    splits: readonly Split[];
    /** A new metadata package; the current one stays when omitted. */
    metadataCid?: string;
    /** Public, in the `TrackReassigned` event. */
    reason: string;
  };

/**
 * The contract call giving a track to its rightful artist with new splits — as a governance proposal
 * action (any track) or for the ISRC code's registrant (`reassignTrack`).
 *
 * @example
 * const call = reassignTrackCall({ deployment, trackId, artist, splits: [{ recipient: artist, bps: 10_000 }], reason });
 * await propose(wallet, { calls: [call], description: "Give US-RC1-76-07839 back to its artist" });
 */
export function reassignTrackCall(params: ReassignTrackParams & { deployment: Deployment }) {
  validateSplits(params.splits);
  return contractCall({
    ...registry(params.deployment),
    functionName: "reassignTrack",
    args: [trackIdOf(params), params.artist, splitArgs(params.splits), params.metadataCid ?? "", params.reason],
  });
}

/**
 * As the registrant of the ISRC's code, gives a squatted or disputed track under the code to its rightful
 * artist with new splits; the track becomes active again. (A revoked track only governance can reassign:
 * propose `reassignTrackCall`.) Revenue already credited stays with whoever earned it.
 *
 * @example
 * await reassignTrack(labelWallet, { isrc: "US-RC1-76-07839", artist, splits: [{ recipient: artist, bps: 10_000 }], reason: "Our artist's release" });
 * @throws ContractError `ContentRegistryNotRegistrant`, `ContentRegistryWrongStatus`
 */
export async function reassignTrack(client: HarmonieClient, params: ReassignTrackParams) {
  const deployment = resolveDeployment(client, params);
  const { hash, receipt, event } = await send(
    client,
    deployment,
    reassignTrackCall({ ...params, deployment }),
    "TrackReassigned",
    waitAsAsked(params),
  );
  const reassigned = event;
  const { trackId, previousArtist, artist, by, reason } = reassigned;
  return { hash, receipt, trackId, previousArtist, artist, by, reason };
}

/**
 * The governance action flagging a track as disputed (frozen until unflagged, revoked or reassigned).
 *
 * @example
 * await propose(wallet, { calls: [flagTrackCall({ deployment, isrc, reason: "Claimed by its label" })], description });
 */
export function flagTrackCall(params: TrackRef & { deployment: Deployment; reason: string }) {
  return contractCall({
    ...registry(params.deployment),
    functionName: "flagTrack",
    args: [trackIdOf(params), params.reason],
  });
}

/**
 * The governance action lifting a dispute flag.
 *
 * @example
 * await propose(wallet, { calls: [unflagTrackCall({ deployment, trackId })], description: "Dispute settled" });
 */
export function unflagTrackCall(params: TrackRef & { deployment: Deployment }) {
  return contractCall({ ...registry(params.deployment), functionName: "unflagTrack", args: [trackIdOf(params)] });
}

/**
 * The governance action revoking a track for good (licence holders keep their access).
 *
 * @example
 * await propose(wallet, { calls: [revokeTrackCall({ deployment, trackId, reason: "Infringing" })], description });
 */
export function revokeTrackCall(params: TrackRef & { deployment: Deployment; reason: string }) {
  return contractCall({
    ...registry(params.deployment),
    functionName: "revokeTrack",
    args: [trackIdOf(params), params.reason],
  });
}

/**
 * The governance action assigning a registrant code (`US-RC1` / `USRC1`) to a label or distributor;
 * `registrant: zeroAddress` makes it unclaimed again.
 *
 * @example
 * await propose(wallet, { calls: [setRegistrantCall({ deployment, code: "US-RC1", registrant: label })], description: "US-RC1 to its label" });
 * @throws InvalidRegistrantCodeError
 */
export function setRegistrantCall(params: { deployment: Deployment; code: string; registrant: Address }) {
  return contractCall({
    ...registry(params.deployment),
    functionName: "setRegistrant",
    args: [formatRegistrantCode(params.code), params.registrant],
  });
}

/** A registered track as the contract stores it. */
export interface Track {
  trackId: bigint;
  artist: Address;
  isrc: string;
  metadataCid: string;
  exclusive: boolean;
  /** "flagged" (disputed) and "revoked" tracks are frozen: no sales, edits or transfers, no royalties. */
  status: TrackStatus;
  royaltyBps: number;
  offerCount: number;
}

/**
 * Reads a track by id or ISRC.
 *
 * @example
 * const track = await getTrack(publicClient, { isrc: "US-RC1-76-07839" });
 * @throws UnknownTrackError
 */
export async function getTrack(client: HarmonieClient, params: DeploymentOption & TrackRef): Promise<Track> {
  const deployment = resolveDeployment(client, params);
  const trackId = trackIdOf(params);
  const [artist, isrc, metadataCid, exclusive, status, royaltyBps, offerCount] = await read(client, {
    ...registry(deployment),
    functionName: "trackOf",
    args: [trackId],
  });
  return {
    trackId,
    artist,
    isrc,
    metadataCid,
    exclusive,
    status: TRACK_STATUSES[status],
    royaltyBps,
    offerCount: Number(offerCount),
  };
}

/** A track's revenue splits. */
export async function getSplits(client: HarmonieClient, params: DeploymentOption & { trackId: bigint }) {
  const deployment = resolveDeployment(client, params);
  return read(client, { ...registry(deployment), functionName: "splitsOf", args: [params.trackId] });
}

/** A licence offer as stored: its terms, how many licences were issued and whether it is on sale. */
export interface LicenseOffer {
  /** `CORE` (the zero address) or the ERC-20 the price is in. */
  token: Address;
  price: bigint;
  supplyCap: number;
  perBuyerLimit: number;
  duration: bigint;
  commercialUse: boolean;
  derivativesAllowed: boolean;
  active: boolean;
  /** Licences issued (renewals are not new licences). */
  issued: number;
}

/**
 * A licence offer: its token and price, terms, how many licences were issued and whether it is on sale.
 *
 * @example
 * const offer = await getLicenseOffer(publicClient, { trackId, offerId: 0n });
 * const soldOut = offer.supplyCap > 0 && offer.issued >= offer.supplyCap;
 * @throws ContractError `ContentRegistryUnknownOffer`
 */
export async function getLicenseOffer(
  client: HarmonieClient,
  params: DeploymentOption & { trackId: bigint; offerId: bigint },
): Promise<LicenseOffer> {
  const deployment = resolveDeployment(client, params);
  const offer = await read(client, {
    ...registry(deployment),
    functionName: "offerOf",
    args: [params.trackId, params.offerId],
  });
  const { token, price, supplyCap, perBuyerLimit, duration, commercialUse, derivativesAllowed, active, issued } = offer;
  return { token, price, supplyCap, perBuyerLimit, duration, commercialUse, derivativesAllowed, active, issued };
}

/**
 * Whether an account may access a track: its artist and collaborators, holders of a perpetual or
 * unexpired licence, or anyone if the track is not exclusive.
 *
 * @example
 * if (await hasAccess(publicClient, { account: fan, trackId })) play();
 */
export async function hasAccess(
  client: HarmonieClient,
  params: DeploymentOption & { account: Address; trackId: bigint },
) {
  const deployment = resolveDeployment(client, params);
  return read(client, {
    ...registry(deployment),
    functionName: "hasAccess",
    args: [params.account, params.trackId],
  });
}

/** What an account holds of a track, for "you own this · expires in N days". */
export interface LicenseStatus {
  /** Perpetual licences held (they can be resold). */
  perpetual: bigint;
  /** When the account's timed access ends, unix seconds; 0n: it never had a timed licence. In the past: expired. */
  expiresAt: bigint;
  /** Whether it may play the track now (also true for everyone on a track that is not exclusive). */
  hasAccess: boolean;
  /** Whether it is the track's artist or one of its collaborators. */
  isRightsHolder: boolean;
}

/**
 * An account's standing with a track in one round trip: perpetual licences held, timed access expiry,
 * access now, and whether it is a rights holder. Unknown tracks read as nothing held.
 *
 * @example
 * const { perpetual, expiresAt, hasAccess } = await getLicenseStatus(publicClient, { account, isrc });
 * const days = Number(expiresAt - BigInt(Math.floor(Date.now() / 1000))) / 86_400;
 */
export async function getLicenseStatus(
  client: HarmonieClient,
  params: DeploymentOption & TrackRef & { account: Address },
): Promise<LicenseStatus> {
  const deployment = resolveDeployment(client, params);
  const contract = registry(deployment);
  const args = [params.account, trackIdOf(params)] as const;
  const [[perpetual, expiresAt], access, rightsHolder] = await inOrder([
    read(client, { ...contract, functionName: "licenseOf", args }),
    read(client, { ...contract, functionName: "hasAccess", args }),
    read(client, { ...contract, functionName: "isRightsHolder", args }),
  ]);
  return { perpetual, expiresAt, hasAccess: access, isRightsHolder: rightsHolder };
}

/** How many licence tokens of an offer an account holds. */
export async function getLicenseBalance(
  client: HarmonieClient,
  params: DeploymentOption & { account: Address; trackId: bigint; offerId: bigint },
) {
  const deployment = resolveDeployment(client, params);
  const tokenId = licenseTokenId(params.trackId, params.offerId);
  return read(client, { ...registry(deployment), functionName: "balanceOf", args: [params.account, tokenId] });
}

/** How many licences an account bought under an offer with a per-buyer limit (0 for offers without one). */
export async function getLicensePurchases(
  client: HarmonieClient,
  params: DeploymentOption & { account: Address; trackId: bigint; offerId: bigint },
) {
  const deployment = resolveDeployment(client, params);
  return read(client, {
    ...registry(deployment),
    functionName: "purchasesOf",
    args: [params.account, params.trackId, params.offerId],
  });
}

/**
 * Licence revenue, royalties and referral fees an account can withdraw in one token (CORE by default).
 *
 * @example
 * const usdcEarned = await getLicenseEarnings(publicClient, { account, token: usdc.address });
 */
export async function getLicenseEarnings(
  client: HarmonieClient,
  params: DeploymentOption & { account: Address; token?: Address },
) {
  const deployment = resolveDeployment(client, params);
  return read(client, {
    ...registry(deployment),
    functionName: "creditOf",
    args: [params.account, params.token ?? CORE],
  });
}
