/**
 * Chain reads about accounts (handles, profiles) that a page's first render must not wait for: the SDK's
 * actions, viem's client and the protocol's ABIs are most of a deep link's JavaScript, so pages reach
 * them through `chain-queries.ts`, which imports this module when a query first runs (its own chunk).
 */
import { ContractError, getAccountByHandle, getProfile } from "@harmonie/sdk";
import type { Address } from "viem";
import type { Harmonie } from "./harmonie.tsx";
import { readerOf } from "./wallet.ts";

/** Who holds `handle`, `null` for nobody. */
export async function accountOf(harmonie: Harmonie, handle: string): Promise<Address | null> {
  return (await getAccountByHandle(readerOf(harmonie), { deployment: harmonie.deployment, handle })) ?? null;
}

/** The account's profile as the chain has it, `null` without one. */
export async function profileOf(harmonie: Harmonie, account: Address) {
  try {
    return await getProfile(readerOf(harmonie), { deployment: harmonie.deployment, account });
  } catch (error) {
    if (error instanceof ContractError && error.errorName === "ArtistProfilesUnknownProfile") return null;
    throw error;
  }
}
