/**
 * The browser side of the end-to-end tests and the first-frame benchmark: a minimal page script that
 * drives the SDK's streaming module (bundled with esbuild) as the dApp would. Tests call `window.h.*`.
 */
import { createWalletClient, http } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { harmonieLocal } from "../../../sdk/src/chains.ts";
import type { Deployment } from "../../../sdk/src/deployments.ts";
import {
  createStreamingProvider,
  type LiveBroadcast,
  type LiveWatch,
  livepeerIceServers,
  playWhep,
  publishWhip,
  receiveStats,
  type RtcOptions,
  type TipNotice,
  type WhipSession,
} from "../../../sdk/src/streaming/index.ts";

interface Setup {
  rpcUrl: string;
  deployment: Deployment;
  key: `0x${string}`;
  signallingUrl: string;
  /** An SFU sharing the signalling service's sessions: the mesh's overflow watches through it. */
  sfuUrl?: string;
  rtc?: RtcOptions;
}

const state = {
  tips: [] as TipNotice[],
  chats: [] as { from: string; text: string }[],
  firstFrameMs: undefined as number | undefined,
  live: undefined as LiveBroadcast | undefined,
  watch: undefined as LiveWatch | undefined,
  whip: undefined as WhipSession | undefined,
};

const provider = (setup: Setup) =>
  createStreamingProvider({
    kind: "rooms",
    signallingUrl: setup.signallingUrl,
    sfuUrl: setup.sfuUrl,
    wallet: createWalletClient({
      account: privateKeyToAccount(setup.key),
      chain: harmonieLocal,
      transport: http(setup.rpcUrl),
    }),
    deployment: setup.deployment,
    rtc: setup.rtc,
    tipPollingIntervalMs: 250,
  });

const outcome = async <T>(run: () => Promise<T>) => {
  try {
    return { ok: true as const, value: await run() };
  } catch (error) {
    return { ok: false as const, name: (error as Error).name, message: (error as Error).message };
  }
};

const media = () => navigator.mediaDevices.getUserMedia({ audio: true, video: { width: 320, height: 240 } });

const h = {
  state,
  goLive: (setup: Setup & { title: string; gatingTrackId?: string }) =>
    outcome(async () => {
      const live = await provider(setup).goLive({
        title: setup.title,
        gatingTrackId: setup.gatingTrackId ? BigInt(setup.gatingTrackId) : undefined,
        media: await media(),
      });
      state.live = live;
      live.onTip((tip) => state.tips.push(tip));
      live.onChat((message) => state.chats.push(message));
      return live.streamId.toString();
    }),
  watch: (setup: Setup & { streamId: string }) =>
    outcome(async () => {
      const watch = await provider(setup).watch({ streamId: BigInt(setup.streamId) });
      state.watch = watch;
      watch.onTip((tip) => state.tips.push(tip));
      watch.onChat((message) => state.chats.push(message));
      const video = document.createElement("video");
      video.muted = false; // audio is rendered, so Chrome measures its energy
      video.autoplay = true;
      video.playsInline = true;
      video.srcObject = watch.media!;
      document.body.append(video);
      await new Promise<void>((resolve) =>
        video.requestVideoFrameCallback((now) => {
          state.firstFrameMs = now - watch.offerReceivedAt!;
          resolve();
        }),
      );
      await watch.ready;
      return state.firstFrameMs;
    }),
  chat: (text: string) => (state.live ?? state.watch)!.chat(text),
  via: () => state.watch?.via,
  relayError: () => state.live?.relayError?.message,
  stats: () => receiveStats(state.watch!.connection!),
  /** Local and remote candidate types of the selected pair (from the transport's stats). */
  selectedCandidateTypes: async () => {
    const stats = await state.watch!.connection!.getStats();
    const types: string[] = [];
    stats.forEach((report) => {
      if (report.type !== "transport" || !report.selectedCandidatePairId) return;
      const pair = stats.get(report.selectedCandidatePairId);
      types.push(stats.get(pair.localCandidateId)?.candidateType, stats.get(pair.remoteCandidateId)?.candidateType);
    });
    return types;
  },
  leave: () => outcome(() => state.watch!.leave()),
  end: () =>
    outcome(async () => {
      const { peakViewers, hash } = await state.live!.end();
      return { peakViewers, hash };
    }),
  whip: (url: string) =>
    outcome(async () => {
      state.whip = await publishWhip({ url, media: await media() });
      return state.whip.resourceUrl;
    }),
  whipState: () => state.whip?.connection.connectionState,
  /** Plays a WHEP URL and resolves with the size of the first decoded video frame. */
  whep: (url: string) =>
    outcome(async () => {
      const playback = await playWhep({ url, fallbackIceServers: livepeerIceServers });
      const video = Object.assign(document.createElement("video"), { muted: true, autoplay: true, playsInline: true });
      video.srcObject = playback.media;
      document.body.append(video);
      await new Promise<void>((resolve) => video.requestVideoFrameCallback(() => resolve()));
      return `${video.videoWidth}x${video.videoHeight}`;
    }),
  whipStop: () => state.whip?.stop(),
};

(window as unknown as { h: typeof h }).h = h;
