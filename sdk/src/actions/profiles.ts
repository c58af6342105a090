import type { Address } from "viem";
import type { Deployment } from "../deployments.ts";
import { InvalidInputError } from "../errors.ts";
import { artistProfilesAbi } from "../generated/abis.ts";
import {
  type DeploymentOption,
  type HarmonieClient,
  type WriteResult,
  addressOf,
  read,
  resolveDeployment,
  send,
} from "./internal.ts";

const profiles = (deployment: Deployment) =>
  ({ address: addressOf(deployment, "ArtistProfiles"), abi: artistProfilesAbi }) as const;

const HANDLE = /^[a-z0-9_]{3,32}$/;

/** Whether a handle is valid: 3–32 characters of lowercase a–z, 0–9 and `_`. */
export function isValidHandle(handle: string): boolean {
  return HANDLE.test(handle);
}

function requireHandle(handle: string) {
  if (!isValidHandle(handle)) {
    throw new InvalidInputError(`"${handle}" is not a valid handle: use 3 to 32 characters of a-z, 0-9 and _.`);
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
  params: DeploymentOption & { handle: string; profileCid: string; isArtist: boolean },
): Promise<WriteResult> {
  requireHandle(params.handle);
  const deployment = resolveDeployment(client, params);
  const call = {
    ...profiles(deployment),
    functionName: "register",
    args: [params.handle, params.profileCid, params.isArtist],
  } as const;
  const { hash, receipt } = await send(client, deployment, call, "ProfileRegistered");
  return { hash, receipt };
}

/** Points the caller's profile at a new document (see `addProfilePackage`). */
export async function updateProfile(
  client: HarmonieClient,
  params: DeploymentOption & { profileCid: string },
): Promise<WriteResult> {
  const deployment = resolveDeployment(client, params);
  const call = { ...profiles(deployment), functionName: "updateProfile", args: [params.profileCid] } as const;
  const { hash, receipt } = await send(client, deployment, call, "ProfileUpdated");
  return { hash, receipt };
}

/** Changes the caller's handle; the old one becomes free. */
export async function changeHandle(
  client: HarmonieClient,
  params: DeploymentOption & { handle: string },
): Promise<WriteResult> {
  requireHandle(params.handle);
  const deployment = resolveDeployment(client, params);
  const call = { ...profiles(deployment), functionName: "changeHandle", args: [params.handle] } as const;
  const { hash, receipt } = await send(client, deployment, call, "HandleChanged");
  return { hash, receipt };
}

/** Marks the caller as an artist or not. */
export async function setArtist(
  client: HarmonieClient,
  params: DeploymentOption & { isArtist: boolean },
): Promise<WriteResult> {
  const deployment = resolveDeployment(client, params);
  const call = { ...profiles(deployment), functionName: "setArtist", args: [params.isArtist] } as const;
  const { hash, receipt } = await send(client, deployment, call, "ArtistStatusChanged");
  return { hash, receipt };
}

/** Follows an artist (an event only; indexers count followers). */
export async function follow(
  client: HarmonieClient,
  params: DeploymentOption & { artist: Address },
): Promise<WriteResult> {
  const deployment = resolveDeployment(client, params);
  const call = { ...profiles(deployment), functionName: "follow", args: [params.artist] } as const;
  const { hash, receipt } = await send(client, deployment, call, "Followed");
  return { hash, receipt };
}

/** Unfollows an artist. */
export async function unfollow(
  client: HarmonieClient,
  params: DeploymentOption & { artist: Address },
): Promise<WriteResult> {
  const deployment = resolveDeployment(client, params);
  const call = { ...profiles(deployment), functionName: "unfollow", args: [params.artist] } as const;
  const { hash, receipt } = await send(client, deployment, call, "Unfollowed");
  return { hash, receipt };
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
