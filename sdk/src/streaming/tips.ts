/**
 * Live tip notices: each confirmed tip naming a session (`TipSent` in CORE, `TokenTipSent` in a
 * stablecoin), with its message, in chain order, once.
 */
import { zeroAddress } from "viem";
import { getBlockNumber, getContractEvents } from "viem/actions";
import type { HarmonieClient } from "../actions/internal.ts";
import type { Deployment } from "../deployments.ts";
import { harmonieTippingAbi } from "../generated/abis.ts";
import { type TipPosition, compareTips, tipId } from "../tip.ts";
import type { TipNotice } from "./protocol.ts";

export interface WatchTipsOptions {
  deployment: Deployment;
  streamId: bigint;
  onTip: (tip: TipNotice) => void;
  onError?: (error: unknown) => void;
  /** Blocks a tip must be buried under (1 = mined). Default 1. */
  confirmations?: number;
  /** First block to read; the current block by default (only new tips). */
  fromBlock?: bigint;
  /** Polling interval, ms. Default 400: a live tip shows within 0.4 s of its block (Core makes one every 3 s). */
  pollingIntervalMs?: number;
}

/**
 * Polls the chain for the tips (CORE and ERC-20) of one session and calls
 * `onTip` for each confirmed one, ordered by (block, log index), never twice. Returns the stop function.
 *
 * @example
 * const stop = watchTips(publicClient, { deployment, streamId, onTip: (tip) => console.log(tip.from, tip.message) });
 * // … later
 * stop();
 */
export function watchTips(client: HarmonieClient, options: WatchTipsOptions): () => void {
  const address = options.deployment.contracts.HarmonieTipping.address;
  const confirmations = BigInt(Math.max(1, options.confirmations ?? 1));
  const feed = createTipFeed(options.onTip);
  let next: bigint | undefined = options.fromBlock;
  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | undefined;

  async function poll() {
    try {
      const head = (await getBlockNumber(client, { cacheTime: 0 })) - (confirmations - 1n);
      next ??= head + 1n;
      if (head >= next) {
        const range = { address, abi: harmonieTippingAbi, fromBlock: next, toBlock: head } as const;
        const [core, tokens] = await Promise.all([
          getContractEvents(client, { ...range, eventName: "TipSent", args: { streamId: options.streamId } }),
          getContractEvents(client, { ...range, eventName: "TokenTipSent", args: { streamId: options.streamId } }),
        ]);
        next = head + 1n;
        const notices = [...core, ...tokens].map((log): TipNotice => ({
          id: tipId(log.transactionHash, log.logIndex),
          transactionHash: log.transactionHash,
          blockNumber: log.blockNumber,
          logIndex: log.logIndex,
          artist: log.args.artist!,
          from: log.args.from!,
          streamId: log.args.streamId!,
          token: "token" in log.args ? log.args.token! : zeroAddress, // CORE
          amount: log.args.amount!,
          message: log.args.message!,
        }));
        for (const notice of notices.sort(compareTips)) feed.push(notice);
      }
    } catch (error) {
      options.onError?.(error);
    }
    if (!stopped) timer = setTimeout(poll, options.pollingIntervalMs ?? 400);
  }
  void poll();
  return () => {
    stopped = true;
    clearTimeout(timer);
  };
}

/**
 * Deduplicates and orders tip notices from any source (chain polling, a data channel): a notice is
 * delivered once, and never after a later one.
 *
 * @example
 * const feed = createTipFeed((tip) => show(tip));
 * channel.onmessage = (e) => feed.push(JSON.parse(e.data).tip);
 */
export function createTipFeed(onTip: (tip: TipNotice) => void) {
  // Positions only grow: a repeat (same id, same position) is never later than the last delivered.
  let last: TipPosition | undefined;
  return {
    /** Delivers the notice unless it was already delivered or is older than the last one. */
    push(tip: TipNotice): boolean {
      if (last && compareTips(tip, last) <= 0) return false;
      last = tip;
      onTip(tip);
      return true;
    },
  };
}
