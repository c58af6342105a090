/**
 * Chain reads about tracks (standing, access, licences, a handover), loaded when such a query first
 * runs (`chain-queries.ts`), never before a page shows: like `account-reads.ts`, for their code's size.
 */
import { ContractError, getLicenseStatus, getPendingArtist, getTrack, hasAccess, trackIdFromIsrc } from "@harmonie/sdk";
import { type Address, isAddressEqual, zeroAddress } from "viem";
import type { Harmonie } from "./harmonie.tsx";
import { readerOf } from "./wallet.ts";

export function trackOf(harmonie: Harmonie, trackId: bigint) {
  return getTrack(readerOf(harmonie), { deployment: harmonie.deployment, trackId });
}

/** The track registered under `isrc`, `null` for none. */
export async function trackOfIsrc(harmonie: Harmonie, isrc: string) {
  try {
    return await trackOf(harmonie, trackIdFromIsrc(isrc));
  } catch (error) {
    if (error instanceof ContractError && error.errorName === "ContentRegistryUnknownTrack") return null;
    throw error;
  }
}

export function accessOf(harmonie: Harmonie, account: Address, trackId: bigint) {
  return hasAccess(readerOf(harmonie), { deployment: harmonie.deployment, account, trackId });
}

export function licenseStatusOf(harmonie: Harmonie, account: Address, trackId: bigint) {
  return getLicenseStatus(readerOf(harmonie), { deployment: harmonie.deployment, account, trackId });
}

/** The address a track is being handed over to, `null` for nobody. */
export async function pendingArtistOf(harmonie: Harmonie, trackId: bigint) {
  const pending = await getPendingArtist(readerOf(harmonie), { deployment: harmonie.deployment, trackId });
  return pending && !isAddressEqual(pending, zeroAddress) ? pending : null;
}
