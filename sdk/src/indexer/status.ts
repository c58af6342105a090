/** The protocol's totals and parameters, and the indexer's own progress. */
import type { Address } from "viem";
import { IndexerError } from "../errors.ts";
import type { Protocol } from "../generated/subgraph.ts";
import { type Row, address, big, bigOrNull, queryIndexer } from "./core.ts";

export interface ProtocolStats {
  tipVolume: bigint;
  tipCount: bigint;
  /**
   * The tipping fee as last set, in basis points (100 = 1%); null before the first FeeUpdated is
   * indexed. A raise applies from `tipFeeEffectiveAt` (seconds); until then `tipFeePreviousBps` is in force.
   */
  tipFeeBps: number | null;
  tipFeePreviousBps: number | null;
  tipFeeEffectiveAt: bigint | null;
  /** Current licensing fee in basis points. */
  licenseFeeBps: number | null;
  /** CORE licence sales (gross); other tokens are counted per token in the subgraph's PaymentToken. */
  licenseVolume: bigint;
  /** Licence purchases in any token, renewals included. */
  licenseCount: bigint;
  trackCount: number;
  artistCount: number;
  liveStreamCount: number;
  proposalCount: number;
  /** CORE staked for votes (hVOTE supply). */
  stakedSupply: bigint;
  /** Percent of the hVOTE supply a proposal needs (for + abstain), at its snapshot. */
  quorumNumerator: bigint | null;
  /** The fewest votes any proposal needs, whatever the supply: the quorum is the larger of the two. */
  quorumFloor: bigint | null;
  /**
   * The proposal guardian (a multisig): may cancel any proposal and pause registry, profiles and live
   * sessions, never unpause them. Null if there is none.
   */
  guardian: Address | null;
  /** Whether each pausable contract is paused now (by the guardian or governance: `getPauseHistory`). */
  paused: { registry: boolean; profiles: boolean; live: boolean };
}

type RawProtocol = Row<
  Protocol,
  | "tipVolume"
  | "tipCount"
  | "tipFeeBps"
  | "tipFeePreviousBps"
  | "tipFeeEffectiveAt"
  | "licenseFeeBps"
  | "licenseVolume"
  | "licenseCount"
  | "trackCount"
  | "artistCount"
  | "liveStreamCount"
  | "proposalCount"
  | "stakedSupply"
  | "quorumNumerator"
  | "quorumFloor"
  | "guardian"
  | "registryPaused"
  | "profilesPaused"
  | "livePaused"
>;

/**
 * Protocol-wide totals and current parameters, e.g. for a DAO page: what a fee proposal would change.
 *
 * @example
 * const { tipFeeBps, stakedSupply } = await getProtocolStats(indexerUrl);
 * @throws IndexerError before the protocol's deployment is indexed
 */
export async function getProtocolStats(url: string): Promise<ProtocolStats> {
  const { protocol: p } = await queryIndexer<{ protocol: RawProtocol | null }>(
    url,
    `{ protocol(id: "harmonie") {
      tipVolume tipCount tipFeeBps tipFeePreviousBps tipFeeEffectiveAt licenseFeeBps licenseVolume licenseCount trackCount artistCount liveStreamCount proposalCount stakedSupply
      quorumNumerator quorumFloor guardian registryPaused profilesPaused livePaused
    } }`,
  );
  if (!p) throw new IndexerError(url, "the subgraph has not indexed the protocol's deployment yet");
  return {
    tipVolume: big(p.tipVolume),
    tipCount: big(p.tipCount),
    tipFeeBps: p.tipFeeBps,
    tipFeePreviousBps: p.tipFeePreviousBps,
    tipFeeEffectiveAt: bigOrNull(p.tipFeeEffectiveAt),
    licenseFeeBps: p.licenseFeeBps,
    licenseVolume: big(p.licenseVolume),
    licenseCount: big(p.licenseCount),
    trackCount: p.trackCount,
    artistCount: p.artistCount,
    liveStreamCount: p.liveStreamCount,
    proposalCount: p.proposalCount,
    stakedSupply: big(p.stakedSupply),
    quorumNumerator: bigOrNull(p.quorumNumerator),
    quorumFloor: bigOrNull(p.quorumFloor),
    guardian: p.guardian ? address(p.guardian) : null,
    paused: { registry: p.registryPaused, profiles: p.profilesPaused, live: p.livePaused },
  };
}

/**
 * The block the indexer has reached, and whether it hit an indexing error.
 *
 * @example
 * const { blockNumber } = await getIndexerStatus(indexerUrl);
 */
export async function getIndexerStatus(url: string) {
  const data = await queryIndexer<{
    _meta: { block: { number: number; hash: `0x${string}` | null }; hasIndexingErrors: boolean };
  }>(url, "{ _meta { block { number hash } hasIndexingErrors } }");
  return {
    blockNumber: BigInt(data._meta.block.number),
    blockHash: data._meta.block.hash,
    hasIndexingErrors: data._meta.hasIndexingErrors,
  };
}
