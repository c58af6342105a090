/**
 * What a browser needs of Livepeer: the WHIP ingest URL of a stream key and the WebRTC (WHEP) and HLS
 * playback URLs of a playback id. Nothing here holds an API key. Creating, gating and ending streams
 * needs the Studio API key, a secret: `createLivepeerStudio` in `@harmonie/services` does it on a
 * server, and the `livepeer` streaming provider takes any object with the `LivepeerStudio` shape
 * (that client, or a thin client of your own backend).
 */

import type { HarmonieClient } from "../actions/internal.ts";
import { signInToService } from "../auth.ts";
import { serviceErrorOf } from "../protocol/http.ts";
import { RELAY_STREAMS_PATH } from "../protocol/livepeer-gate.ts";
import { LivepeerError, StreamingUnsupportedError } from "./errors.ts";

/** Livepeer Studio's public WHIP ingest base; the stream key is appended. */
export const LIVEPEER_INGEST_BASE_URL = "https://playback.livepeer.studio/webrtc";

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

/** The Studio operations the `livepeer` provider uses; implemented server-side (it needs the API key). */
export interface LivepeerStudio {
  createStream(params: { name: string; record?: boolean; multistream?: MultistreamTarget[] }): Promise<StudioStream>;
  /**
   * Gates playback behind a `playback.accessControl` webhook, with `context` passed to it; without
   * `webhookId`, the one the implementation knows (a relay's server has its own).
   */
  setGate(streamId: string, gate: { webhookId?: string; context: Record<string, string> }): Promise<void>;
  /** Registers the access-control webhook and returns its id. */
  createAccessControlWebhook(params: { name: string; url: string; sharedSecret?: string }): Promise<string>;
  /** Playback sources; with `accessKey` appended as Livepeer's players do for webhook-gated content. */
  getPlayback(playbackId: string, options?: { accessKey?: string }): Promise<PlaybackSources>;
  getRecordings(streamId: string): Promise<Recording[]>;
  /** Gates playback behind JWTs signed with a signing key (`signPlaybackJwt` in `@harmonie/services`). */
  setJwtGate?(streamId: string): Promise<void>;
  /**
   * Ends any live session of the stream (the stream itself remains). Asynchronous on Studio: the
   * session stops shortly after, and its recording is ready minutes later.
   */
  terminate(streamId: string): Promise<void>;
  deleteStream(streamId: string): Promise<void>;
}

/**
 * The WHIP URL a browser broadcasts a stream key to (what `@livepeer/core`'s `getIngest` returns for
 * a key: the base and the key; a full URL is returned as is).
 *
 * @example
 * const url = livepeerIngestUrl(stream.streamKey); // https://playback.livepeer.studio/webrtc/<key>
 */
export function livepeerIngestUrl(streamKey: string, baseUrl: string = LIVEPEER_INGEST_BASE_URL): string {
  if (/^https?:\/\//i.test(streamKey)) return streamKey;
  return `${baseUrl.replace(/\/+$/, "")}/${streamKey}`;
}

/**
 * Livepeer's STUN/TURN for an ingest or playback node: its own host, credentials `livepeer`/`livepeer`
 * (what Livepeer's client uses when the node names none).
 *
 * @example
 * new RTCPeerConnection({ iceServers: livepeerIceServers("https://lax-prod-catalyst-2.lp-playback.studio/webrtc/key") });
 */
export function livepeerIceServers(nodeUrl: string): RTCIceServer[] {
  const host = new URL(nodeUrl).hostname;
  return [{ urls: `stun:${host}` }, { urls: `turn:${host}`, username: "livepeer", credential: "livepeer" }];
}

/** Livepeer Studio's public API base. */
export const LIVEPEER_API_URL = "https://livepeer.studio/api";

/**
 * A playback id's sources from Studio's playback-info endpoint, which needs no API key: what a fan's
 * browser calls. Webhook-gated sources get `accessKey` appended; JWT-gated ones `jwt`.
 *
 * @example
 * const { webrtc, hls } = await fetchLivepeerPlayback(playbackId, { accessKey });
 * @throws LivepeerError on a non-200 answer (404: unknown playback id)
 */
export async function fetchLivepeerPlayback(
  playbackId: string,
  options: { apiUrl?: string; accessKey?: string; jwt?: string; fetch?: typeof globalThis.fetch } = {},
): Promise<PlaybackSources> {
  const apiUrl = (options.apiUrl ?? LIVEPEER_API_URL).replace(/\/+$/, "");
  const doFetch = options.fetch ?? globalThis.fetch.bind(globalThis);
  let response: Response;
  try {
    response = await doFetch(`${apiUrl}/playback/${encodeURIComponent(playbackId)}`);
  } catch (cause) {
    throw new LivepeerError(`reading playback info failed: ${(cause as Error).message}`, { cause });
  }
  if (response.status !== 200) {
    throw new LivepeerError(`reading playback info failed (HTTP ${response.status})`, { status: response.status });
  }
  return livepeerPlaybackSources(await response.json(), options);
}

/**
 * The WebRTC and HLS URLs in a Studio playback-info body (`GET /api/playback/<id>`: `meta.source[]`),
 * with `accessKey` appended for webhook-gated content.
 *
 * @example
 * const { webrtc, hls } = livepeerPlaybackSources(await (await fetch(`${api}/playback/${id}`)).json());
 */
export function livepeerPlaybackSources(
  playbackInfo: { meta?: { source?: { hrn: string; type: string; url: string }[] } } | undefined,
  options: { accessKey?: string; jwt?: string } = {},
): PlaybackSources {
  const withKey = (url: string) => {
    const [name, value] = options.accessKey ? ["accessKey", options.accessKey] : ["jwt", options.jwt];
    return value ? `${url}${url.includes("?") ? "&" : "?"}${name}=${encodeURIComponent(value)}` : url;
  };
  const sources = (playbackInfo?.meta?.source ?? []).map((s) => ({ hrn: s.hrn, type: s.type, url: withKey(s.url) }));
  return {
    webrtc: sources.find((s) => s.hrn.startsWith("WebRTC"))?.url,
    hls: sources.find((s) => s.hrn.startsWith("HLS"))?.url,
    sources,
  };
}

/**
 * Signs in to the HarmonieCORE Livepeer access-control service with the wallet (one signature, no
 * transaction). The token is both the artist's key to `livepeerRelay` and a fan's Livepeer access key
 * (Studio passes it to the service's webhook, which checks the wallet's access on chain).
 *
 * @example
 * const token = await signInToLivepeerGate(wallet, { gateUrl: config.livepeerGateUrl });
 * @throws LivepeerError with the service's `errorName` (`SignInError`: refused signature)
 */
export function signInToLivepeerGate(
  client: HarmonieClient,
  params: { gateUrl: string; /** The host the service expects; its URL's host by default. */ domain?: string },
): Promise<string> {
  return signInToService(client, {
    url: params.gateUrl,
    domain: params.domain,
    statement: "Watch and broadcast HarmonieCORE live sessions on Livepeer.",
    refused: ({ message, status, errorName, cause }) =>
      new LivepeerError(`signing in to the Livepeer gate failed: ${message}`, { status, errorName, cause }),
  });
}

/**
 * A `LivepeerStudio` for browsers: the HarmonieCORE access-control service creates, gates and ends
 * the artist's streams with its own Studio key (when its `/health` says `studio: true`); playback info
 * comes from Studio's public API. Pass it as the `livepeer` provider's `studio`.
 *
 * @example
 * const studio = livepeerRelay({ gateUrl: config.livepeerGateUrl, token });
 * const provider = createStreamingProvider({ kind: "livepeer", studio, wallet, deployment });
 * const live = await provider.goLive({ title: "Friday set", media });
 * @throws LivepeerError with the service's `errorName` (`Forbidden`: not an artist; `RateLimited`: too many streams)
 */
export function livepeerRelay(params: {
  /** The access-control service, e.g. `http://127.0.0.1:8792`. */
  gateUrl: string;
  /** The artist's session token from that service's sign-in (or one issued with the same secret). */
  token: string;
  /** Studio's API base for playback info. Default `https://livepeer.studio/api`. */
  playbackApiUrl?: string;
  fetch?: typeof globalThis.fetch;
}): LivepeerStudio {
  const doFetch = params.fetch ?? globalThis.fetch.bind(globalThis);
  const base = `${params.gateUrl.replace(/\/+$/, "")}${RELAY_STREAMS_PATH}`;
  const post = async <T>(what: string, path: string, body?: unknown): Promise<T> => {
    let response: Response;
    try {
      response = await doFetch(`${base}${path}`, {
        method: "POST",
        headers: { authorization: `Bearer ${params.token}`, "content-type": "application/json" },
        body: JSON.stringify(body ?? {}),
      });
    } catch (cause) {
      throw new LivepeerError(`${what} failed: the HarmonieCORE service is unreachable`, { cause });
    }
    const json = await response.json().catch(() => undefined);
    if (!response.ok) {
      const error = serviceErrorOf(json);
      throw new LivepeerError(`${what} failed: ${error?.message ?? `HTTP ${response.status}`}`, {
        status: response.status,
        errorName: error?.name,
      });
    }
    return json as T;
  };
  const serverSide = (what: string) => async () => {
    throw new StreamingUnsupportedError(`${what} is the server operator's (it needs the Studio API key).`);
  };
  return {
    createStream: ({ name, record }) => post<StudioStream>("creating the stream", "", { name, record }),
    async setGate(streamId, gate) {
      await post("gating the stream", `/${encodeURIComponent(streamId)}/gate`, { streamId: gate.context.streamId });
    },
    async terminate(streamId) {
      await post("ending the stream", `/${encodeURIComponent(streamId)}/terminate`);
    },
    getPlayback: (playbackId, options) =>
      fetchLivepeerPlayback(playbackId, {
        apiUrl: params.playbackApiUrl,
        accessKey: options?.accessKey,
        fetch: doFetch,
      }),
    createAccessControlWebhook: serverSide("Registering the webhook"),
    getRecordings: serverSide("Listing recordings"),
    deleteStream: serverSide("Deleting a stream"),
  };
}
