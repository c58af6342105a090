/**
 * Livepeer Studio through the official `livepeer` SDK: streams for live sessions (recording,
 * multistream targets, webhook-gated playback), WHIP ingest URLs (`@livepeer/core`'s `getIngest`),
 * playback sources (WebRTC/HLS), recordings and termination. Every failure is a `LivepeerError`.
 *
 * The API key grants full control of the Studio project: use this module server-side, or from the
 * artist's own tooling, never in fans' browsers.
 */
import { getIngest } from "@livepeer/core";
import { Livepeer } from "livepeer";
import { LivepeerError } from "./errors.ts";

export interface LivepeerStudioOptions {
  apiKey: string;
  /** Studio API base; must end in `/api`. Default `https://livepeer.studio/api`. */
  serverURL?: string;
  /** WHIP ingest base (stream key appended). Default `https://playback.livepeer.studio/webrtc`. */
  ingestBaseUrl?: string;
}

export interface MultistreamTarget {
  /** e.g. `rtmp://a.rtmp.youtube.com/live2/<key>` */
  url: string;
  name?: string;
  /** Rendition to send: `source` or a transcoded profile name. Default `source`. */
  profile?: string;
  videoOnly?: boolean;
}

export interface StudioStream {
  id: string;
  playbackId: string;
  streamKey: string;
  /** WHIP URL to broadcast to from a browser. */
  whipUrl: string;
  record: boolean;
}

export interface PlaybackSources {
  /** WebRTC (WHEP) URL, lowest latency. */
  webrtc?: string;
  /** HLS manifest. */
  hls?: string;
  /** Every source Studio returned. */
  sources: { hrn: string; type: string; url: string }[];
}

export interface Recording {
  sessionId: string;
  status: string;
  /** HLS of the recording. */
  url?: string;
  mp4Url?: string;
  createdAt?: number;
}

export interface LivepeerStudio {
  createStream(params: { name: string; record?: boolean; multistream?: MultistreamTarget[] }): Promise<StudioStream>;
  /** Gates playback behind a `playback.accessControl` webhook, with `context` passed to it. */
  setGate(streamId: string, gate: { webhookId: string; context: Record<string, string> }): Promise<void>;
  /** Registers the access-control webhook and returns its id. */
  createAccessControlWebhook(params: { name: string; url: string; sharedSecret?: string }): Promise<string>;
  /** Playback sources; with `accessKey` appended as Livepeer's players do for webhook-gated content. */
  getPlayback(playbackId: string, options?: { accessKey?: string }): Promise<PlaybackSources>;
  getRecordings(streamId: string): Promise<Recording[]>;
  /** Ends any live session of the stream (the stream itself remains). */
  terminate(streamId: string): Promise<void>;
  deleteStream(streamId: string): Promise<void>;
}

async function call<T>(what: string, run: () => Promise<T & { error?: { errors?: string[] } }>): Promise<T> {
  let result: T & { error?: { errors?: string[] } };
  try {
    result = await run();
  } catch (cause) {
    const status = (cause as { statusCode?: number }).statusCode;
    throw new LivepeerError(`${what} failed${status ? ` (HTTP ${status})` : ""}: ${(cause as Error).message}`, {
      status,
      cause,
    });
  }
  if (result.error) throw new LivepeerError(`${what} failed: ${(result.error.errors ?? []).join("; ")}`);
  return result;
}

/**
 * A Livepeer Studio client.
 *
 * @example
 * const studio = createLivepeerStudio({ apiKey: process.env.LIVEPEER_API_KEY! });
 * const stream = await studio.createStream({ name: "Friday set", record: true });
 * console.log(stream.whipUrl, stream.playbackId);
 * const { webrtc, hls } = await studio.getPlayback(stream.playbackId);
 * await studio.terminate(stream.id);
 */
export function createLivepeerStudio(options: LivepeerStudioOptions): LivepeerStudio {
  const serverURL = options.serverURL ?? "https://livepeer.studio/api";
  if (!/\/api\/?$/.test(serverURL)) throw new LivepeerError(`serverURL must end in /api, got ${serverURL}`);
  const sdk = new Livepeer({ apiKey: options.apiKey, serverURL: serverURL.replace(/\/$/, "") });
  const ingestBaseUrl = options.ingestBaseUrl ?? "https://playback.livepeer.studio/webrtc";

  return {
    async createStream(params) {
      const { stream } = await call("creating the stream", () =>
        sdk.stream.create({
          name: params.name,
          record: params.record ?? false,
          ...(params.multistream?.length
            ? {
                multistream: {
                  targets: params.multistream.map((target) => ({
                    profile: target.profile ?? "source",
                    videoOnly: target.videoOnly ?? false,
                    spec: { name: target.name, url: target.url },
                  })),
                },
              }
            : {}),
        }),
      );
      if (!stream?.id || !stream.playbackId || !stream.streamKey) {
        throw new LivepeerError("the created stream lacks an id, playback id or stream key");
      }
      return {
        id: stream.id,
        playbackId: stream.playbackId,
        streamKey: stream.streamKey,
        whipUrl: getIngest(stream.streamKey, { baseUrl: ingestBaseUrl })!,
        record: stream.record ?? false,
      };
    },
    async setGate(streamId, gate) {
      await call("setting the playback policy", () =>
        sdk.stream.update(
          { playbackPolicy: { type: "webhook" as never, webhookId: gate.webhookId, webhookContext: gate.context } },
          streamId,
        ),
      );
    },
    async createAccessControlWebhook(params) {
      const { webhook } = await call("creating the access-control webhook", () =>
        sdk.webhook.create({
          name: params.name,
          url: params.url,
          events: ["playback.accessControl" as never],
          sharedSecret: params.sharedSecret,
        }),
      );
      if (!webhook?.id) throw new LivepeerError("the created webhook has no id");
      return webhook.id;
    },
    async getPlayback(playbackId, opts = {}) {
      const { playbackInfo } = await call("reading playback info", () => sdk.playback.get(playbackId));
      const withKey = (url: string) =>
        opts.accessKey ? `${url}${url.includes("?") ? "&" : "?"}accessKey=${encodeURIComponent(opts.accessKey)}` : url;
      const sources = (playbackInfo?.meta.source ?? []).map((s) => ({ hrn: s.hrn, type: s.type, url: withKey(s.url) }));
      return {
        webrtc: sources.find((s) => s.hrn.startsWith("WebRTC"))?.url,
        hls: sources.find((s) => s.hrn.startsWith("HLS"))?.url,
        sources,
      };
    },
    async getRecordings(streamId) {
      const { data } = await call("listing recordings", () => sdk.session.getRecorded(streamId, true));
      return (data ?? []).map((session) => ({
        sessionId: session.id ?? "",
        status: session.recordingStatus ?? "none",
        url: session.recordingUrl,
        mp4Url: session.mp4Url,
        createdAt: session.createdAt,
      }));
    },
    async terminate(streamId) {
      await call("terminating the stream", () => sdk.stream.terminate(streamId));
    },
    async deleteStream(streamId) {
      await call("deleting the stream", () => sdk.stream.delete(streamId));
    },
  };
}
