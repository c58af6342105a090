/**
 * One tip, one shape: what a `TipSent` or `TokenTipSent` log says, whoever read it — the indexer
 * (`getLatestTips`, `getStreamTips`, `getSentTips` …), the live feed (`TipNotice`, a documented subset)
 * or a receipt. One id format, the subgraph's `createEventId`, and one order, the chain's.
 */
import type { Address, Hex } from "viem";

/** `<transaction hash>-<log index>`: the subgraph's event id (`createEventId` in subgraph/src/utils.ts). */
export type TipId = `0x${string}-${number}`;

/** What a tip is paid in: CORE (the zero address) or an allow-listed ERC-20. Show amounts with `decimals`. */
export interface TipToken {
  address: Address;
  symbol: string;
  decimals: number;
}

export interface Tip {
  /** `tipId(transactionHash, logIndex)`: the same from the indexer, the live feed and a receipt. */
  id: TipId;
  transactionHash: Hex;
  blockNumber: bigint;
  /** Index of the log in its block (not in its transaction): with `blockNumber`, the chain's order. */
  logIndex: number;
  /** The tipped artist. */
  artist: Address;
  /** The fan. */
  from: Address;
  /** The live session the tip names; 0 for none. */
  streamId: bigint;
  token: TipToken;
  /** In the token's smallest unit (CORE: wei), gross of fees. */
  amount: bigint;
  message: string;
  /** The block's timestamp, seconds. */
  timestamp: bigint;
}

/** Where a tip sits in the chain: all `compareTips` and pagination cursors need. */
export type TipPosition = Pick<Tip, "blockNumber" | "logIndex">;

/**
 * A tip's id from its log, as the subgraph writes it (hash lowercased, as graph-node's `toHexString`).
 *
 * @example
 * const id = tipId(receipt.transactionHash, log.logIndex); // "0xab…-3"
 */
export function tipId(transactionHash: Hex, logIndex: number | bigint): TipId {
  return `${transactionHash.toLowerCase() as Hex}-${Number(logIndex)}`;
}

/**
 * Chain order, oldest first: block number, then log index. From the fields, never from ids (a
 * transaction hash says nothing about order). Reverse the arguments for newest first.
 *
 * @example
 * tips.sort(compareTips); // oldest first
 * tips.sort((a, b) => compareTips(b, a)); // newest first
 */
export function compareTips(a: TipPosition, b: TipPosition): number {
  if (a.blockNumber !== b.blockNumber) return a.blockNumber < b.blockNumber ? -1 : 1;
  return a.logIndex - b.logIndex;
}
