/**
 * Livepeer Studio's REST API with plain `fetch` (no `livepeer` package: it brings 212 packages,
 * jest among them): streams for live sessions (recording, multistream targets, webhook-gated
 * playback), WHIP ingest URLs, playback sources (WebRTC/HLS), recordings and termination. Every
 * failure is a `LivepeerError`; none repeats the API key.
 *
 * The API key grants full control of the Studio project: this module runs on a server (or the
 * artist's own tooling), never in fans' browsers. Paths and status codes: https://docs.livepeer.org/api-reference
 */
import { LivepeerError } from "../../../sdk/src/streaming/errors.ts";
import {
  type LivepeerStudio,
  livepeerIngestUrl,
  livepeerPlaybackSources,
  LIVEPEER_INGEST_BASE_URL,
} from "../../../sdk/src/streaming/livepeer.ts";

export type { LivepeerStudio } from "../../../sdk/src/streaming/livepeer.ts";

export interface LivepeerStudioOptions {
  apiKey: string;
  /** Studio API base; must end in `/api`. Default `https://livepeer.studio/api`. */
  serverURL?: string;
  /** WHIP ingest base (stream key appended). Default `https://playback.livepeer.studio/webrtc`. */
  ingestBaseUrl?: string;
  fetch?: typeof globalThis.fetch;
  /** The `playback.accessControl` webhook `setGate` uses when the call names none. */
  accessControlWebhookId?: string;
  /** Terminate retries on 429 and 5XX: attempts (default 4) and first delay (default 1 s, doubled; `Retry-After` wins). */
  retry?: { attempts?: number; baseDelayMs?: number };
}

interface StudioStreamBody {
  id?: string;
  playbackId?: string;
  streamKey?: string;
  record?: boolean;
}

interface StudioSessionBody {
  id?: string;
  recordingStatus?: string;
  recordingUrl?: string;
  mp4Url?: string;
  createdAt?: number;
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
export function createLivepeerStudio(options: LivepeerStudioOptions): LivepeerStudio & {
  setJwtGate(streamId: string): Promise<void>;
  createSigningKey(): Promise<{ id: string; publicKey: string; privateKey: string }>;
} {
  const serverURL = (options.serverURL ?? "https://livepeer.studio/api").replace(/\/+$/, "");
  if (!/\/api$/.test(serverURL)) throw new LivepeerError(`serverURL must end in /api, got ${serverURL}`);
  const ingestBaseUrl = options.ingestBaseUrl ?? LIVEPEER_INGEST_BASE_URL;
  const doFetch = options.fetch ?? globalThis.fetch.bind(globalThis);

  /** One API call; `expect` lists the success statuses (Studio answers 201 to a created stream). */
  async function call<T>(
    what: string,
    method: string,
    path: string,
    body?: unknown,
    expect = [200],
    authenticated = true,
  ): Promise<T> {
    let response: Response;
    try {
      response = await doFetch(`${serverURL}${path}`, {
        method,
        headers: {
          ...(authenticated ? { authorization: `Bearer ${options.apiKey}` } : {}),
          ...(body === undefined ? {} : { "content-type": "application/json" }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch (cause) {
      throw new LivepeerError(`${what} failed: Livepeer Studio could not be reached (${(cause as Error).message})`, {
        cause,
      });
    }
    const text = await response.text();
    if (!expect.includes(response.status)) {
      // Studio's error body is `{ errors: string[] }`.
      const errors = (safeJson(text) as { errors?: unknown } | undefined)?.errors;
      const reason = Array.isArray(errors) && errors.length > 0 ? `: ${errors.join("; ")}` : "";
      const error = new LivepeerError(`${what} failed (HTTP ${response.status})${reason}`, { status: response.status });
      const retryAfter = Number(response.headers.get("retry-after"));
      if (Number.isFinite(retryAfter) && retryAfter > 0)
        (error as { retryAfterMs?: number }).retryAfterMs = retryAfter * 1000;
      throw error;
    }
    return (text === "" ? undefined : safeJson(text)) as T;
  }

  return {
    async createStream(params) {
      const stream = await call<StudioStreamBody>(
        "creating the stream",
        "POST",
        "/stream",
        {
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
        },
        [201],
      );
      if (!stream?.id || !stream.playbackId || !stream.streamKey) {
        throw new LivepeerError("the created stream lacks an id, playback id or stream key");
      }
      return {
        id: stream.id,
        playbackId: stream.playbackId,
        streamKey: stream.streamKey,
        whipUrl: livepeerIngestUrl(stream.streamKey, ingestBaseUrl),
        record: stream.record ?? false,
      };
    },
    async setGate(streamId, gate) {
      const webhookId = gate.webhookId ?? options.accessControlWebhookId;
      if (!webhookId) throw new LivepeerError("gating a stream needs a webhook id (`accessControlWebhookId`)");
      await call(
        "setting the playback policy",
        "PATCH",
        `/stream/${encodeURIComponent(streamId)}`,
        { playbackPolicy: { type: "webhook", webhookId, webhookContext: gate.context } },
        [200, 204],
      );
    },
    async createAccessControlWebhook(params) {
      const webhook = await call<{ id?: string }>("creating the access-control webhook", "POST", "/webhook", {
        name: params.name,
        url: params.url,
        events: ["playback.accessControl"],
        ...(params.sharedSecret ? { sharedSecret: params.sharedSecret } : {}),
      });
      if (!webhook?.id) throw new LivepeerError("the created webhook has no id");
      return webhook.id;
    },
    async setJwtGate(streamId) {
      await call(
        "setting the playback policy",
        "PATCH",
        `/stream/${encodeURIComponent(streamId)}`,
        { playbackPolicy: { type: "jwt" } },
        [200, 204],
      );
    },
    async createSigningKey() {
      const key = await call<{ id?: string; publicKey?: string; privateKey?: string }>(
        "creating a signing key",
        "POST",
        "/access-control/signing-key",
        {},
        [201],
      );
      if (!key?.id || !key.publicKey || !key.privateKey)
        throw new LivepeerError("the created signing key is incomplete");
      return { id: key.id, publicKey: key.publicKey, privateKey: key.privateKey };
    },
    async getPlayback(playbackId, opts = {}) {
      // Public on Studio: no API key travels with it.
      const info = await call<Parameters<typeof livepeerPlaybackSources>[0]>(
        "reading playback info",
        "GET",
        `/playback/${encodeURIComponent(playbackId)}`,
        undefined,
        [200],
        false,
      );
      return livepeerPlaybackSources(info, opts);
    },
    async getRecordings(streamId) {
      const sessions = await call<StudioSessionBody[]>(
        "listing recordings",
        "GET",
        `/stream/${encodeURIComponent(streamId)}/sessions?record=1`,
      );
      return (sessions ?? []).map((session) => ({
        sessionId: session.id ?? "",
        status: session.recordingStatus ?? "none",
        url: session.recordingUrl,
        mp4Url: session.mp4Url,
        createdAt: session.createdAt,
      }));
    },
    async terminate(streamId) {
      // 429 (a terminate within 5 s of the previous one, or the rate limiter) and 5XX are retried with backoff.
      const attempts = options.retry?.attempts ?? 4;
      let delay = options.retry?.baseDelayMs ?? 1_000;
      for (let attempt = 1; ; attempt++) {
        try {
          return void (await call(
            "terminating the stream",
            "DELETE",
            `/stream/${encodeURIComponent(streamId)}/terminate`,
            undefined,
            [200, 204],
          ));
        } catch (error) {
          const status = (error as LivepeerError).status;
          const retryable = status === undefined || status === 429 || status >= 500;
          if (!retryable || attempt >= attempts) throw error;
          const wait = (error as { retryAfterMs?: number }).retryAfterMs ?? delay;
          await new Promise((resolve) => setTimeout(resolve, wait));
          delay *= 2;
        }
      }
    },
    async deleteStream(streamId) {
      await call("deleting the stream", "DELETE", `/stream/${encodeURIComponent(streamId)}`, undefined, [200, 204]);
    },
  };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
