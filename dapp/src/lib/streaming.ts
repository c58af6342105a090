/**
 * Live video (`@harmonie/sdk/streaming`, WebRTC rooms). The module is imported on first use (going
 * live, joining a room), so it stays out of the entry chunk and out of every other page.
 */
import { CORE, type IndexedTip, type PaymentToken } from "@harmonie/sdk";
import type { StreamingProvider, TipNotice } from "@harmonie/sdk/streaming";
import type { Harmonie } from "./harmonie.tsx";
import type { ShownTip } from "./sent-tips.ts";

type Streaming = typeof import("@harmonie/sdk/streaming");

let streamingImport: Promise<Streaming> | undefined;
export function loadStreaming(): Promise<Streaming> {
  streamingImport ??= import("@harmonie/sdk/streaming").catch((error: unknown) => {
    streamingImport = undefined; // e.g. offline: let a later attempt retry
    throw error;
  });
  return streamingImport;
}

type Client = Parameters<Streaming["createStreamingProvider"]>[0]["wallet"];

/** The rooms provider of this deployment; undefined when the config names no signalling service. */
export async function roomsProvider(
  harmonie: Harmonie,
  wallet: Client,
  reader: Client,
): Promise<StreamingProvider | undefined> {
  const signallingUrl = harmonie.config.signallingUrl;
  if (!signallingUrl) return undefined;
  const { createStreamingProvider } = await loadStreaming();
  return createStreamingProvider({
    kind: "rooms",
    signallingUrl,
    wallet,
    publicClient: reader,
    deployment: harmonie.deployment,
  });
}

/** Sessions broadcast through a rooms service carry `rooms:<url>` as their playback id. */
export const isRoomsPlayback = (playbackId: string | undefined) => !!playbackId?.startsWith("rooms:");

/**
 * A live tip notice (chain event) in the indexer's shape, so both lists merge and dedupe by id. Its
 * token is looked up among the deployment's payment tokens (an unknown one shows as raw units).
 */
export function tipFromNotice(
  notice: TipNotice,
  artist: `0x${string}`,
  streamId: bigint,
  tokens: PaymentToken[],
): IndexedTip {
  const address = (notice.token ?? CORE).toLowerCase();
  const token = tokens.find((t) => t.address.toLowerCase() === address) ?? { address, symbol: "units", decimals: 0 };
  return {
    id: `${notice.txHash.toLowerCase()}-${notice.logIndex}`,
    artist,
    from: notice.from,
    streamId,
    token: { ...token, address: token.address as `0x${string}` },
    amount: BigInt(notice.amount),
    message: notice.message,
    timestamp: BigInt(Math.floor(Date.now() / 1000)),
    blockNumber: BigInt(notice.blockNumber),
    transactionHash: notice.txHash,
  };
}

/** Indexed and live tips together, once each, newest first. */
export function mergeTips(indexed: IndexedTip[], live: ShownTip[]): ShownTip[] {
  const byId = new Map<string, ShownTip>();
  for (const tip of live) byId.set(tip.id, tip);
  for (const tip of indexed) byId.set(tip.id, tip); // the indexer's copy has the block's timestamp
  const position = (tip: ShownTip) => [tip.blockNumber, BigInt(tip.id.split("-")[1] ?? 0)] as const;
  return [...byId.values()].sort((a, b) => {
    const [blockA, logA] = position(a);
    const [blockB, logB] = position(b);
    return blockA === blockB ? Number(logB - logA) : blockB > blockA ? 1 : -1;
  });
}
