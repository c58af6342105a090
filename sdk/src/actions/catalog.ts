import type { Address } from "viem";
import type { Deployment } from "../deployments.ts";
import { InvalidInputError } from "../errors.ts";
import { contentRegistryAbi } from "../generated/abis.ts";
import { formatIsrc, licenseTokenId, trackIdFromIsrc } from "../isrc.ts";
import {
  type DeploymentOption,
  type HarmonieClient,
  type WriteResult,
  addressOf,
  eventArgs,
  read,
  resolveDeployment,
  send,
} from "./internal.ts";

const registry = (deployment: Deployment) =>
  ({ address: addressOf(deployment, "ContentRegistry"), abi: contentRegistryAbi }) as const;

/** A collaborator's share of licence revenue, in basis points (all shares sum to 10,000). */
export interface Split {
  recipient: Address;
  bps: number;
}

/** Licence terms (in the spirit of Story Protocol's PIL). */
export interface LicenseTerms {
  /** Price in wei of CORE; 0 = free. */
  price: bigint;
  /** Most licences ever sold; 0 = unlimited. */
  supplyCap?: number;
  /** Seconds a licence lasts; 0 = perpetual (transferable, with EIP-2981 royalties). */
  duration?: bigint;
  commercialUse?: boolean;
  derivativesAllowed?: boolean;
}

export interface RegisterTrackParams extends DeploymentOption {
  /** Plain or hyphenated, any case: normalised before it is sent. */
  isrc: string;
  /** CID of the track package directory (see `addTrackPackage`). */
  metadataCid: string;
  exclusive?: boolean;
  /** Resale royalty to the artist, basis points (max 2,500). */
  royaltyBps?: number;
  splits: readonly Split[];
  offers?: readonly LicenseTerms[];
}

function terms(offer: LicenseTerms) {
  return {
    price: offer.price,
    supplyCap: offer.supplyCap ?? 0,
    duration: offer.duration ?? 0n,
    commercialUse: offer.commercialUse ?? false,
    derivativesAllowed: offer.derivativesAllowed ?? false,
  };
}

/** Checks splits before any RPC call: the contract would reject them with less context. */
function validateSplits(splits: readonly Split[]) {
  if (splits.length === 0 || splits.length > 16) {
    throw new InvalidInputError(`A track needs 1 to 16 revenue splits, got ${splits.length}.`);
  }
  const total = splits.reduce((sum, split) => sum + split.bps, 0);
  if (total !== 10_000) throw new InvalidInputError(`Revenue splits must sum to 10,000 basis points, got ${total}.`);
}

/**
 * The contract call registering a track.
 *
 * @example
 * const call = registerTrackCall({ deployment, isrc: "US-RC1-76-07839", metadataCid, splits: [{ recipient: me, bps: 10_000 }] });
 */
export function registerTrackCall(params: RegisterTrackParams & { deployment: Deployment }) {
  validateSplits(params.splits);
  return {
    ...registry(params.deployment),
    functionName: "registerTrack",
    args: [
      {
        isrc: formatIsrc(params.isrc),
        metadataCid: params.metadataCid,
        exclusive: params.exclusive ?? false,
        royaltyBps: params.royaltyBps ?? 0,
        splits: params.splits.map((split) => ({ recipient: split.recipient, bps: split.bps })),
        offers: (params.offers ?? []).map(terms),
      },
    ],
  } as const;
}

/**
 * Registers a track owned by the caller and returns its id (the packed ISRC).
 *
 * @example
 * const { trackId } = await registerTrack(walletClient, {
 *   isrc: "US-RC1-76-07839", metadataCid, exclusive: true,
 *   splits: [{ recipient: artist, bps: 10_000 }],
 *   offers: [{ price: parseEther("5") }],
 * });
 * @throws InvalidIsrcError, InvalidInputError, ContractError (`ContentRegistryDuplicateIsrc` …)
 */
export async function registerTrack(client: HarmonieClient, params: RegisterTrackParams) {
  const deployment = resolveDeployment(client, params);
  const { hash, receipt, logs } = await send(
    client,
    deployment,
    registerTrackCall({ ...params, deployment }),
    "TrackRegistered",
  );
  const { trackId } = eventArgs<{ trackId: bigint }>(logs, "TrackRegistered");
  return { hash, receipt, trackId };
}

/** Points a track at a new metadata package. Artist only. */
export async function updateTrackMetadata(
  client: HarmonieClient,
  params: DeploymentOption & { trackId: bigint; metadataCid: string },
): Promise<WriteResult> {
  const deployment = resolveDeployment(client, params);
  const call = {
    ...registry(deployment),
    functionName: "updateMetadata",
    args: [params.trackId, params.metadataCid],
  } as const;
  const { hash, receipt } = await send(client, deployment, call, "TrackMetadataUpdated");
  return { hash, receipt };
}

/** Adds a licence offer to a track. Artist only. Returns the offer id and its token id. */
export async function addLicenseOffer(
  client: HarmonieClient,
  params: DeploymentOption & { trackId: bigint; terms: LicenseTerms },
) {
  const deployment = resolveDeployment(client, params);
  const call = {
    ...registry(deployment),
    functionName: "addOffer",
    args: [params.trackId, terms(params.terms)],
  } as const;
  const { hash, receipt, logs } = await send(client, deployment, call, "LicenseOfferCreated");
  const { offerId, tokenId } = eventArgs<{ offerId: bigint; tokenId: bigint }>(logs, "LicenseOfferCreated");
  return { hash, receipt, offerId, tokenId };
}

/** Changes an offer's price. Artist only. */
export async function setLicensePrice(
  client: HarmonieClient,
  params: DeploymentOption & { trackId: bigint; offerId: bigint; price: bigint },
): Promise<WriteResult> {
  const deployment = resolveDeployment(client, params);
  const call = {
    ...registry(deployment),
    functionName: "setOfferPrice",
    args: [params.trackId, params.offerId, params.price],
  } as const;
  const { hash, receipt } = await send(client, deployment, call, "LicenseOfferPriceUpdated");
  return { hash, receipt };
}

/** Takes an offer off sale or puts it back. Artist only. */
export async function setLicenseOfferActive(
  client: HarmonieClient,
  params: DeploymentOption & { trackId: bigint; offerId: bigint; active: boolean },
): Promise<WriteResult> {
  const deployment = resolveDeployment(client, params);
  const call = {
    ...registry(deployment),
    functionName: "setOfferActive",
    args: [params.trackId, params.offerId, params.active],
  } as const;
  const { hash, receipt } = await send(client, deployment, call, "LicenseOfferStatusUpdated");
  return { hash, receipt };
}

export interface PurchaseLicenseParams extends DeploymentOption {
  trackId: bigint;
  offerId: bigint;
  /** The offer's price; read from the chain when omitted. */
  price?: bigint;
}

/** The contract call buying a licence (the price must be known). */
export function purchaseLicenseCall(params: PurchaseLicenseParams & { deployment: Deployment; price: bigint }) {
  return {
    ...registry(params.deployment),
    functionName: "purchaseLicense",
    args: [params.trackId, params.offerId],
    value: params.price,
  } as const;
}

/**
 * Buys one licence under an offer and returns the licence token id and expiry (0 = perpetual).
 *
 * @example
 * const { tokenId, expiresAt } = await purchaseLicense(walletClient, { trackId, offerId: 0n });
 */
export async function purchaseLicense(client: HarmonieClient, params: PurchaseLicenseParams) {
  const deployment = resolveDeployment(client, params);
  const price = params.price ?? (await getLicenseOffer(client, { ...params, deployment })).price;
  const call = purchaseLicenseCall({ ...params, deployment, price });
  const { hash, receipt, logs } = await send(client, deployment, call, "LicensePurchased");
  const { tokenId, fee, expiresAt } = eventArgs<{ tokenId: bigint; fee: bigint; expiresAt: bigint }>(
    logs,
    "LicensePurchased",
  );
  return { hash, receipt, tokenId, price, fee, expiresAt };
}

/** Withdraws the caller's licence revenue (as a collaborator) to the caller or to `to`. */
export async function withdrawLicenseEarnings(
  client: HarmonieClient,
  params: DeploymentOption & { to?: Address } = {},
) {
  const deployment = resolveDeployment(client, params);
  const call = params.to
    ? ({ ...registry(deployment), functionName: "withdrawTo", args: [params.to] } as const)
    : ({ ...registry(deployment), functionName: "withdraw", args: [] } as const);
  const { hash, receipt, logs } = await send(client, deployment, call, "EarningsWithdrawn");
  const { amount } = eventArgs<{ amount: bigint }>(logs, "EarningsWithdrawn");
  return { hash, receipt, amount };
}

/** A registered track as the contract stores it. */
export interface Track {
  trackId: bigint;
  artist: Address;
  isrc: string;
  metadataCid: string;
  exclusive: boolean;
  flagged: boolean;
  royaltyBps: number;
  offerCount: number;
}

/**
 * Reads a track by id or ISRC.
 *
 * @example
 * const track = await getTrack(publicClient, { isrc: "US-RC1-76-07839" });
 * @throws ContractError `ContentRegistryUnknownTrack`
 */
export async function getTrack(
  client: HarmonieClient,
  params: DeploymentOption & ({ trackId: bigint } | { isrc: string }),
): Promise<Track> {
  const deployment = resolveDeployment(client, params);
  const trackId = "trackId" in params ? params.trackId : trackIdFromIsrc(params.isrc);
  const [artist, isrc, metadataCid, exclusive, flagged, royaltyBps, offerCount] = await read<
    readonly [Address, string, string, boolean, boolean, number, bigint]
  >(client, { ...registry(deployment), functionName: "trackOf", args: [trackId] });
  return { trackId, artist, isrc, metadataCid, exclusive, flagged, royaltyBps, offerCount: Number(offerCount) };
}

/** A track's revenue splits. */
export async function getSplits(client: HarmonieClient, params: DeploymentOption & { trackId: bigint }) {
  const deployment = resolveDeployment(client, params);
  return read<readonly Split[]>(client, { ...registry(deployment), functionName: "splitsOf", args: [params.trackId] });
}

/** A licence offer: its terms, how many were sold and whether it is on sale. */
export async function getLicenseOffer(
  client: HarmonieClient,
  params: DeploymentOption & { trackId: bigint; offerId: bigint },
) {
  const deployment = resolveDeployment(client, params);
  return read<{
    price: bigint;
    supplyCap: number;
    duration: bigint;
    commercialUse: boolean;
    derivativesAllowed: boolean;
    active: boolean;
    sold: number;
  }>(client, { ...registry(deployment), functionName: "offerOf", args: [params.trackId, params.offerId] });
}

/**
 * Whether an account may access a track: collaborators, holders of an unexpired licence, or anyone
 * if the track is not exclusive.
 *
 * @example
 * if (await hasAccess(publicClient, { account: fan, trackId })) play();
 */
export async function hasAccess(
  client: HarmonieClient,
  params: DeploymentOption & { account: Address; trackId: bigint },
) {
  const deployment = resolveDeployment(client, params);
  return read<boolean>(client, {
    ...registry(deployment),
    functionName: "hasAccess",
    args: [params.account, params.trackId],
  });
}

/** When an account's timed licence expires (unix seconds; 0 = none or perpetual). */
export async function getLicenseExpiry(
  client: HarmonieClient,
  params: DeploymentOption & { account: Address; trackId: bigint; offerId: bigint },
) {
  const deployment = resolveDeployment(client, params);
  const tokenId = licenseTokenId(params.trackId, params.offerId);
  return read<bigint>(client, {
    ...registry(deployment),
    functionName: "licenseExpiry",
    args: [params.account, tokenId],
  });
}

/** How many licence tokens of an offer an account holds. */
export async function getLicenseBalance(
  client: HarmonieClient,
  params: DeploymentOption & { account: Address; trackId: bigint; offerId: bigint },
) {
  const deployment = resolveDeployment(client, params);
  const tokenId = licenseTokenId(params.trackId, params.offerId);
  return read<bigint>(client, { ...registry(deployment), functionName: "balanceOf", args: [params.account, tokenId] });
}

/** Licence revenue an account can withdraw. */
export async function getLicenseEarnings(client: HarmonieClient, params: DeploymentOption & { account: Address }) {
  const deployment = resolveDeployment(client, params);
  return read<bigint>(client, { ...registry(deployment), functionName: "creditOf", args: [params.account] });
}
