/**
 * One interface over both streaming engines: `rooms` (WebRTC mesh, small audiences, the local
 * default) and `livepeer` (Livepeer Studio: WHIP ingest, WebRTC/HLS playback, for scale). Going live
 * opens the on-chain session; ending closes it with the peak audience. Tip notices come from chain
 * events (rooms: relayed by the artist over each fan's data channel).
 */
import type { Hex } from "viem";
import type { HarmonieClient } from "../actions/internal.ts";
import { closeSession, getSessionPlaybackId, openSession } from "../actions/live.ts";
import type { Deployment } from "../deployments.ts";
import { RoomFullError, StreamAccessDeniedError, StreamingUnsupportedError, WhipError } from "./errors.ts";
import {
  fetchLivepeerPlayback,
  type LivepeerStudio,
  livepeerIceServers,
  type MultistreamTarget,
  type PlaybackSources,
} from "./livepeer.ts";
import type { TipNotice } from "./protocol.ts";
import { type ChatMessage, joinAudience, joinRoom, publishRoom, type RtcOptions } from "./rooms.ts";
import { publishSfu, type SfuConnection, type SfuWatch, watchSfu } from "./sfu.ts";
import { connectSignalling, type SignallingConnection } from "./signalling-client.ts";
import { watchTips } from "./tips.ts";
import { playWhep, publishWhip, type WhepPlayback } from "./whip.ts";

interface CommonOptions {
  /** The wallet going live (artist) or watching (fan). */
  wallet: HarmonieClient;
  /** For chain reads (tips, sessions); the wallet client by default. */
  publicClient?: HarmonieClient;
  deployment: Deployment;
  rtc?: RtcOptions;
  /** Tip polling interval, ms (default 1,000). */
  tipPollingIntervalMs?: number;
}

export interface RoomsProviderOptions extends CommonOptions {
  kind: "rooms";
  /** The signalling service, e.g. `ws://127.0.0.1:8791`. */
  signallingUrl: string;
  /**
   * A selective forwarding unit that accepts the signalling service's session tokens (both services
   * run with one session secret). The artist also publishes to it, once; fans arriving when the mesh
   * is full watch through it and chat as the room's audience, without a second signature.
   */
  sfuUrl?: string;
}

export interface LivepeerProviderOptions extends CommonOptions {
  kind: "livepeer";
  /**
   * Creates, gates and ends Studio streams. It needs the Studio API key, so it runs server-side:
   * `createLivepeerStudio` from `@harmonie/services`, or a client of your own backend. Fans need none:
   * without it, `watch` reads Studio's public playback info (`playbackApiUrl`).
   */
  studio?: LivepeerStudio;
  /** Studio's API base for keyless playback info. Default `https://livepeer.studio/api`. */
  playbackApiUrl?: string;
  /**
   * Livepeer webhook (event `playback.accessControl`) gating sessions that have a gating track; not
   * needed with `livepeerRelay` (its server gates with its own).
   */
  accessControlWebhookId?: string;
  /** Current audience, polled while live to report the peak at close (e.g. from your metrics). */
  viewerCount?: () => Promise<number>;
}

export type StreamingProviderOptions = RoomsProviderOptions | LivepeerProviderOptions;

export interface GoLiveParams {
  title: string;
  /** Track whose licence holders alone may watch; none = open session. */
  gatingTrackId?: bigint;
  /** Camera/microphone; required for rooms, optional for Livepeer (else broadcast to `ingestUrl`). */
  media?: MediaStream;
  /** Livepeer: record the session (default true). */
  record?: boolean;
  /** Livepeer: restream targets. */
  multistream?: MultistreamTarget[];
}

export interface LiveBroadcast {
  kind: "rooms" | "livepeer";
  streamId: bigint;
  playbackId: string;
  /** Rooms with `sfuUrl`: why publishing to the SFU failed (the mesh is live regardless). */
  relayError?: Error;
  /** Livepeer: the WHIP URL to broadcast to. */
  ingestUrl?: string;
  readonly viewers: number;
  readonly peakViewers: number;
  chat(text: string): void;
  onChat(handler: (message: ChatMessage) => void): () => void;
  onTip(handler: (tip: TipNotice) => void): () => void;
  /**
   * Stops media, closes the room and the on-chain session (recording the peak audience). Livepeer: the
   * on-chain session closes even when terminating the Studio stream fails (`terminateError`).
   */
  end(): Promise<{ peakViewers: number; hash: Hex; terminateError?: Error }>;
}

export interface WatchParams {
  streamId: bigint;
  /** Livepeer gated playback: the SIWE session token from the access-control service. */
  accessKey?: string;
  /**
   * Livepeer: also play the WebRTC source here (WHEP; `media` and `connection` then set, `ready` once
   * connected). Off by default: a page may prefer its own player (e.g. HLS).
   */
  play?: boolean;
}

export interface LiveWatch {
  kind: "rooms" | "livepeer";
  streamId: bigint;
  /** Rooms: from the artist directly (`mesh`) or through the SFU (`relay`, the mesh being full). */
  via?: "mesh" | "relay";
  /** Rooms: the artist's audio/video. */
  media?: MediaStream;
  /** Rooms: the peer connection (stats). */
  connection?: RTCPeerConnection;
  /** Rooms: `performance.now()` when the artist's offer (relay: the SFU's answer) arrived (first-frame latency). */
  readonly offerReceivedAt?: number;
  /** Livepeer: WebRTC (WHEP) and HLS URLs. */
  playback?: PlaybackSources;
  ready: Promise<void>;
  chat(text: string): void;
  onChat(handler: (message: ChatMessage) => void): () => void;
  onTip(handler: (tip: TipNotice) => void): () => void;
  leave(): Promise<void>;
}

export interface StreamingProvider {
  kind: "rooms" | "livepeer";
  /** Opens the on-chain session and starts broadcasting. */
  goLive(params: GoLiveParams): Promise<LiveBroadcast>;
  /** Watches a live session (gated sessions check the wallet's licence). */
  watch(params: WatchParams): Promise<LiveWatch>;
}

/** A session's confirmed tips from the chain, for every handler added and for `also` (e.g. the room's relay). */
const sessionTips = (options: CommonOptions, streamId: bigint, also?: (tip: TipNotice) => void) => {
  const set = new Set<(tip: TipNotice) => void>();
  const stop = watchTips(options.publicClient ?? options.wallet, {
    deployment: options.deployment,
    streamId,
    pollingIntervalMs: options.tipPollingIntervalMs,
    onTip: (tip) => {
      also?.(tip);
      set.forEach((handler) => handler(tip));
    },
  });
  return { add: (handler: (tip: TipNotice) => void) => (set.add(handler), () => void set.delete(handler)), stop };
};

/**
 * Creates a streaming provider.
 *
 * @example
 * const streaming = createStreamingProvider({ kind: "rooms", signallingUrl: "ws://127.0.0.1:8791", wallet, deployment });
 * const live = await streaming.goLive({ title: "Friday set", media: await navigator.mediaDevices.getUserMedia({ audio: true, video: true }) });
 * live.onTip((tip) => console.log(tip.message));
 * const { peakViewers } = await live.end();
 *
 * @example
 * const fan = createStreamingProvider({ kind: "rooms", signallingUrl, wallet: fanWallet, deployment });
 * const watch = await fan.watch({ streamId });
 * video.srcObject = watch.media;
 */
export function createStreamingProvider(options: StreamingProviderOptions): StreamingProvider {
  return options.kind === "rooms" ? roomsProvider(options) : livepeerProvider(options);
}

function roomsProvider(options: RoomsProviderOptions): StreamingProvider {
  const { deployment, wallet } = options;
  return {
    kind: "rooms",
    async goLive(params) {
      if (!params.media) throw new StreamingUnsupportedError("The rooms provider needs `media` to go live.");
      const playbackId = `rooms:${options.signallingUrl}`;
      const { streamId } = await openSession(wallet, {
        deployment,
        title: params.title,
        playbackId,
        gatingTrackId: params.gatingTrackId,
      });
      const { signalling, room } = await closeSessionOnFailure(wallet, deployment, streamId, async () => {
        const signalling = await connectSignalling({ url: options.signallingUrl, wallet });
        try {
          return {
            signalling,
            room: await publishRoom(signalling, { streamId, media: params.media!, rtc: options.rtc }),
          };
        } catch (error) {
          signalling.close();
          throw error;
        }
      });
      // One upload to the SFU for everyone beyond the mesh; without it the mesh alone serves the room.
      let relay: SfuConnection | undefined;
      let relayError: Error | undefined;
      if (options.sfuUrl) {
        relay = await publishSfu({
          sfuUrl: options.sfuUrl,
          streamId,
          token: signalling.token,
          media: params.media,
        }).catch((error: Error) => void (relayError = error));
      }
      const tips = sessionTips(options, streamId, (tip) => room.notifyTip(tip));
      return {
        kind: "rooms",
        streamId,
        playbackId,
        relayError,
        get viewers() {
          return room.viewers;
        },
        get peakViewers() {
          return room.peakViewers;
        },
        chat: room.chat,
        onChat: room.onChat,
        onTip: tips.add,
        async end() {
          tips.stop();
          await relay?.stop();
          await room.close();
          signalling.close();
          const peakViewers = room.peakViewers;
          const { hash } = await closeSession(wallet, { deployment, streamId, peakViewers });
          return { peakViewers, hash };
        },
      };
    },
    async watch({ streamId }) {
      const signalling = await connectSignalling({ url: options.signallingUrl, wallet });
      try {
        const viewer = await joinRoom(signalling, { streamId, rtc: options.rtc }).catch((error: unknown) => {
          if (options.sfuUrl && error instanceof RoomFullError) return undefined;
          throw error;
        });
        if (!viewer) return await watchRelay(signalling, options.sfuUrl!, streamId);
        void viewer.ended.then(() => signalling.close());
        return {
          kind: "rooms",
          via: "mesh",
          streamId,
          media: viewer.media,
          connection: viewer.connection,
          get offerReceivedAt() {
            return viewer.offerReceivedAt;
          },
          ready: viewer.ready,
          chat: viewer.chat,
          onChat: viewer.onChat,
          onTip: viewer.onTip,
          async leave() {
            await viewer.close();
            signalling.close();
          },
        };
      } catch (error) {
        signalling.close();
        throw error;
      }
    },
  };

  /** The mesh is full: the room's chat as its audience, the video from the SFU, tips from the chain. */
  async function watchRelay(signalling: SignallingConnection, sfuUrl: string, streamId: bigint): Promise<LiveWatch> {
    const audience = await joinAudience(signalling, { streamId });
    let relay: SfuWatch;
    try {
      relay = await watchSfu({ sfuUrl, streamId, token: signalling.token, rtc: options.rtc });
    } catch (error) {
      await audience.close();
      throw error;
    }
    const answeredAt = performance.now();
    const tips = sessionTips(options, streamId);
    const ready = new Promise<void>((resolve, reject) => {
      const check = () => {
        const state = relay.connection.connectionState;
        if (state === "connected" && relay.stream.getTracks().length > 0) resolve();
        if (state === "failed" || state === "closed")
          reject(new StreamingUnsupportedError(`The relay connection ${state}.`));
      };
      relay.connection.addEventListener("connectionstatechange", check);
      relay.connection.addEventListener("track", check);
      check();
    });
    let left: Promise<void> | undefined;
    const leave = () =>
      (left ??= (async () => {
        tips.stop();
        await relay.stop();
        await audience.close();
        signalling.close();
      })());
    void audience.ended.then(leave);
    return {
      kind: "rooms",
      via: "relay",
      streamId,
      media: relay.stream,
      connection: relay.connection,
      offerReceivedAt: answeredAt,
      ready,
      chat: audience.chat,
      onChat: audience.onChat,
      onTip: tips.add,
      leave,
    };
  }
}

/** The playback id a session was opened with. */
async function playbackIdOf(client: HarmonieClient, deployment: Deployment, streamId: bigint): Promise<string> {
  const playbackId = await getSessionPlaybackId(client, { deployment, streamId });
  if (playbackId === undefined) throw new StreamingUnsupportedError(`No session ${streamId} was opened on this chain.`);
  return playbackId;
}

function livepeerProvider(options: LivepeerProviderOptions): StreamingProvider {
  const reader = options.publicClient ?? options.wallet;
  const { deployment, wallet } = options;
  const { studio } = options;
  const noChat = () => {
    throw new StreamingUnsupportedError("Livepeer sessions have no chat channel; use the rooms provider for chat.");
  };
  return {
    kind: "livepeer",
    async goLive(params) {
      const gated = (params.gatingTrackId ?? 0n) !== 0n;
      if (!studio) throw new StreamingUnsupportedError("Going live on Livepeer needs `studio` (server side).");
      const stream = await studio.createStream({
        name: params.title,
        record: params.record ?? true,
        multistream: params.multistream,
      });
      const { streamId } = await openSession(wallet, {
        deployment,
        title: params.title,
        playbackId: stream.playbackId,
        gatingTrackId: params.gatingTrackId,
      });
      const whip = await closeSessionOnFailure(wallet, deployment, streamId, async () => {
        // The webhook needs the on-chain id, known only now.
        if (gated)
          await studio.setGate(stream.id, {
            webhookId: options.accessControlWebhookId,
            context: { streamId: streamId.toString() },
          });
        return params.media
          ? await publishWhip({
              url: stream.whipUrl,
              media: params.media,
              rtc: options.rtc,
              fallbackIceServers: livepeerIceServers,
            })
          : undefined;
      });
      const tips = sessionTips(options, streamId);
      let viewers = 0;
      let peakViewers = 0;
      const poll = options.viewerCount
        ? setInterval(async () => {
            viewers = await options.viewerCount!().catch(() => viewers);
            peakViewers = Math.max(peakViewers, viewers);
          }, 5_000)
        : undefined;
      return {
        kind: "livepeer",
        streamId,
        playbackId: stream.playbackId,
        ingestUrl: stream.whipUrl,
        get viewers() {
          return viewers;
        },
        get peakViewers() {
          return peakViewers;
        },
        chat: noChat,
        onChat: () => () => {},
        onTip: tips.add,
        async end() {
          clearInterval(poll);
          tips.stop();
          await whip?.stop();
          // The client retries terminate; if Studio still refuses, the session on chain closes anyway.
          const terminateError = await studio.terminate(stream.id).then(
            () => undefined,
            (error: unknown) => (error instanceof Error ? error : new Error(String(error))),
          );
          const { hash } = await closeSession(wallet, { deployment, streamId, peakViewers });
          return terminateError ? { peakViewers, hash, terminateError } : { peakViewers, hash };
        },
      };
    },
    async watch({ streamId, accessKey, play }) {
      const playbackId = await playbackIdOf(reader, deployment, streamId);
      const playback = studio
        ? await studio.getPlayback(playbackId, { accessKey })
        : await fetchLivepeerPlayback(playbackId, { apiUrl: options.playbackApiUrl, accessKey });
      let played: WhepPlayback | undefined;
      if (play) {
        if (!playback.webrtc) throw new StreamingUnsupportedError("This Livepeer session has no WebRTC playback.");
        played = await playWhep({
          url: playback.webrtc,
          rtc: options.rtc,
          fallbackIceServers: livepeerIceServers,
        }).catch((error: unknown) => {
          // Livepeer answers 403 when its gate (the access-control webhook) refuses the access key.
          if (error instanceof WhipError && error.status === 403)
            throw new StreamAccessDeniedError("Livepeer refused playback: this wallet has no access to the session.");
          throw error;
        });
      }
      const tips = sessionTips(options, streamId);
      return {
        kind: "livepeer",
        streamId,
        playback,
        media: played?.media,
        connection: played?.connection,
        ready: played ? connected(played.connection) : Promise.resolve(),
        chat: noChat,
        onChat: () => () => {},
        onTip: tips.add,
        async leave() {
          tips.stop();
          await played?.stop();
        },
      };
    },
  };
}

/** Resolves once the connection is up; rejects if it fails or closes first. */
function connected(pc: RTCPeerConnection): Promise<void> {
  return new Promise((resolve, reject) => {
    const check = () => {
      if (pc.connectionState === "connected") resolve();
      else if (pc.connectionState === "failed" || pc.connectionState === "closed")
        reject(new WhipError(`the connection ${pc.connectionState}`, undefined, "WHEP"));
      else return;
      pc.removeEventListener("connectionstatechange", check);
    };
    pc.addEventListener("connectionstatechange", check);
    check();
  });
}

/**
 * Runs the steps after the on-chain session was opened; if one fails, closes the session again (best
 * effort) so a failed go-live leaves no session open forever, then rethrows the original error.
 */
async function closeSessionOnFailure<T>(
  wallet: Parameters<typeof closeSession>[0],
  deployment: Deployment,
  streamId: bigint,
  steps: () => Promise<T>,
): Promise<T> {
  try {
    return await steps();
  } catch (error) {
    await closeSession(wallet, { deployment, streamId, peakViewers: 0 }).catch(() => {});
    throw error;
  }
}
