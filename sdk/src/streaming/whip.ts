/**
 * WHIP (RFC 9725) broadcasting from the browser: one POST of the SDP offer, the answer back, media
 * flows; a DELETE of the resource ends it. Livepeer Studio ingests this way.
 */
import { WhipError } from "./errors.ts";
import type { RtcOptions } from "./rooms.ts";

export interface WhipSession {
  connection: RTCPeerConnection;
  /** The session resource (`Location`), for DELETE. */
  resourceUrl: string | undefined;
  stop(): Promise<void>;
}

/** Resolves once ICE gathering is complete (WHIP without trickle), or after `timeoutMs`. */
function gathered(pc: RTCPeerConnection, timeoutMs = 2_000) {
  if (pc.iceGatheringState === "complete") return Promise.resolve();
  return new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, timeoutMs);
    pc.addEventListener("icegatheringstatechange", () => {
      if (pc.iceGatheringState === "complete") {
        clearTimeout(timer);
        resolve();
      }
    });
  });
}

/**
 * Publishes media to a WHIP endpoint.
 *
 * @example
 * const media = await navigator.mediaDevices.getUserMedia({ audio: true, video: true });
 * const whip = await publishWhip({ url: live.ingestUrl!, media });
 * // … later
 * await whip.stop();
 * @throws WhipError when the endpoint refuses the offer
 */
export async function publishWhip(params: {
  url: string;
  media: MediaStream;
  rtc?: RtcOptions;
  /** Bearer token, if the endpoint wants one. */
  token?: string;
}): Promise<WhipSession> {
  const pc = new RTCPeerConnection({
    iceServers: params.rtc?.iceServers ?? [],
    iceTransportPolicy: params.rtc?.iceTransportPolicy ?? "all",
  });
  for (const track of params.media.getTracks())
    pc.addTransceiver(track, { direction: "sendonly", streams: [params.media] });
  await pc.setLocalDescription(await pc.createOffer());
  await gathered(pc);
  const response = await fetch(params.url, {
    method: "POST",
    headers: {
      "content-type": "application/sdp",
      ...(params.token ? { authorization: `Bearer ${params.token}` } : {}),
    },
    body: pc.localDescription!.sdp,
  }).catch((cause: unknown) => {
    pc.close();
    throw new WhipError(`cannot reach ${params.url}: ${(cause as Error).message}`);
  });
  if (response.status !== 201) {
    pc.close();
    throw new WhipError(`the endpoint answered ${response.status}: ${await response.text()}`, response.status);
  }
  const location = response.headers.get("location");
  const resourceUrl = location ? new URL(location, params.url).toString() : undefined;
  await pc.setRemoteDescription({ type: "answer", sdp: await response.text() });
  return {
    connection: pc,
    resourceUrl,
    async stop() {
      pc.close();
      if (resourceUrl) await fetch(resourceUrl, { method: "DELETE" }).catch(() => undefined);
    },
  };
}
