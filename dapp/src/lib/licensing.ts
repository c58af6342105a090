/**
 * A track's standing, offers and what an account holds of it, read from the chain through the SDK
 * (the contract decides who may buy, so the page asks it rather than the indexer). The track page and
 * Studio share these queries; a confirmed transaction refreshes them all (lib/tx.tsx).
 */
import { getLicenseOffer } from "@harmonie/sdk";
import { useQuery } from "@tanstack/react-query";
import { getBlock } from "viem/actions";
import type { Address } from "viem";
import { chainTrackQuery, licenseStatusQuery, pendingArtistQuery } from "./chain-queries.ts";
import { useHarmonie } from "./harmonie.tsx";
import { useReader } from "./wallet.ts";

export type LicenseOffer = Awaited<ReturnType<typeof getLicenseOffer>> & { offerId: bigint };

export function useChainTrack(trackId: bigint | undefined) {
  return useQuery({ ...chainTrackQuery(useHarmonie(), trackId), enabled: trackId !== undefined });
}

/** Every offer of a track, on sale or not, numbered from 0 as the contract does. */
export function useOffers(trackId: bigint | undefined, offerCount: number | undefined) {
  const { deployment } = useHarmonie();
  const reader = useReader();
  return useQuery({
    queryKey: ["offers", String(trackId), offerCount],
    enabled: trackId !== undefined && offerCount !== undefined,
    queryFn: () =>
      Promise.all(
        Array.from({ length: offerCount! }, async (_, i): Promise<LicenseOffer> => {
          const offerId = BigInt(i);
          return { ...(await getLicenseOffer(reader, { deployment, trackId: trackId!, offerId })), offerId };
        }),
      ),
  });
}

/** What `account` holds of the track: perpetual licences, timed access until, rights holder. */
export function useLicenseStatus(trackId: bigint | undefined, account: Address | undefined) {
  return useQuery({
    ...licenseStatusQuery(useHarmonie(), trackId, account),
    enabled: trackId !== undefined && !!account,
  });
}

/** The address a track is being handed over to, if any. */
export function usePendingArtist(trackId: bigint | undefined) {
  return useQuery({ ...pendingArtistQuery(useHarmonie(), trackId), enabled: trackId !== undefined });
}

/** The chain's clock (the latest block), which is what licence expiries are compared with. */
export function useChainTime() {
  const reader = useReader();
  return useQuery({
    queryKey: ["chain-time"],
    queryFn: async () => (await getBlock(reader)).timestamp,
    refetchInterval: 60_000,
  });
}

/** "30 days", "12 hours": how long is left until `expiresAt`. */
export function timeLeft(expiresAt: bigint, now: bigint): string {
  const seconds = Number(expiresAt - now);
  if (seconds >= 86_400 * 1.5) return `${Math.round(seconds / 86_400)} days`;
  if (seconds >= 5_400) return `${Math.round(seconds / 3_600)} hours`;
  const minutes = Math.max(1, Math.round(seconds / 60));
  return `${minutes} minute${minutes === 1 ? "" : "s"}`;
}

/** "30 days" / "Perpetual": how long a licence under an offer lasts. */
export function durationOf(seconds: bigint): string {
  if (seconds === 0n) return "Perpetual";
  const days = Number(seconds) / 86_400;
  if (Number.isInteger(days)) return `${days} day${days === 1 ? "" : "s"}`;
  return `${Math.round(Number(seconds) / 3_600)} hours`;
}
