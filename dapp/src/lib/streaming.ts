/**
 * Live video (`@harmonie/sdk/streaming`, WebRTC rooms). The module is imported on first use (going
 * live, joining a room), so it stays out of the entry chunk and out of every other page.
 */
import { type PaymentToken, type Tip, compareTips } from "@harmonie/sdk";
import type { LivepeerGateHealth, StreamingProvider, TipNotice } from "@harmonie/sdk/streaming";
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
    sfuUrl: harmonie.config.sfuUrl,
    wallet,
    publicClient: reader,
    deployment: harmonie.deployment,
  });
}

/**
 * The Livepeer provider through this deployment's access-control service, signed in with the wallet
 * (one signature): the artist's streams are created and ended by the service (its Studio key never
 * reaches the browser), and the same token is a fan's access key for gated sessions.
 */
export async function livepeerProvider(
  harmonie: Harmonie,
  wallet: Client,
  reader: Client,
  { signIn = true }: { /** False for a fan of an open session: playback info needs no key. */ signIn?: boolean } = {},
): Promise<{ provider: StreamingProvider; accessKey?: string }> {
  const gateUrl = harmonie.config.livepeerGateUrl;
  if (signIn && !gateUrl) throw new Error("This deployment has no Livepeer service to sign in to.");
  const { createStreamingProvider, livepeerRelay, signInToLivepeerGate } = await loadStreaming();
  const token = signIn ? await signInToLivepeerGate(wallet, { gateUrl: gateUrl! }) : undefined;
  const playbackApiUrl = harmonie.config.livepeerApiUrl;
  const provider = createStreamingProvider({
    kind: "livepeer",
    studio: token ? livepeerRelay({ gateUrl: gateUrl!, token, playbackApiUrl }) : undefined,
    playbackApiUrl,
    wallet,
    publicClient: reader,
    deployment: harmonie.deployment,
  });
  return { provider, accessKey: token };
}

/** Whether the Livepeer service can take an artist's stream now (it holds a Studio key and the chain answers). */
export async function livepeerStudioReady(gateUrl: string): Promise<boolean> {
  const response = await fetch(`${gateUrl.replace(/\/+$/, "")}/health`, { cache: "no-store" });
  const health = (await response.json().catch(() => undefined)) as LivepeerGateHealth | undefined;
  return response.ok && health?.studio === true;
}

/** Sessions broadcast through a rooms service carry `rooms:<url>` as their playback id. */
export const isRoomsPlayback = (playbackId: string | undefined) => !!playbackId?.startsWith("rooms:");

/**
 * A live tip notice (chain event) as a `Tip`, so it merges with the indexer's by id. Its token is
 * looked up among the deployment's payment tokens (an unknown one shows as raw units); until the
 * indexer has the block, its time is now.
 */
export function tipFromNotice(notice: TipNotice, tokens: PaymentToken[]): Tip {
  const token = tokens.find((t) => t.address.toLowerCase() === notice.token.toLowerCase()) ?? {
    address: notice.token,
    symbol: "units",
    decimals: 0,
  };
  return {
    ...notice,
    token: { address: token.address, symbol: token.symbol, decimals: token.decimals },
    timestamp: BigInt(Math.floor(Date.now() / 1000)),
  };
}

/** Indexed and live tips together, once each, newest first. */
export function mergeTips(indexed: Tip[], live: ShownTip[]): ShownTip[] {
  const byId = new Map<string, ShownTip>();
  for (const tip of live) byId.set(tip.id, tip);
  for (const tip of indexed) byId.set(tip.id, tip); // the indexer's copy has the block's timestamp
  return [...byId.values()].sort((a, b) => compareTips(b, a));
}
