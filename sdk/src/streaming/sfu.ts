/**
 * The browser side of the selective forwarding unit (`harmonie serve sfu`): sign in once, publish a
 * session over WHIP (the artist uploads once whatever the audience) and watch it over WHEP, each one
 * POST of an SDP offer (ICE gathered first, no trickle) with `fetch` and `RTCPeerConnection`.
 * Refusals are `SfuError`s carrying the service's stable error `name` (`AccessDeniedError`,
 * `Forbidden`, `NotFoundError`, `SignInRequired`, `RateLimited`, `ChainUnavailable` …).
 */
import { gathered } from "./whip.ts";
import { signInToService } from "../auth.ts";
import type { HarmonieClient } from "../actions/internal.ts";
import { HarmonieError } from "../errors.ts";
import { type ServiceErrorName, serviceErrorOf } from "../protocol/http.ts";
import { SDP_CONTENT_TYPE, sfuWhepUrl, sfuWhipUrl } from "../protocol/sfu.ts";
import type { RtcOptions } from "./rooms.ts";

/** The SFU refused a request (`errorName` is the service's stable name) or could not be reached. */
export class SfuError extends HarmonieError {
  readonly status: number | undefined;
  readonly errorName: ServiceErrorName | undefined;
  readonly retryAfterSeconds: number | undefined;
  constructor(
    message: string,
    details: { status?: number; errorName?: ServiceErrorName; retryAfterSeconds?: number; cause?: unknown } = {},
  ) {
    super(`SFU: ${message}`, { cause: details.cause });
    this.name = "SfuError";
    this.status = details.status;
    this.errorName = details.errorName;
    this.retryAfterSeconds = details.retryAfterSeconds;
  }
}

async function request(url: string, init: RequestInit): Promise<Response> {
  try {
    return await fetch(url, init);
  } catch (cause) {
    throw new SfuError(`cannot reach ${new URL(url).origin}`, { cause });
  }
}

async function refusal(response: Response): Promise<SfuError> {
  const error = serviceErrorOf(await response.json().catch(() => undefined));
  return new SfuError(error?.message ?? `the service answered ${response.status}`, {
    status: response.status,
    errorName: error?.name,
    retryAfterSeconds: error?.retryAfterSeconds,
  });
}

/**
 * Signs in to an SFU with the wallet (Sign-In with Ethereum) and returns its session token.
 *
 * @example
 * const token = await signInToSfu(walletClient, { sfuUrl: "https://sfu.example.org" });
 * @throws SfuError when the service refuses the sign-in
 */
export async function signInToSfu(
  client: HarmonieClient,
  params: { sfuUrl: string; /** The host the SFU expects; its URL's host by default. */ domain?: string },
): Promise<string> {
  return signInToService(client, {
    url: params.sfuUrl,
    domain: params.domain,
    statement: "Watch and broadcast HarmonieCORE live sessions.",
    refused: ({ message, ...details }) => new SfuError(message, details),
  });
}

export interface SfuConnection {
  connection: RTCPeerConnection;
  /** The SFU resource (`Location`), ended by `stop`. */
  resourceUrl: string;
  stop(): Promise<void>;
}

export interface SfuWatch extends SfuConnection {
  /** The session's audio and video; attach it to a `<video>`. */
  stream: MediaStream;
}

/** Sends the offer, applies the answer; closes the connection on any refusal. */
async function negotiate(pc: RTCPeerConnection, url: string, token: string): Promise<SfuConnection> {
  try {
    // The SFU forwards VP8 only: offer it first so the answer can match the publisher.
    for (const transceiver of pc.getTransceivers()) {
      if (transceiver.receiver.track.kind !== "video") continue;
      const capabilities = RTCRtpReceiver.getCapabilities?.("video")?.codecs ?? [];
      const vp8 = capabilities.filter((c) => c.mimeType.toLowerCase() === "video/vp8");
      if (vp8.length > 0 && transceiver.setCodecPreferences) transceiver.setCodecPreferences(vp8);
    }
    await pc.setLocalDescription(await pc.createOffer());
    await gathered(pc);
    const response = await request(url, {
      method: "POST",
      headers: { "content-type": SDP_CONTENT_TYPE, authorization: `Bearer ${token}` },
      body: pc.localDescription!.sdp,
    });
    if (response.status !== 201) throw await refusal(response);
    const location = response.headers.get("location");
    if (!location) throw new SfuError("the answer has no Location", { status: response.status });
    const resourceUrl = new URL(location, url).toString();
    await pc.setRemoteDescription({ type: "answer", sdp: await response.text() });
    return {
      connection: pc,
      resourceUrl,
      async stop() {
        pc.close();
        await fetch(resourceUrl, { method: "DELETE", headers: { authorization: `Bearer ${token}` } }).catch(
          () => undefined,
        );
      },
    };
  } catch (error) {
    pc.close();
    throw error;
  }
}

/**
 * Publishes a session to the SFU (WHIP). Only the session's artist is accepted.
 *
 * @example
 * const media = await navigator.mediaDevices.getUserMedia({ audio: true, video: true });
 * const token = await signInToSfu(artistWallet, { sfuUrl });
 * const live = await publishSfu({ sfuUrl, streamId, token, media });
 * await live.stop();
 * @throws SfuError (`Forbidden`: not the session's artist or closed; `NotFoundError`: no such session)
 */
export async function publishSfu(params: {
  sfuUrl: string;
  streamId: bigint | string;
  token: string;
  media: MediaStream;
  rtc?: RtcOptions;
}): Promise<SfuConnection> {
  const pc = new RTCPeerConnection({
    iceServers: params.rtc?.iceServers ?? [],
    iceTransportPolicy: params.rtc?.iceTransportPolicy ?? "all",
  });
  for (const track of params.media.getTracks())
    pc.addTransceiver(track, { direction: "sendonly", streams: [params.media] });
  return negotiate(pc, sfuWhipUrl(params.sfuUrl, params.streamId), params.token);
}

/**
 * Watches a session through the SFU (WHEP). The wallet behind `token` must be able to watch it on
 * chain (an open session, or a licence of its gating track).
 *
 * @example
 * const token = await signInToSfu(fanWallet, { sfuUrl });
 * const watch = await watchSfu({ sfuUrl, streamId, token });
 * video.srcObject = watch.stream;
 * @throws SfuError (`AccessDeniedError`: no licence; `NotFoundError`: the artist is not live yet)
 */
export async function watchSfu(params: {
  sfuUrl: string;
  streamId: bigint | string;
  token: string;
  rtc?: RtcOptions;
}): Promise<SfuWatch> {
  const pc = new RTCPeerConnection({
    iceServers: params.rtc?.iceServers ?? [],
    iceTransportPolicy: params.rtc?.iceTransportPolicy ?? "all",
  });
  const stream = new MediaStream();
  pc.addEventListener("track", (event) => {
    if (!stream.getTracks().includes(event.track)) stream.addTrack(event.track);
  });
  pc.addTransceiver("video", { direction: "recvonly" });
  pc.addTransceiver("audio", { direction: "recvonly" });
  const connection = await negotiate(pc, sfuWhepUrl(params.sfuUrl, params.streamId), params.token);
  return { ...connection, stream };
}
