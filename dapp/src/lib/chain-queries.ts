/**
 * Chain reads as queries whose code loads when they first run (`account-reads.ts`, `track-reads.ts`):
 * a page that imports these shows what the indexer and IPFS say without waiting for viem, the SDK's
 * actions and the ABIs, and fills in the chain's word a moment later.
 */
import type { Address } from "viem";
import type { Harmonie } from "./harmonie.tsx";

const accounts = () => import("./account-reads.ts");
const tracks = () => import("./track-reads.ts");

/** Who holds `handle`, `null` for nobody (shared with the deep links' prefetch, app/prefetch.ts). */
export const accountOfQuery = (harmonie: Harmonie, handle: string) => ({
  queryKey: ["account-of", handle],
  queryFn: async () => (await accounts()).accountOf(harmonie, handle),
});

/** The account's profile on chain (`null` without one). */
export const chainProfileQuery = (harmonie: Harmonie, account: Address) => ({
  queryKey: ["own-profile", account],
  queryFn: async () => (await accounts()).profileOf(harmonie, account),
});

/** The account's handle, `null` without a profile. */
export const handleQuery = (harmonie: Harmonie, account: Address | undefined) => ({
  queryKey: ["handle", account?.toLowerCase()],
  queryFn: async () => (await (await accounts()).profileOf(harmonie, account!))?.handle ?? null,
});

/** The contract's word on a track: standing, artist, offers. */
export const chainTrackQuery = (harmonie: Harmonie, trackId: bigint | undefined) => ({
  queryKey: ["chain-track", String(trackId)],
  queryFn: async () => (await tracks()).trackOf(harmonie, trackId!),
});

/** The track registered under an ISRC as the chain has it, `null` for none (before the indexer has it). */
export const chainTrackOfIsrcQuery = (harmonie: Harmonie, isrc: string) => ({
  queryKey: ["chain-track-of", isrc],
  queryFn: async () => (await tracks()).trackOfIsrc(harmonie, isrc),
});

/** The address a track is being handed over to, `null` for nobody. */
export const pendingArtistQuery = (harmonie: Harmonie, trackId: bigint | undefined) => ({
  queryKey: ["pending-artist", String(trackId)],
  queryFn: async () => (await tracks()).pendingArtistOf(harmonie, trackId!),
});

/** What `account` holds of the track: perpetual licences, timed access until, rights holder. */
export const licenseStatusQuery = (harmonie: Harmonie, trackId: bigint | undefined, account: Address | undefined) => ({
  queryKey: ["licence-status", String(trackId), account],
  queryFn: async () => (await tracks()).licenseStatusOf(harmonie, account!, trackId!),
});

/** Whether `account` may play the track (`undefined`: a visitor, who may play the open ones). */
export const accessQuery = (harmonie: Harmonie, track: { trackId: bigint; exclusive: boolean }, account?: Address) => ({
  queryKey: ["access", String(track.trackId), account],
  queryFn: async () => (account ? (await tracks()).accessOf(harmonie, account, track.trackId) : !track.exclusive),
});
