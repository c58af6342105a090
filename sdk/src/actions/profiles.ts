import type { Address } from "viem";
import type { Deployment } from "../deployments.ts";
import { InvalidInputError } from "../errors.ts";
import { artistProfilesAbi } from "../generated/abis.ts";
import { protocolLimits } from "../generated/protocol.ts";
import {
  type DeploymentOption,
  type HarmonieClient,
  type WriteOptions,
  type WriteResult,
  addressOf,
  contractCall,
  read,
  resolveDeployment,
  send,
  waitAsAsked,
} from "./internal.ts";

const profiles = (deployment: Deployment) =>
  ({ address: addressOf(deployment, "ArtistProfiles"), abi: artistProfilesAbi }) as const;

const { MIN_HANDLE_LENGTH, MAX_HANDLE_LENGTH } = protocolLimits.ArtistProfiles;
const HANDLE = new RegExp(`^[a-z0-9_]{${MIN_HANDLE_LENGTH},${MAX_HANDLE_LENGTH}}$`);

/** Whether a handle is valid: the contract's length bounds, in lowercase a–z, 0–9 and `_`. */
export function isValidHandle(handle: string): boolean {
  return HANDLE.test(handle);
}

function requireHandle(handle: string) {
  if (!isValidHandle(handle)) {
    throw new InvalidInputError(
      `"${handle}" is not a valid handle: use ${MIN_HANDLE_LENGTH} to ${MAX_HANDLE_LENGTH} characters of a-z, 0-9 and _.`,
    );
  }
}

/**
 * Creates the caller's profile.
 *
 * @example
 * await registerProfile(walletClient, { handle: "nova_beats", profileCid, isArtist: true });
 */
export async function registerProfile(
  client: HarmonieClient,
  params: WriteOptions & { handle: string; profileCid: string; isArtist: boolean },
): Promise<WriteResult> {
  const deployment = resolveDeployment(client, params);
  const call = registerProfileCall({ ...params, deployment });
  const { hash, receipt } = await send(client, deployment, call, "ProfileRegistered", waitAsAsked(params));
  return { hash, receipt };
}

/**
 * The contract call creating the caller's profile; the handle is checked first.
 *
 * @example
 * const call = registerProfileCall({ deployment, handle: "nova_beats", profileCid, isArtist: true });
 */
export function registerProfileCall(params: {
  deployment: Deployment;
  handle: string;
  profileCid: string;
  isArtist: boolean;
}) {
  requireHandle(params.handle);
  return contractCall({
    ...profiles(params.deployment),
    functionName: "register",
    args: [params.handle, params.profileCid, params.isArtist],
  });
}

/** Points the caller's profile at a new document (see `addProfilePackage`). */
export async function updateProfile(
  client: HarmonieClient,
  params: WriteOptions & { profileCid: string },
): Promise<WriteResult> {
  const deployment = resolveDeployment(client, params);
  const call = updateProfileCall({ ...params, deployment });
  const { hash, receipt } = await send(client, deployment, call, "ProfileUpdated", waitAsAsked(params));
  return { hash, receipt };
}

/** The contract call pointing the caller's profile at a new document. */
export function updateProfileCall(params: { deployment: Deployment; profileCid: string }) {
  return contractCall({ ...profiles(params.deployment), functionName: "updateProfile", args: [params.profileCid] });
}

/** Changes the caller's handle; the old one becomes free. */
export async function changeHandle(
  client: HarmonieClient,
  params: WriteOptions & { handle: string },
): Promise<WriteResult> {
  const deployment = resolveDeployment(client, params);
  const call = changeHandleCall({ ...params, deployment });
  const { hash, receipt } = await send(client, deployment, call, "HandleChanged", waitAsAsked(params));
  return { hash, receipt };
}

/** The contract call changing the caller's handle; the handle is checked first. */
export function changeHandleCall(params: { deployment: Deployment; handle: string }) {
  requireHandle(params.handle);
  return contractCall({ ...profiles(params.deployment), functionName: "changeHandle", args: [params.handle] });
}

/** Marks the caller as an artist or not. */
export async function setArtist(
  client: HarmonieClient,
  params: WriteOptions & { isArtist: boolean },
): Promise<WriteResult> {
  const deployment = resolveDeployment(client, params);
  const call = setArtistCall({ ...params, deployment });
  const { hash, receipt } = await send(client, deployment, call, "ArtistStatusChanged", waitAsAsked(params));
  return { hash, receipt };
}

/** The contract call marking the caller as an artist or not. */
export function setArtistCall(params: { deployment: Deployment; isArtist: boolean }) {
  return contractCall({ ...profiles(params.deployment), functionName: "setArtist", args: [params.isArtist] });
}

/** Follows an artist (an event only; indexers count followers). */
export async function follow(client: HarmonieClient, params: WriteOptions & { artist: Address }): Promise<WriteResult> {
  const deployment = resolveDeployment(client, params);
  const call = followCall({ ...params, deployment });
  const { hash, receipt } = await send(client, deployment, call, "Followed", waitAsAsked(params));
  return { hash, receipt };
}

/** The contract call following an artist. */
export function followCall(params: { deployment: Deployment; artist: Address }) {
  return contractCall({ ...profiles(params.deployment), functionName: "follow", args: [params.artist] });
}

/** Unfollows an artist. */
export async function unfollow(
  client: HarmonieClient,
  params: WriteOptions & { artist: Address },
): Promise<WriteResult> {
  const deployment = resolveDeployment(client, params);
  const call = unfollowCall({ ...params, deployment });
  const { hash, receipt } = await send(client, deployment, call, "Unfollowed", waitAsAsked(params));
  return { hash, receipt };
}

/** The contract call unfollowing an artist. */
export function unfollowCall(params: { deployment: Deployment; artist: Address }) {
  return contractCall({ ...profiles(params.deployment), functionName: "unfollow", args: [params.artist] });
}

/**
 * Reads a profile.
 *
 * @example
 * const { handle, profileCid, isArtist } = await getProfile(publicClient, { account });
 * @throws ContractError `ArtistProfilesUnknownProfile`
 */
export async function getProfile(client: HarmonieClient, params: DeploymentOption & { account: Address }) {
  const deployment = resolveDeployment(client, params);
  const [handle, profileCid, isArtist] = await read(client, {
    ...profiles(deployment),
    functionName: "profileOf",
    args: [params.account],
  });
  return { handle, profileCid, isArtist };
}

/** The account holding a handle, or undefined. */
export async function getAccountByHandle(client: HarmonieClient, params: DeploymentOption & { handle: string }) {
  const deployment = resolveDeployment(client, params);
  const account = await read(client, {
    ...profiles(deployment),
    functionName: "accountOf",
    args: [params.handle],
  });
  return /^0x0{40}$/.test(account) ? undefined : account;
}
