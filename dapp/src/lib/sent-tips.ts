/**
 * Tips sent from this tab, from their receipts: a confirmed tip shows in the artist's and the
 * session's lists at once, as sent, even while the indexer lags behind or is down. The indexer's copy
 * (same id: transaction hash and log index) replaces it as soon as it has the block.
 */
import { type PaymentToken, type Tip, type TipResult, tipId } from "@harmonie/sdk";
import { harmonieTippingAbi } from "@harmonie/sdk/abis";
import { useSyncExternalStore } from "react";
import { parseEventLogs } from "viem";

/** A tip as lists show it; `sentHere` while only this tab's receipt knows it. */
export type ShownTip = Tip & { sentHere?: true };

let sent: ShownTip[] = [];
const listeners = new Set<() => void>();

export function recordSentTip(result: TipResult, token: PaymentToken) {
  const [log] = parseEventLogs({
    abi: harmonieTippingAbi,
    logs: result.receipt.logs,
    eventName: ["TipSent", "TokenTipSent"],
  });
  const tip: ShownTip = {
    id: tipId(result.hash, log?.logIndex ?? 0),
    artist: result.artist,
    from: result.from,
    streamId: result.streamId,
    token,
    amount: result.amount,
    message: result.message,
    timestamp: BigInt(Math.floor(Date.now() / 1000)),
    blockNumber: result.receipt.blockNumber,
    logIndex: log?.logIndex ?? 0,
    transactionHash: result.hash,
    sentHere: true,
  };
  sent = [tip, ...sent];
  for (const listener of listeners) listener();
}

function subscribe(listener: () => void) {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** This tab's sent tips to `artist` (and, given, in session `streamId`), newest first. */
export function useSentTips(filter: { artist?: string; streamId?: bigint }): ShownTip[] {
  const all = useSyncExternalStore(subscribe, () => sent);
  return all.filter(
    (tip) =>
      (filter.artist === undefined || tip.artist.toLowerCase() === filter.artist.toLowerCase()) &&
      (filter.streamId === undefined || tip.streamId === filter.streamId),
  );
}
