/**
 * The forwarding core of the SFU, on libdatachannel (`node-datachannel`: ICE, DTLS and SRTP in C++,
 * a prebuilt binary from npm). One publisher per session sends VP8 video and Opus audio once; each
 * viewer gets its own peer connection, and every RTP packet of the publisher goes to every viewer
 * without decoding. The RTP and RTCP work is ours (`rtp.ts`), so the hot path is one copy per packet
 * and one native send per viewer (measured with `npm run bench -w @harmonie/services`):
 *
 * - each packet is copied once for all viewers, without the publisher's header extensions (their ids
 *   were negotiated with the publisher) and with the session's own SSRC, which every viewer's answer
 *   names; sequence numbers and timestamps stay the publisher's, so its sender reports, forwarded,
 *   still tie them to its clock (browsers sync audio and video with them);
 * - a viewer's video starts at a keyframe (packets before it would be undecodable); a new viewer
 *   triggers one PLI to the publisher, shared by every viewer arriving while it is pending, so its
 *   first frame comes within a round trip instead of at the next periodic keyframe;
 * - a viewer's PLI/FIR goes to the publisher, throttled (one keyframe serves everyone), no sooner than
 *   the publisher's own throttle (libwebrtc drops a request within 300 ms of the previous one);
 * - a viewer's NACKs are answered from one history of the session's video, shared by all viewers
 *   (they all get the same packets);
 * - the publisher gets receiver reports and a REMB, without which a browser's encoder stays at its
 *   start bitrate.
 */
import { randomInt, randomUUID } from "node:crypto";
import nodeDataChannel, { type PeerConnection, type Track } from "node-datachannel";
import {
  asksKeyframe,
  forwardedCopy,
  isRtcp,
  isVp8KeyframeStart,
  nackedSequences,
  newReception,
  pli,
  readRtp,
  type ReceptionState,
  received,
  receiverReport,
  rtcpParts,
  senderReportFor,
  senderReportReceived,
} from "./rtp.ts";

export { isVp8KeyframeStart } from "./rtp.ts";

const { PeerConnection: NativePeerConnection, Video, Audio } = nodeDataChannel;

/** An ICE server as WebRTC's `RTCIceServer` names it (`stun:host:port`, `turn:host:port?transport=tcp`). */
export interface IceServer {
  urls: string | string[];
  username?: string;
  credential?: string;
}

export interface ForwarderOptions {
  /** The address to gather host candidates on, e.g. `127.0.0.1` on a loopback-only host. Default: every interface. */
  bindAddress?: string;
  /** Addresses to offer besides the gathered ones, e.g. the public address of a host behind 1:1 NAT. */
  announcedAddresses?: string[];
  /** STUN/TURN servers; none by default (no third party is asked anything). */
  iceServers?: IceServer[];
  /** The UDP ports peers may use, e.g. `[40000, 40999]` for a firewall. */
  portRange?: [number, number];
  /** The video bitrate the publisher is asked for (REMB), in bits/s. Default 2.5 Mbit/s (720p). */
  publisherBitrate?: number;
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
  readonly key: string;
  /** RTP packets received from the publisher. */
  packetsIn: number;
  /** RTP packets handed to viewers (retransmissions included). */
  packetsOut: number;
  /** Keyframe requests sent to the publisher. */
  keyframeRequests: number;
  /** Packets sent again to a viewer that reported them lost (NACK). */
  retransmissions: number;
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

type Kind = "video" | "audio";

/** One m-line of an offer, as far as forwarding needs it. */
interface OfferedMedia {
  kind: Kind;
  mid: string;
  sends: boolean;
  receives: boolean;
  /** The payload type the offer gives VP8 (video) or Opus (audio), if it offers it. */
  payloadType?: number;
}

const CODEC: Record<Kind, RegExp> = { video: /^a=rtpmap:(\d+) VP8\/90000/im, audio: /^a=rtpmap:(\d+) opus\/48000/im };

/** The audio and video m-lines of an SDP offer (others, such as data channels, are left to libdatachannel). */
function offeredMedia(offer: string): OfferedMedia[] {
  if (!offer.startsWith("v=0")) throw new BadOfferError("The body is not an SDP offer.");
  return offer
    .split(/\r?\n(?=m=)/)
    .slice(1)
    .flatMap((section): OfferedMedia[] => {
      const kind = /^m=(video|audio) /.exec(section)?.[1] as Kind | undefined;
      const mid = /^a=mid:(\S+)/m.exec(section)?.[1];
      if (!kind || !mid) return [];
      const direction = /^a=(sendrecv|sendonly|recvonly|inactive)\s*$/m.exec(section)?.[1] ?? "sendrecv";
      const payloadType = CODEC[kind].exec(section)?.[1];
      return [
        {
          kind,
          mid,
          sends: direction === "sendrecv" || direction === "sendonly",
          receives: direction === "sendrecv" || direction === "recvonly",
          payloadType: payloadType === undefined ? undefined : Number(payloadType),
        },
      ];
    });
}

/** libdatachannel's ICE server strings (`stun:host:port`, `turn:user:password@host:port`). */
function nativeIceServers(servers: IceServer[] = []): string[] {
  return servers.flatMap((server) =>
    [server.urls].flat().map((url) => {
      const match = /^(stuns?|turns?):([^?]+)(\?transport=(udp|tcp))?$/.exec(url);
      if (!match) throw new Error(`Unsupported ICE server URL ${url}.`);
      const [, scheme, hostPort, , transport] = match;
      const credentials =
        scheme!.startsWith("turn") && server.username
          ? `${encodeURIComponent(server.username)}:${encodeURIComponent(server.credential ?? "")}@`
          : "";
      return `${scheme}:${credentials}${hostPort}${transport ? `?transport=${transport}` : ""}`;
    }),
  );
}

/** Adds a copy of each host candidate with each announced address (same port: 1:1 NAT). */
function announce(sdp: string, addresses: string[]): string {
  if (addresses.length === 0) return sdp;
  return sdp.replace(/^a=candidate:(\S+) (\d) (\S+) (\d+) (\S+) (\d+) typ host(.*)$/gm, (line, ...fields) => {
    const [foundation, component, transport, priority, , port, rest] = fields as string[];
    return [
      line,
      ...addresses.map(
        (address, i) =>
          `a=candidate:${foundation}${i + 1} ${component} ${transport} ${Number(priority) - i - 1} ${address} ${port} typ host${rest}`,
      ),
    ].join("\r\n");
  });
}

/** Video packets kept to answer NACKs: ~3 s of a 1.5 Mbit/s stream. */
const HISTORY_SIZE = 512;

interface Viewer {
  id: string;
  pc: PeerConnection;
  tracks: Partial<Record<Kind, { track: Track; payloadType: number; open: boolean }>>;
  /** Video is forwarded from the first keyframe on. */
  videoStarted: boolean;
  packets: number;
}

interface Outgoing {
  /** The session's SSRC for this kind, named in every viewer's answer. */
  ssrc: number;
  /** The publisher's SSRC, from its first packet (PLIs and reports are about it). */
  publisherSsrc?: number;
  reception?: ReceptionState;
  track?: Track;
}

interface Session extends Publication {
  pc: PeerConnection;
  /** The SFU's own SSRC as the sender of RTCP to the publisher. */
  rtcpSsrc: number;
  media: Record<Kind, Outgoing>;
  history: (Buffer | undefined)[];
  viewerMap: Map<string, Viewer>;
  lastKeyframeRequest: number;
  keyframePending: boolean;
  keyframeRetry?: ReturnType<typeof setTimeout>;
  /** A request held back until the publisher would accept it. */
  keyframeDeferred?: ReturnType<typeof setTimeout>;
}

const randomSsrc = () => randomInt(1, 0xffff_ffff);

/**
 * Closes a peer and its tracks. node-datachannel releases a handle's hold on Node's event loop only
 * when its close is delivered to a callback: every peer has `onStateChange`, every track `onClosed`
 * (`watchClosed`), else a process that ran the SFU never exits.
 */
const watchClosed = (track: Track, onClosed: () => void = () => {}) => track.onClosed(onClosed);

function closePeer(pc: PeerConnection, tracks: (Track | undefined)[]) {
  for (const track of tracks) {
    try {
      track?.close();
    } catch {
      // already closed
    }
  }
  pc.close();
}

/**
 * Creates the forwarding core (no HTTP, no sign-in: `sfu-service.ts` adds those).
 *
 * @example
 * const forwarder = createForwarder({ bindAddress: "127.0.0.1" });
 * const { answer } = await forwarder.publish("42", offerFromTheArtist);
 * const viewer = await forwarder.subscribe("42", offerFromAFan);
 */
export function createForwarder(options: ForwarderOptions = {}): Forwarder {
  const sessions = new Map<string, Session>();
  const resources = new Map<string, { key: string; role: "publisher" | "viewer" }>();
  const keyframeIntervalMs = options.keyframeIntervalMs ?? 1_000;
  const keyframeGapMs = options.keyframeGapMs ?? 350; // a margin over libwebrtc's 300 ms
  const gatherTimeoutMs = options.gatherTimeoutMs ?? 3_000;
  const publisherBitrate = options.publisherBitrate ?? 2_500_000;
  const iceServers = nativeIceServers(options.iceServers);
  const announced = options.announcedAddresses ?? [];
  const newPeer = (name: string) =>
    new NativePeerConnection(name, {
      iceServers,
      ...(options.bindAddress ? { bindAddress: options.bindAddress } : {}),
      ...(options.portRange ? { portRangeBegin: options.portRange[0], portRangeEnd: options.portRange[1] } : {}),
    });

  /** Applies the offer and waits for the answer with its candidates (no trickle in WHIP/WHEP). */
  const answer = async (pc: PeerConnection, offer: string): Promise<string> => {
    const gathered = new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, gatherTimeoutMs);
      pc.onGatheringStateChange((state) => {
        if (state === "complete") {
          clearTimeout(timer);
          resolve();
        }
      });
    });
    try {
      // The offer's candidates are left out, so we reach the peer only by answering its checks, as an
      // ICE-lite server does (mediasoup, Janus): given them, our checks can connect ICE and start DTLS
      // before the peer has our answer, and a peer without our fingerprint yet (libdatachannel, as
      // in OBS's WHIP output; werift) then fails the handshake or waits a second for a retransmit.
      pc.setRemoteDescription(offer.replace(/^a=(candidate:.*|end-of-candidates)\r?\n/gm, ""), "offer");
    } catch (error) {
      throw new BadOfferError(`The offer cannot be answered: ${(error as Error).message}`);
    }
    if (pc.gatheringState() !== "complete") await gathered;
    const local = pc.localDescription();
    if (!local) throw new BadOfferError("The offer cannot be answered.");
    return announce(local.sdp, announced);
  };

  /**
   * One keyframe request outstanding at a time: viewers arriving while it is pending share the coming
   * keyframe; one arriving after it came asks again (a keyframe only helps those connected when it
   * arrives), but no sooner than `keyframeGapMs` after the previous request, which the publisher would drop.
   */
  const requestKeyframe = (session: Session) => {
    const video = session.media.video;
    if (!video.track || video.publisherSsrc === undefined) return;
    if (session.keyframeDeferred) return; // the deferred request serves this viewer too
    // Pending until its keyframe comes or its retry timer gives up on it. Not a clock comparison: a
    // timer may fire when Date.now() says a millisecond short of its delay, and a retry that found its
    // request "still pending" then would stop asking for good, leaving a viewer without video.
    if (session.keyframePending) return;
    const now = Date.now();
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
    send(video.track, pli(session.rtcpSsrc, video.publisherSsrc));
    // A publisher may drop a request (Chromium ignores one that comes right after another), and a
    // viewer that has had no video sends no PLI of its own: ask again while anyone is still waiting.
    clearTimeout(session.keyframeRetry);
    session.keyframeRetry = setTimeout(() => {
      session.keyframePending = false; // unanswered: taken as dropped
      const waiting = [...session.viewerMap.values()].some((v) => v.tracks.video?.open && !v.videoStarted);
      if (waiting && sessions.get(session.key) === session) requestKeyframe(session);
    }, keyframeIntervalMs);
    session.keyframeRetry.unref?.();
  };

  /** A native send; a track closing under it throws, and its close handler does the rest. */
  const send = (track: Track, packet: Buffer) => {
    try {
      track.sendMessageBinary(packet);
    } catch {
      // closed meanwhile
    }
  };

  const fromPublisher = (session: Session, kind: Kind, packet: Buffer) => {
    const media = session.media[kind];
    if (isRtcp(packet)) {
      for (const part of rtcpParts(packet)) {
        if (part.type !== 200) continue;
        // A sender report: answer with a report and the bitrate wanted, and pass it on to the viewers.
        if (media.reception && media.track && media.publisherSsrc !== undefined) {
          senderReportReceived(media.reception, part.bytes, Date.now());
          const bitrate = kind === "video" ? publisherBitrate : 128_000;
          send(
            media.track,
            receiverReport(media.reception, session.rtcpSsrc, media.publisherSsrc, bitrate, Date.now()),
          );
        }
        const report = senderReportFor(part.bytes, media.ssrc);
        for (const viewer of session.viewerMap.values()) {
          const out = viewer.tracks[kind];
          if (out?.open && (kind === "audio" || viewer.videoStarted)) send(out.track, report);
        }
      }
      return;
    }
    const rtp = readRtp(packet);
    if (!rtp) return;
    session.packetsIn++;
    if (media.publisherSsrc !== rtp.ssrc) {
      media.publisherSsrc = rtp.ssrc;
      media.reception = newReception(rtp.sequenceNumber);
      // Viewers who connected before the publisher's first packet could not ask for a keyframe yet.
      if (kind === "video" && [...session.viewerMap.values()].some((v) => v.tracks.video?.open && !v.videoStarted))
        requestKeyframe(session);
    }
    received(media.reception!, rtp.sequenceNumber);
    if (session.viewerMap.size === 0) return;
    const keyframe = kind === "video" && isVp8KeyframeStart(packet.subarray(rtp.payloadOffset));
    let copy: Buffer | undefined;
    for (const viewer of session.viewerMap.values()) {
      const out = viewer.tracks[kind];
      if (!out?.open) continue;
      if (kind === "video" && !viewer.videoStarted) {
        if (!keyframe) continue;
        viewer.videoStarted = true;
      }
      copy ??= forwardedCopy(packet, rtp, media.ssrc, out.payloadType);
      // Viewers usually agree on the payload type; rewrite it (keeping the marker bit) when not.
      if ((copy[1]! & 0x7f) !== out.payloadType) copy[1] = (copy[1]! & 0x80) | out.payloadType;
      viewer.packets++;
      session.packetsOut++;
      send(out.track, copy);
    }
    if (kind === "video" && copy) session.history[rtp.sequenceNumber % HISTORY_SIZE] = copy;
    if (keyframe) session.keyframePending = false;
  };

  const fromViewer = (session: Session, viewer: Viewer, packet: Buffer) => {
    if (!isRtcp(packet)) return;
    if (asksKeyframe(packet)) requestKeyframe(session);
    const out = viewer.tracks.video;
    if (!out?.open) return;
    for (const sequence of nackedSequences(packet)) {
      const kept = session.history[sequence % HISTORY_SIZE];
      if (!kept || kept.readUInt16BE(2) !== sequence) continue;
      if ((kept[1]! & 0x7f) !== out.payloadType) kept[1] = (kept[1]! & 0x80) | out.payloadType;
      session.retransmissions++;
      session.packetsOut++;
      send(out.track, kept);
    }
  };

  const endViewer = (session: Session, id: string) => {
    const viewer = session.viewerMap.get(id);
    if (!viewer) return false;
    session.viewerMap.delete(id);
    resources.delete(id);
    closePeer(
      viewer.pc,
      Object.values(viewer.tracks).map((out) => out.track),
    );
    return true;
  };

  const endSession = (key: string) => {
    const session = sessions.get(key);
    if (!session) return false;
    sessions.delete(key);
    resources.delete(session.id);
    clearTimeout(session.keyframeRetry);
    clearTimeout(session.keyframeDeferred);
    for (const id of [...session.viewerMap.keys()]) endViewer(session, id);
    closePeer(session.pc, [session.media.video.track, session.media.audio.track]);
    return true;
  };

  return {
    async publish(key, offer) {
      const offered = offeredMedia(offer).filter((m) => m.sends && m.payloadType !== undefined);
      if (offered.length === 0) throw new BadOfferError("The offer sends no VP8 video or Opus audio.");
      const id = randomUUID();
      const pc = newPeer(`publisher-${id}`);
      const session: Session = {
        id,
        key,
        pc,
        rtcpSsrc: randomSsrc(),
        media: { video: { ssrc: randomSsrc() }, audio: { ssrc: randomSsrc() } },
        history: new Array(HISTORY_SIZE),
        packetsIn: 0,
        packetsOut: 0,
        keyframeRequests: 0,
        retransmissions: 0,
        viewerMap: new Map(),
        lastKeyframeRequest: 0,
        keyframePending: false,
        viewers() {
          return [...this.viewerMap.values()].map((v) => ({ id: v.id, state: v.pc.state(), packets: v.packets }));
        },
      };
      // Our own recvonly m-lines with the offer's mids and payload types: the answer takes nothing else.
      for (const media of offered) {
        const description =
          media.kind === "video" ? new Video(media.mid, "RecvOnly") : new Audio(media.mid, "RecvOnly");
        if (media.kind === "video") (description as InstanceType<typeof Video>).addVP8Codec(media.payloadType!);
        else (description as InstanceType<typeof Audio>).addOpusCodec(media.payloadType!);
        const track = pc.addTrack(description);
        session.media[media.kind].track = track;
        track.onMessage((packet) => fromPublisher(session, media.kind, packet));
        watchClosed(track);
      }
      pc.onStateChange((state) => {
        if ((state === "failed" || state === "closed") && sessions.get(key) === session) endSession(key);
      });
      let sdp: string;
      try {
        sdp = await answer(pc, offer);
      } catch (error) {
        closePeer(pc, [session.media.video.track, session.media.audio.track]);
        throw error;
      }
      if (sessions.has(key)) endSession(key); // the artist reconnected: the old publisher goes
      sessions.set(key, session);
      resources.set(session.id, { key, role: "publisher" });
      return { id: session.id, answer: sdp };
    },

    async subscribe(key, offer) {
      const session = sessions.get(key);
      if (!session) throw new NotPublishingError(`Nobody is publishing session ${key} yet.`);
      const offered = offeredMedia(offer).filter((m) => m.receives && m.payloadType !== undefined);
      if (offered.length === 0) throw new BadOfferError("The offer has no audio or video to receive (VP8, Opus).");
      const id = randomUUID();
      const pc = newPeer(`viewer-${id}`);
      const viewer: Viewer = { id, pc, tracks: {}, videoStarted: false, packets: 0 };
      for (const media of offered) {
        if (viewer.tracks[media.kind]) continue; // one of each kind
        const ssrc = session.media[media.kind].ssrc;
        const description =
          media.kind === "video" ? new Video(media.mid, "SendOnly") : new Audio(media.mid, "SendOnly");
        if (media.kind === "video") (description as InstanceType<typeof Video>).addVP8Codec(media.payloadType!);
        else (description as InstanceType<typeof Audio>).addOpusCodec(media.payloadType!);
        description.addSSRC(ssrc, "harmonie", `live-${key}`, media.kind);
        const track = pc.addTrack(description);
        const out = { track, payloadType: media.payloadType!, open: false };
        viewer.tracks[media.kind] = out;
        track.onOpen(() => {
          out.open = true;
          if (media.kind === "video") requestKeyframe(session);
        });
        watchClosed(track, () => {
          out.open = false;
        });
        track.onMessage((packet) => fromViewer(session, viewer, packet));
      }
      pc.onStateChange((state) => {
        if (state === "failed" || state === "closed") endViewer(session, id);
      });
      let sdp: string;
      const tracks = () => Object.values(viewer.tracks).map((out) => out.track);
      try {
        sdp = await answer(pc, offer);
      } catch (error) {
        closePeer(pc, tracks());
        throw error;
      }
      if (sessions.get(key) !== session) {
        closePeer(pc, tracks());
        throw new NotPublishingError(`Session ${key} stopped publishing.`);
      }
      session.viewerMap.set(id, viewer);
      resources.set(id, { key, role: "viewer" });
      return { id, answer: sdp };
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
      for (const key of [...sessions.keys()]) endSession(key);
    },
  };
}
