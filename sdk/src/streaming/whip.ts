/**
 * WHIP (RFC 9725) broadcasting from the browser, and WHEP playback: one POST of the SDP offer, the
 * answer back, media flows; a DELETE of the resource ends it. Livepeer Studio ingests this way, and its client first
 * sends a HEAD to the global ingest URL to be redirected to the nearest regional node, then uses that
 * node's STUN/TURN (`Link: <…>; rel="ice-server"` headers, RFC 9725 §4.6) and prefers H264 (what
 * Livepeer transcodes and restreams without re-encoding).
 */
import { WhipError } from "./errors.ts";
import type { RtcOptions } from "./rooms.ts";

export interface WhipSession {
  connection: RTCPeerConnection;
  /** The session resource (`Location`), for DELETE. */
  resourceUrl: string | undefined;
  stop(): Promise<void>;
}

/** Resolves once ICE gathering is complete (WHIP/WHEP without trickle), or after `timeoutMs`. */
export function gathered(pc: RTCPeerConnection, timeoutMs = 2_000) {
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

/** ICE servers named by `Link: <url>; rel="ice-server"; username=…; credential=…` headers. */
export function parseIceLinks(header: string | null): RTCIceServer[] {
  if (!header) return [];
  const servers: RTCIceServer[] = [];
  for (const link of header.split(/,(?=\s*<)/)) {
    const url = /<([^>]+)>/.exec(link)?.[1];
    if (!url || !/;\s*rel="?ice-server"?/i.test(link)) continue;
    const param = (name: string) => new RegExp(`;\\s*${name}="([^"]*)"`, "i").exec(link)?.[1];
    const username = param("username");
    const credential = param("credential");
    servers.push({ urls: url, ...(username ? { username } : {}), ...(credential ? { credential } : {}) });
  }
  return servers;
}

/** Puts H264 first among the video codecs where the browser can choose (Livepeer's preference). */
function preferH264(transceiver: RTCRtpTransceiver) {
  const capabilities = globalThis.RTCRtpSender?.getCapabilities?.("video")?.codecs;
  if (!capabilities || typeof transceiver.setCodecPreferences !== "function") return;
  const h264 = capabilities.filter((c) => c.mimeType.toLowerCase() === "video/h264");
  if (h264.length) transceiver.setCodecPreferences([...h264, ...capabilities.filter((c) => !h264.includes(c))]);
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
  /** HEAD the URL first and follow its redirect to the regional ingest, as Livepeer's client does. Default true. */
  redirect?: boolean;
  /** ICE servers when neither `rtc.iceServers` nor the endpoint's `Link` headers name any (e.g. `livepeerIceServers`). */
  fallbackIceServers?: (ingestUrl: string) => RTCIceServer[];
  /** Offer H264 first. Default true. */
  preferH264?: boolean;
}): Promise<WhipSession> {
  const { url, pc } = await connectTo(params);
  for (const track of params.media.getTracks()) {
    const transceiver = pc.addTransceiver(track, { direction: "sendonly", streams: [params.media] });
    if (track.kind === "video" && (params.preferH264 ?? true)) preferH264(transceiver);
  }
  return exchange(pc, url, params.token, "WHIP");
}

export interface WhepPlayback extends WhipSession {
  /** The played audio and video; attach it to a `<video>`. */
  media: MediaStream;
}

/**
 * Plays a WHEP endpoint (e.g. a Livepeer playback's WebRTC source, access key included): the same
 * HEAD redirect and `Link` ICE servers as `publishWhip`, then a receive-only offer.
 *
 * @example
 * const { webrtc } = await fetchLivepeerPlayback(playbackId, { accessKey });
 * const playback = await playWhep({ url: webrtc!, fallbackIceServers: livepeerIceServers });
 * video.srcObject = playback.media;
 * @throws WhipError (status 403: the viewer may not watch; 404: not live)
 */
export async function playWhep(params: {
  url: string;
  rtc?: RtcOptions;
  token?: string;
  redirect?: boolean;
  fallbackIceServers?: (url: string) => RTCIceServer[];
}): Promise<WhepPlayback> {
  const { url, pc } = await connectTo(params);
  const media = new MediaStream();
  pc.addEventListener("track", (event) => {
    if (!media.getTracks().includes(event.track)) media.addTrack(event.track);
  });
  pc.addTransceiver("video", { direction: "recvonly" });
  pc.addTransceiver("audio", { direction: "recvonly" });
  return { ...(await exchange(pc, url, params.token, "WHEP")), media };
}

/** The node to talk to (after the HEAD redirect) and a connection using its ICE servers. */
async function connectTo(params: {
  url: string;
  rtc?: RtcOptions;
  redirect?: boolean;
  fallbackIceServers?: (url: string) => RTCIceServer[];
}) {
  let url = params.url;
  let linked: RTCIceServer[] = [];
  if (params.redirect ?? true) {
    // A failed HEAD is not fatal: some servers answer only POST and DELETE.
    const head = await fetch(url, { method: "HEAD" }).catch(() => undefined);
    if (head?.ok) {
      // The regional node needs the same credentials (`?accessKey=`, `?jwt=`) if the redirect dropped them.
      if (head.url) url = new URL(head.url).search ? head.url : `${head.url}${new URL(url).search}`;
      linked = parseIceLinks(head.headers.get("link"));
    }
  }
  const iceServers = params.rtc?.iceServers ?? (linked.length ? linked : (params.fallbackIceServers?.(url) ?? []));
  const pc = new RTCPeerConnection({ iceServers, iceTransportPolicy: params.rtc?.iceTransportPolicy ?? "all" });
  return { url, pc };
}

/** One POST of the complete offer (no trickle), the answer applied; the connection closed on refusal. */
async function exchange(
  pc: RTCPeerConnection,
  url: string,
  token: string | undefined,
  protocol: "WHIP" | "WHEP",
): Promise<WhipSession> {
  await pc.setLocalDescription(await pc.createOffer());
  await gathered(pc);
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/sdp", ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: pc.localDescription!.sdp,
  }).catch((cause: unknown) => {
    pc.close();
    throw new WhipError(`cannot reach ${new URL(url).origin}: ${(cause as Error).message}`, undefined, protocol);
  });
  // RFC 9725 says 201; Livepeer's own client accepts any 2XX.
  if (!response.ok) {
    pc.close();
    const body = (await response.text()).slice(0, 200);
    throw new WhipError(`the endpoint answered ${response.status}: ${body}`, response.status, protocol);
  }
  const location = response.headers.get("location");
  const resourceUrl = location ? new URL(location, url).toString() : undefined;
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
