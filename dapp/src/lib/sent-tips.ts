/**
 * Tips sent from this tab, from their receipts: a confirmed tip shows in the artist's and the
 * session's lists at once, as sent, even while the indexer lags behind or is down. The indexer's copy
 * (same id: transaction hash and log index) replaces it as soon as it has the block.
 */
import type { PaymentToken, Tip, TipResult } from "@harmonie/sdk";
import { useSyncExternalStore } from "react";

/** A tip as lists show it; `sentHere` while only this tab's receipt knows it. */
export type ShownTip = Tip & { sentHere?: true };

let sent: ShownTip[] = [];
const listeners = new Set<() => void>();

export function recordSentTip(result: TipResult, token: PaymentToken) {
  const { id, transactionHash, blockNumber, logIndex, artist, from, streamId, amount, message } = result;
  const tip: ShownTip = {
    ...{ id, transactionHash, blockNumber, logIndex, artist, from, streamId, amount, message },
    token,
    // The receipt has no block time; the indexer's copy brings it.
    timestamp: BigInt(Math.floor(Date.now() / 1000)),
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
