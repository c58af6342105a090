/**
 * The forwarding core of the SFU, on werift (pure TypeScript WebRTC): one publisher per session sends
 * VP8 video and Opus audio once; each viewer gets its own peer connection, and every RTP packet of the
 * publisher is handed to each viewer's sender without decoding. werift's sender rewrites the SSRC,
 * payload type and sequence/timestamp continuity per viewer and answers the viewer's NACKs from its
 * history, so the forwarder only decides *what* to send:
 *
 * - a viewer's video starts at a keyframe (packets before it would be undecodable), and a new viewer
 *   triggers one PLI to the publisher (shared by every viewer arriving while it is pending), so its
 *   first frame comes within a round trip instead of at the next periodic keyframe;
 * - a viewer's own PLI/FIR is forwarded to the publisher, throttled (one keyframe serves everyone);
 * - requests are spaced by the publisher's own throttle: libwebrtc drops one within 300 ms of the
 *   previous, so a viewer arriving just after a keyframe would otherwise wait for the retry;
 * - the publisher's header extensions are dropped: their ids were negotiated with the publisher,
 *   not with the viewer (werift adds the viewer's own, such as transport-wide sequence numbers);
 * - a packet goes to each viewer by `sendToViewer`, a shortcut through werift's sender that does only
 *   what forwarding needs (measured with `npm run bench`: most of the SFU's CPU is per packet and viewer).
 */
import { randomUUID } from "node:crypto";
import type { Socket } from "node:dgram";
import {
  type MediaStreamTrack,
  RTCPeerConnection,
  type RTCPeerConnectionConfig,
  RTCRtpCodecParameters,
  type RTCRtpSender,
  type RTCRtpTransceiver,
  RtpHeader,
  RtpPacket,
  type RTCDtlsTransport,
} from "werift";

/**
 * VP8 and Opus only: the SFU forwards, it never transcodes, so every peer must agree on the codec
 * (werift peers such as the headless viewer and the benchmark's publisher use the same list).
 */
export const sfuCodecs = () => ({
  video: [
    new RTCRtpCodecParameters({
      mimeType: "video/VP8",
      clockRate: 90_000,
      rtcpFeedback: [{ type: "nack" }, { type: "nack", parameter: "pli" }, { type: "ccm", parameter: "fir" }],
    }),
  ],
  audio: [new RTCRtpCodecParameters({ mimeType: "audio/opus", clockRate: 48_000, channels: 2 })],
});

export interface ForwarderOptions {
  /** Extra werift configuration (e.g. `iceServers`, `icePortRange`). */
  rtc?: RTCPeerConnectionConfig;
  /** Host addresses to offer besides the interfaces' own; `127.0.0.1` is needed on a loopback-only host. */
  hostAddresses?: string[];
  /** How long a keyframe request may stay unanswered before another is sent. Default 1 s. */
  keyframeIntervalMs?: number;
  /** The least time between two keyframe requests: a publisher drops closer ones (libwebrtc: 300 ms). Default 350 ms. */
  keyframeGapMs?: number;
  /** How long ICE gathering may take before the answer is sent anyway. Default 3 s. */
  gatherTimeoutMs?: number;
}

export interface PeerStats {
  id: string;
  state: string;
  packets: number;
}

export interface Publication {
  readonly id: string;
  /** The publisher's peer connection (for its transport state and sockets). */
  readonly pc: RTCPeerConnection;
  readonly key: string;
  /** RTP packets received from the publisher. */
  packetsIn: number;
  /** RTP packets handed to viewers. */
  packetsOut: number;
  /** Keyframe requests sent to the publisher. */
  keyframeRequests: number;
  viewers(): PeerStats[];
}

export interface Forwarder {
  /** Answers a publisher's offer (sendonly video and/or audio) for `key`; a previous publisher of `key` is replaced. */
  publish(key: string, offer: string): Promise<{ id: string; answer: string }>;
  /** Answers a viewer's offer (recvonly) for `key`. @throws when nobody publishes `key`. */
  subscribe(key: string, offer: string): Promise<{ id: string; answer: string }>;
  publication(key: string): Publication | undefined;
  publications(): Publication[];
  /** Which session and role a resource id belongs to. */
  resource(id: string): { key: string; role: "publisher" | "viewer" } | undefined;
  /** Ends a publisher (and its viewers) or one viewer. */
  end(id: string): Promise<boolean>;
  close(): Promise<void>;
}

/** Thrown by `subscribe` when the session has no publisher. */
export class NotPublishingError extends Error {
  override name = "NotPublishingError";
}

/** Thrown when an offer cannot be answered (not SDP, no VP8/Opus, nothing to send or receive). */
export class BadOfferError extends Error {
  override name = "BadOfferError";
}

/** Whether an RTP payload starts a VP8 keyframe (RFC 7741: start of partition 0, P bit clear). */
export function isVp8KeyframeStart(payload: Buffer): boolean {
  if (payload.length < 3) return false;
  const first = payload[0]!;
  const start = (first & 0x10) !== 0 && (first & 0x07) === 0;
  if (!start) return false;
  let offset = 1;
  if (first & 0x80) {
    const ext = payload[offset++]!;
    if (ext & 0x80) offset += (payload[offset]! & 0x80) !== 0 ? 2 : 1; // PictureID, 7 or 15 bits
    if (ext & 0x40) offset += 1; // TL0PICIDX
    if (ext & 0x30) offset += 1; // TID / KEYIDX
  }
  return offset < payload.length && (payload[offset]! & 0x01) === 0;
}

/**
 * The fields of werift's RTCRtpSender (0.25.2) that its `sendRtp` reads and writes, private in its
 * types. `sendToViewer` keeps them as `sendRtp` would, so RTCP sender reports and NACK answers work.
 */
interface SenderState {
  readonly ssrc: number;
  codec?: { payloadType: number };
  stopped: boolean;
  headerExtensions: unknown[];
  redRedundantPayloadType?: number;
  rtpContinuityPending: boolean;
  seqOffset: number;
  timestampOffset: number;
  sequenceNumber?: number;
  timestamp?: number;
  ntpTimestamp: bigint;
  rtpTimestamp: number;
  octetCount: number;
  packetCount: number;
  rtpCache: RtpPacket[];
  rtcpRunning: boolean;
  runRtcp(): Promise<void>;
  dtlsTransport?: RTCDtlsTransport;
}

/** werift's sender keeps this many packets to answer NACKs from (RTP_HISTORY_SIZE). */
const RTP_HISTORY_SIZE = 128;

/** Whether werift's sender has the fields `sendToViewer` relies on (a werift upgrade may move them). */
export function senderShortcutApplies(sender: RTCRtpSender): boolean {
  const state = sender as unknown as SenderState;
  return (
    Array.isArray(state.rtpCache) &&
    Array.isArray(state.headerExtensions) &&
    typeof state.packetCount === "number" &&
    typeof state.seqOffset === "number" &&
    typeof state.runRtcp === "function"
  );
}

/**
 * Sends one forwarded packet to one viewer: what werift's `sendRtp` does for a sender without header
 * extensions, RED or a replaced track (the forwarder's), minus its per-call costs — a clock read
 * turned into NTP (`ntp` is read once per packet for every viewer), the header-extension rebuild, the
 * bandwidth estimator's bookkeeping (no transport-wide feedback is negotiated) and two async layers.
 * Audio shares `packet`'s header (no NACK is negotiated for it, so nothing keeps it); video gets its
 * own, kept to answer the viewer's NACKs. Anything else goes through `sendRtp`.
 */
function sendToViewer(sender: RTCRtpSender, kind: "video" | "audio", packet: RtpPacket, ntp: bigint) {
  const state = sender as unknown as SenderState;
  const transport = state.dtlsTransport;
  if (state.stopped || !state.codec || transport?.state !== "connected") return;
  if (
    state.headerExtensions.length > 0 ||
    state.redRedundantPayloadType !== undefined ||
    state.rtpContinuityPending ||
    state.seqOffset !== 0 ||
    state.timestampOffset !== 0
  ) {
    sender.sendRtp(packet).catch(() => undefined);
    return;
  }
  const header = kind === "video" ? new RtpHeader({ ...packet.header }) : packet.header;
  header.ssrc = state.ssrc;
  header.payloadType = state.codec.payloadType;
  state.sequenceNumber = header.sequenceNumber;
  state.timestamp = header.timestamp;
  state.ntpTimestamp = ntp;
  state.rtpTimestamp = header.timestamp;
  state.octetCount += packet.payload.length;
  state.packetCount = (state.packetCount + 1) >>> 0;
  if (kind === "video")
    state.rtpCache[header.sequenceNumber % RTP_HISTORY_SIZE] = new RtpPacket(header, packet.payload);
  // Encrypts (reading `header`) before its first await, so the shared audio header can change next.
  transport.sendRtp(packet.payload, header).catch(() => undefined);
  if (!state.rtcpRunning) void state.runRtcp();
}

/** The NTP clock of sender reports (RFC 3550: seconds since 1900 and 2^-32 fractions), read once per forwarded packet. */
const NTP_EPOCH_OFFSET_MS = Date.UTC(1900, 0, 1);
function ntpNow(): bigint {
  const ms = performance.timeOrigin + performance.now() - NTP_EPOCH_OFFSET_MS;
  const seconds = Math.floor(ms / 1_000);
  const fraction = Math.floor(((ms % 1_000) / 1_000) * 0x1_0000_0000);
  return (BigInt(seconds) << 32n) | BigInt(fraction);
}

interface Viewer {
  id: string;
  pc: RTCPeerConnection;
  video?: RTCRtpSender;
  audio?: RTCRtpSender;
  /** Video is forwarded from the first keyframe on. */
  videoStarted: boolean;
  connected: boolean;
  packets: number;
  /** Whether packets go through `sendToViewer` (else werift's `sendRtp`). */
  shortcut: boolean;
}

interface Session extends Publication {
  pc: RTCPeerConnection;
  video?: { track: MediaStreamTrack; transceiver: RTCRtpTransceiver };
  viewerMap: Map<string, Viewer>;
  lastKeyframeRequest: number;
  keyframePending: boolean;
  keyframeRetry?: ReturnType<typeof setTimeout>;
  /** A request held back until the publisher would accept it. */
  keyframeDeferred?: ReturnType<typeof setTimeout>;
}

/**
 * werift falls back to Google's STUN server when the configuration names none (0.25.2): a round trip
 * to a third party per peer online, and offline a DNS lookup that can stall gathering for 5 s (most of
 * a burst of viewers waited that long). Without a configured STUN server, gather host candidates only.
 * Call it once the peer has its transports (after its transceivers or the remote offer), before gathering.
 */
export function withoutFallbackStun(pc: RTCPeerConnection) {
  const configured = pc.config.iceServers.some((server) => [server.urls].flat().some((url) => /^stuns?:/.test(url)));
  if (configured) return;
  for (const transport of pc.iceTransports)
    if (transport.gatheringState === "new") transport.connection.stunServer = undefined;
}

/** The UDP sockets a peer has gathered (werift keeps them private: `Connection.protocols`). */
function socketsOf(pc: RTCPeerConnection): Socket[] {
  return pc.iceTransports.flatMap((transport) => {
    const { protocols } = transport.connection as unknown as { protocols?: { transport?: { socket?: Socket } }[] };
    return (protocols ?? []).flatMap((protocol) => (protocol.transport?.socket ? [protocol.transport.socket] : []));
  });
}

/**
 * Sets the UDP receive buffer of a gathered peer's sockets (werift keeps Node's default, ~208 kB on
 * Linux, which caps it at net.core.rmem_max). A busy process that waits a few hundred ms for a core
 * otherwise drops whole bursts of a 1.5 Mbit/s stream.
 */
export function setReceiveBuffers(pc: RTCPeerConnection, bytes: number) {
  for (const socket of socketsOf(pc)) socket.setRecvBufferSize(bytes);
}

/** The publisher's sockets buffer this much: every viewer's stream comes through them. */
const PUBLISHER_RECEIVE_BUFFER_BYTES = 4 << 20;

function checkOffer(offer: string) {
  if (!offer.startsWith("v=0")) throw new BadOfferError("The body is not an SDP offer.");
}

async function answerOffer(pc: RTCPeerConnection, offer: string, gatherTimeoutMs: number): Promise<string> {
  checkOffer(offer);
  try {
    await pc.setRemoteDescription({ type: "offer", sdp: offer });
    withoutFallbackStun(pc);
    await pc.setLocalDescription(await pc.createAnswer());
  } catch (error) {
    throw new BadOfferError(`The offer cannot be answered: ${(error as Error).message}`);
  }
  if (pc.iceGatheringState !== "complete") {
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, gatherTimeoutMs);
      pc.iceGatheringStateChange.subscribe((state) => {
        if (state === "complete") {
          clearTimeout(timer);
          resolve();
        }
      });
    });
  }
  return pc.localDescription!.sdp;
}

/**
 * Creates the forwarding core (no HTTP, no sign-in: `sfu-service.ts` adds those).
 *
 * @example
 * const forwarder = createForwarder({ hostAddresses: ["127.0.0.1"] });
 * const { answer } = await forwarder.publish("42", offerFromTheArtist);
 * const viewer = await forwarder.subscribe("42", offerFromAFan);
 */
export function createForwarder(options: ForwarderOptions = {}): Forwarder {
  const sessions = new Map<string, Session>();
  const resources = new Map<string, { key: string; role: "publisher" | "viewer" }>();
  const keyframeIntervalMs = options.keyframeIntervalMs ?? 1_000;
  const keyframeGapMs = options.keyframeGapMs ?? 350; // a margin over libwebrtc's 300 ms
  const gatherTimeoutMs = options.gatherTimeoutMs ?? 3_000;
  const newPeer = () =>
    new RTCPeerConnection({
      codecs: sfuCodecs(),
      iceAdditionalHostAddresses: options.hostAddresses,
      iceUseIpv6: false,
      iceUseTcp: false,
      iceServers: [],
      ...options.rtc,
    });

  /**
   * One keyframe request outstanding at a time: viewers arriving while it is pending share the coming
   * keyframe; one arriving after it came asks again (a keyframe only helps those connected when it
   * arrives), but no sooner than `keyframeGapMs` after the previous request, which the publisher would drop.
   */
  const requestKeyframe = (session: Session) => {
    const video = session.video;
    if (!video || video.track.ssrc === undefined) return;
    if (session.keyframeDeferred) return; // the deferred request serves this viewer too
    const now = Date.now();
    if (session.keyframePending && now - session.lastKeyframeRequest < keyframeIntervalMs) return;
    const wait = session.lastKeyframeRequest + keyframeGapMs - now;
    if (wait > 0) {
      session.keyframeDeferred = setTimeout(() => {
        session.keyframeDeferred = undefined;
        if (sessions.get(session.key) === session) requestKeyframe(session);
      }, wait);
      session.keyframeDeferred.unref?.();
      return;
    }
    session.keyframePending = true;
    session.lastKeyframeRequest = now;
    session.keyframeRequests++;
    video.transceiver.receiver.sendRtcpPLI(video.track.ssrc).catch(() => undefined);
    // A publisher may drop a request (Chromium ignores one that comes right after another), and a
    // viewer that has had no video sends no PLI of its own: ask again while anyone is still waiting.
    clearTimeout(session.keyframeRetry);
    session.keyframeRetry = setTimeout(() => {
      const waiting = [...session.viewerMap.values()].some((v) => v.connected && !v.videoStarted);
      if (waiting && sessions.get(session.key) === session) requestKeyframe(session);
    }, keyframeIntervalMs);
    session.keyframeRetry.unref?.();
  };

  const forward = (session: Session, kind: "video" | "audio", rtp: RtpPacket) => {
    session.packetsIn++;
    if (session.viewerMap.size === 0) return;
    // One copy without the publisher's header extensions, shared by every viewer.
    const packet = new RtpPacket(
      new RtpHeader({ ...rtp.header, extensions: [], extensionLength: undefined }),
      rtp.payload,
    );
    const keyframe = kind === "video" && isVp8KeyframeStart(rtp.payload);
    const ntp = ntpNow();
    for (const viewer of session.viewerMap.values()) {
      if (!viewer.connected) continue;
      const sender = kind === "video" ? viewer.video : viewer.audio;
      if (!sender) continue;
      if (kind === "video" && !viewer.videoStarted) {
        if (!keyframe) continue;
        viewer.videoStarted = true;
      }
      viewer.packets++;
      session.packetsOut++;
      if (viewer.shortcut) sendToViewer(sender, kind, packet, ntp);
      else sender.sendRtp(packet).catch(() => undefined);
    }
    if (keyframe) session.keyframePending = false;
  };

  const endViewer = async (session: Session, id: string) => {
    const viewer = session.viewerMap.get(id);
    if (!viewer) return false;
    session.viewerMap.delete(id);
    resources.delete(id);
    await viewer.pc.close().catch(() => undefined);
    return true;
  };

  const endSession = async (key: string) => {
    const session = sessions.get(key);
    if (!session) return false;
    sessions.delete(key);
    resources.delete(session.id);
    clearTimeout(session.keyframeRetry);
    clearTimeout(session.keyframeDeferred);
    await Promise.all([...session.viewerMap.keys()].map((id) => endViewer(session, id)));
    await session.pc.close().catch(() => undefined);
    return true;
  };

  return {
    async publish(key, offer) {
      const pc = newPeer();
      const session: Session = {
        id: randomUUID(),
        key,
        pc,
        packetsIn: 0,
        packetsOut: 0,
        keyframeRequests: 0,
        viewerMap: new Map(),
        lastKeyframeRequest: 0,
        keyframePending: false,
        viewers() {
          return [...this.viewerMap.values()].map((v) => ({
            id: v.id,
            state: v.pc.connectionState,
            packets: v.packets,
          }));
        },
      };
      pc.onTrack.subscribe((track) => {
        const kind = track.kind === "video" ? "video" : "audio";
        if (kind === "video") {
          const transceiver = pc.getTransceivers().find((t) => t.receiver.tracks.includes(track));
          if (transceiver) session.video = { track, transceiver };
        }
        track.onReceiveRtp.subscribe((rtp) => forward(session, kind, rtp));
      });
      pc.connectionStateChange.subscribe((state) => {
        if ((state === "failed" || state === "closed") && sessions.get(key) === session) void endSession(key);
      });
      let answer: string;
      try {
        answer = await answerOffer(pc, offer, gatherTimeoutMs);
      } catch (error) {
        await pc.close().catch(() => undefined);
        throw error;
      }
      setReceiveBuffers(pc, PUBLISHER_RECEIVE_BUFFER_BYTES);
      if (sessions.has(key)) await endSession(key); // the artist reconnected: the old publisher goes
      sessions.set(key, session);
      resources.set(session.id, { key, role: "publisher" });
      return { id: session.id, answer };
    },

    async subscribe(key, offer) {
      const session = sessions.get(key);
      if (!session) throw new NotPublishingError(`Nobody is publishing session ${key} yet.`);
      // One sendonly transceiver per kind the viewer asks for, added before the offer is applied so
      // that werift matches them to its recvonly m-lines (a kind it did not offer would fail DTLS).
      checkOffer(offer);
      const kinds = new Set(offer.match(/^m=(audio|video) /gm)?.map((line) => line.slice(2, 7)));
      if (kinds.size === 0) throw new BadOfferError("The offer has no audio or video to receive.");
      const pc = newPeer();
      const video = kinds.has("video") ? pc.addTransceiver("video", { direction: "sendonly" }) : undefined;
      const audio = kinds.has("audio") ? pc.addTransceiver("audio", { direction: "sendonly" }) : undefined;
      const viewer: Viewer = {
        id: randomUUID(),
        pc,
        video: video?.sender,
        audio: audio?.sender,
        videoStarted: false,
        connected: false,
        packets: 0,
        shortcut: [video?.sender, audio?.sender].every((sender) => !sender || senderShortcutApplies(sender)),
      };
      video?.sender.onPictureLossIndication.subscribe(() => requestKeyframe(session));
      pc.connectionStateChange.subscribe((state) => {
        if (state === "connected" && !viewer.connected) {
          viewer.connected = true;
          requestKeyframe(session);
        }
        if (state === "failed" || state === "closed") void endViewer(session, viewer.id);
      });
      let answer: string;
      try {
        answer = await answerOffer(pc, offer, gatherTimeoutMs);
      } catch (error) {
        await pc.close().catch(() => undefined);
        throw error;
      }
      if (sessions.get(key) !== session) {
        await pc.close().catch(() => undefined);
        throw new NotPublishingError(`Session ${key} stopped publishing.`);
      }
      session.viewerMap.set(viewer.id, viewer);
      resources.set(viewer.id, { key, role: "viewer" });
      return { id: viewer.id, answer };
    },

    publication: (key) => sessions.get(key),
    publications: () => [...sessions.values()],
    resource: (id) => resources.get(id),

    async end(id) {
      const resource = resources.get(id);
      if (!resource) return false;
      if (resource.role === "publisher") return endSession(resource.key);
      const session = sessions.get(resource.key);
      return session ? endViewer(session, id) : false;
    },

    async close() {
      await Promise.all([...sessions.keys()].map(endSession));
    },
  };
}
