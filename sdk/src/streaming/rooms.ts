/**
 * The WebRTC mesh of a `rooms` session (browser code): the artist sends its camera and microphone to
 * each fan over a dedicated peer connection, with one data channel per fan for tip notices.
 * The signalling service relays SDP/ICE and the room's chat (it keeps the latest lines for fans who
 * join late: they arrive with `joined`); tip notices reach fans over the artist's data channels.
 */
import type { Address } from "viem";
import {
  DATA_CHANNEL_LABEL,
  MAX_CHAT_CHARS,
  type RoomMessage,
  type SignalData,
  type TipNotice,
  decodeTipNotice,
  encodeTipNotice,
} from "./protocol.ts";
import type { SignallingConnection } from "./signalling-client.ts";
import { createTipFeed } from "./tips.ts";

/** ICE configuration: STUN/TURN servers (the service's by default) and, e.g., `relay` to force TURN. */
export interface RtcOptions {
  iceServers?: RTCIceServer[];
  iceTransportPolicy?: RTCIceTransportPolicy;
}

export interface ChatMessage {
  from: Address;
  text: string;
  at: number;
}

export interface RoomPublisher {
  streamId: bigint;
  /** Fans currently connected (signalling-wise). */
  readonly viewers: number;
  /** Most fans at once since publishing. */
  readonly peakViewers: number;
  /** Sends a chat message from the artist to every fan. */
  chat(text: string): void;
  /** Sends a tip notice to every fan. */
  notifyTip(tip: TipNotice): void;
  onChat(handler: (message: ChatMessage) => void): () => void;
  onViewers(handler: (count: number) => void): () => void;
  /** The peer connection of each fan, by peer id. */
  connections(): ReadonlyMap<string, RTCPeerConnection>;
  /** Closes every peer connection and the room. */
  close(): Promise<void>;
}

export interface RoomViewer {
  streamId: bigint;
  peerId: string;
  artist: Address;
  /** The artist's audio and video; tracks arrive once connected. */
  media: MediaStream;
  connection: RTCPeerConnection;
  /** `performance.now()` when the artist's offer arrived (for first-frame latency). */
  readonly offerReceivedAt: number | undefined;
  /** Resolves when media flows and the data channel is open. */
  ready: Promise<void>;
  chat(text: string): void;
  onChat(handler: (message: ChatMessage) => void): () => void;
  onTip(handler: (tip: TipNotice) => void): () => void;
  /** Resolves when the artist ends the session or the connection drops. */
  ended: Promise<string>;
  close(): Promise<void>;
}

const listeners = <T>() => {
  const set = new Set<(value: T) => void>();
  return {
    add: (handler: (value: T) => void) => (set.add(handler), () => void set.delete(handler)),
    emit: (value: T) => set.forEach((handler) => handler(value)),
  };
};

/** Like `listeners`, but what is emitted before anyone listens is kept (up to `keep`) for the first handler. */
const bufferedListeners = <T>(keep: number) => {
  const set = new Set<(value: T) => void>();
  let early: T[] | undefined = [];
  return {
    add(handler: (value: T) => void) {
      set.add(handler);
      for (const value of early?.splice(0) ?? []) handler(value);
      early = undefined;
      return () => void set.delete(handler);
    },
    emit(value: T) {
      if (early) early.length < keep && early.push(value);
      else set.forEach((handler) => handler(value));
    },
  };
};

/** Most replayed chat lines a viewer buffers until the app subscribes (the service bounds its history too). */
export const CHAT_HISTORY = 50;

/** Chat lines from the service, without the echo of this connection's own lines (apps show those as sent). */
const chatFrom = (signalling: SignallingConnection, emit: (message: ChatMessage) => void) =>
  signalling.on("chat", ({ from, text, at }) => {
    if (from.toLowerCase() !== signalling.address.toLowerCase())
      emit({ from, text: text.slice(0, MAX_CHAT_CHARS), at });
  });

const rtcConfig = (signalling: SignallingConnection, rtc: RtcOptions = {}): RTCConfiguration => ({
  iceServers: rtc.iceServers ?? signalling.iceServers,
  iceTransportPolicy: rtc.iceTransportPolicy ?? "all",
});

const sendCandidates = (pc: RTCPeerConnection, signalling: SignallingConnection, to: string) => {
  pc.onicecandidate = (event) =>
    event.candidate &&
    signalling.send({
      t: "signal",
      to,
      data: {
        candidate: {
          candidate: event.candidate.candidate,
          sdpMid: event.candidate.sdpMid,
          sdpMLineIndex: event.candidate.sdpMLineIndex,
        },
      },
    });
};

/** Applies remote SDP/ICE in order, holding candidates until the remote description is set. */
function remoteApplier(pc: RTCPeerConnection) {
  const early: RTCIceCandidateInit[] = [];
  return async (data: SignalData) => {
    if ("sdp" in data) {
      await pc.setRemoteDescription(data.sdp);
      for (const candidate of early.splice(0)) await pc.addIceCandidate(candidate);
    } else if (data.candidate) {
      if (pc.remoteDescription) await pc.addIceCandidate(data.candidate);
      else early.push(data.candidate);
    }
  };
}

/**
 * Publishes the artist's media to a room the artist opened on chain: one peer connection and data
 * channel per fan, offered as fans join.
 *
 * @example
 * const media = await navigator.mediaDevices.getUserMedia({ audio: true, video: true });
 * const room = await publishRoom(signalling, { streamId, media });
 * room.onChat(({ from, text }) => console.log(from, text));
 * @throws NotSessionArtistError when the signed-in wallet does not own the on-chain session
 */
export async function publishRoom(
  signalling: SignallingConnection,
  params: {
    streamId: bigint;
    media: MediaStream;
    rtc?: RtcOptions;
  },
): Promise<RoomPublisher> {
  const { streamId, media } = params;
  const config = rtcConfig(signalling, params.rtc);
  const fans = new Map<
    string,
    { pc: RTCPeerConnection; channel: RTCDataChannel; address: Address; apply: (d: SignalData) => Promise<void> }
  >();
  const chat = listeners<ChatMessage>();
  const viewerEvents = listeners<number>();
  let viewers = 0;
  let peakViewers = 0;

  const broadcast = (message: RoomMessage, except?: string) => {
    const text = JSON.stringify(message);
    for (const [peerId, fan] of fans)
      if (peerId !== except && fan.channel.readyState === "open") fan.channel.send(text);
  };
  const dropFan = (peerId: string) => {
    fans.get(peerId)?.pc.close();
    fans.delete(peerId);
  };

  const off = [
    signalling.on("fan-joined", async ({ peerId, address }) => {
      dropFan(peerId);
      const pc = new RTCPeerConnection(config);
      for (const track of media.getTracks()) pc.addTrack(track, media);
      // Tip notices only: chat goes through the service, which names each line's wallet.
      const channel = pc.createDataChannel(DATA_CHANNEL_LABEL, { ordered: true });
      fans.set(peerId, { pc, channel, address, apply: remoteApplier(pc) });
      sendCandidates(pc, signalling, peerId);
      const offer = await pc.createOffer();
      await pc.setLocalDescription(offer);
      signalling.send({ t: "signal", to: peerId, data: { sdp: { type: "offer", sdp: offer.sdp ?? "" } } });
    }),
    signalling.on(
      "signal",
      ({ from, data }) =>
        void fans
          .get(from)
          ?.apply(data)
          .catch(() => dropFan(from)),
    ),
    signalling.on("fan-left", ({ peerId }) => dropFan(peerId)),
    chatFrom(signalling, chat.emit),
    signalling.on("viewers", ({ count, peak }) => {
      viewers = count;
      peakViewers = Math.max(peakViewers, peak);
      viewerEvents.emit(count);
    }),
  ];
  await signalling.request<"published">({ t: "publish", streamId: streamId.toString() });

  return {
    streamId,
    get viewers() {
      return viewers;
    },
    get peakViewers() {
      return peakViewers;
    },
    chat(text) {
      signalling.send({ t: "chat", text: text.slice(0, MAX_CHAT_CHARS) });
    },
    notifyTip: (tip) => broadcast({ t: "tip", tip: encodeTipNotice(tip) }),
    onChat: chat.add,
    onViewers: viewerEvents.add,
    connections: () => new Map([...fans].map(([peerId, fan]) => [peerId, fan.pc])),
    async close() {
      off.forEach((unsubscribe) => unsubscribe());
      for (const peerId of [...fans.keys()]) dropFan(peerId);
      await signalling.request<"left">({ t: "leave" }).catch(() => undefined);
    },
  };
}

/**
 * Joins a live room as a fan: the service checks the wallet on chain (`canWatch`) and the room's cap,
 * then the artist's offer arrives and media flows.
 *
 * @example
 * const viewer = await joinRoom(signalling, { streamId });
 * video.srcObject = viewer.media;
 * viewer.onTip((tip) => console.log(`${tip.from} tipped: ${tip.message}`));
 * @throws RoomFullError, StreamAccessDeniedError, UnknownRoomError
 */
export async function joinRoom(
  signalling: SignallingConnection,
  params: { streamId: bigint; rtc?: RtcOptions },
): Promise<RoomViewer> {
  const pc = new RTCPeerConnection(rtcConfig(signalling, params.rtc));
  const media = new MediaStream();
  // The room's chat history can arrive before the app subscribes: keep it for the first handler.
  const chat = bufferedListeners<ChatMessage>(CHAT_HISTORY * 2);
  const tips = listeners<TipNotice>();
  const feed = createTipFeed(tips.emit);
  const apply = remoteApplier(pc);
  let channel: RTCDataChannel | undefined;
  let offerReceivedAt: number | undefined;
  let end: (reason: string) => void = () => {};
  const ended = new Promise<string>((resolve) => (end = resolve));

  const ready = Promise.all([
    new Promise<void>((resolve) => {
      pc.ontrack = (event) => {
        media.addTrack(event.track);
        if (media.getTracks().length >= 1) resolve();
      };
    }),
    new Promise<void>((resolve) => {
      pc.ondatachannel = (event) => {
        if (event.channel.label !== DATA_CHANNEL_LABEL) return;
        channel = event.channel;
        channel.onopen = () => resolve();
        channel.onmessage = (message) => {
          let parsed: RoomMessage;
          try {
            parsed = JSON.parse(String(message.data));
          } catch {
            return;
          }
          if (parsed.t === "tip") {
            const tip = decodeTipNotice(parsed.tip);
            if (tip) feed.push(tip);
          }
        };
      };
    }),
  ]).then(() => undefined);

  sendCandidates(pc, signalling, "artist");
  pc.onconnectionstatechange = () => pc.connectionState === "failed" && end("connection failed");
  const off = [
    signalling.on("signal", async ({ data }) => {
      if ("sdp" in data && data.sdp.type === "offer") {
        offerReceivedAt = performance.now();
        await apply(data);
        const answer = await pc.createAnswer();
        await pc.setLocalDescription(answer);
        signalling.send({ t: "signal", to: "artist", data: { sdp: { type: "answer", sdp: answer.sdp ?? "" } } });
      } else await apply(data);
    }),
    signalling.on("room-closed", () => end("the artist ended the session")),
    chatFrom(signalling, chat.emit),
  ];
  void signalling.closed.then(({ code }) =>
    end(code === 4002 ? "this wallet joined from another connection" : "signalling closed"),
  );

  let joined: { peerId: string; artist: Address; chat?: ChatMessage[] };
  try {
    joined = await signalling.request<"joined">({ t: "join", streamId: params.streamId.toString() });
    // The room's latest chat, oldest first: buffered until the app subscribes.
    for (const { from, text, at } of (joined.chat ?? []).slice(-CHAT_HISTORY * 2))
      chat.emit({ from, text: String(text).slice(0, MAX_CHAT_CHARS), at });
  } catch (error) {
    off.forEach((unsubscribe) => unsubscribe());
    pc.close();
    throw error;
  }
  void ended.then(() => pc.close());

  return {
    streamId: params.streamId,
    peerId: joined.peerId,
    artist: joined.artist,
    media,
    connection: pc,
    get offerReceivedAt() {
      return offerReceivedAt;
    },
    ready,
    chat(text) {
      signalling.send({ t: "chat", text: text.slice(0, MAX_CHAT_CHARS) });
    },
    onChat: chat.add,
    onTip: tips.add,
    ended,
    async close() {
      off.forEach((unsubscribe) => unsubscribe());
      pc.close();
      await signalling.request<"left">({ t: "leave" }).catch(() => undefined);
      end("left");
    },
  };
}

/** A room's audience member: the room's chat, no connection to the artist (the video comes from a relay). */
export interface RoomAudience {
  streamId: bigint;
  artist: Address;
  chat(text: string): void;
  onChat(handler: (message: ChatMessage) => void): () => void;
  /** Resolves when the artist ends the session or signalling closes. */
  ended: Promise<string>;
  close(): Promise<void>;
}

/**
 * Joins a room's audience: chat and a place in the viewer count without a seat in the mesh, for a fan
 * who watches through a relay (`watchSfu`) when the mesh is full.
 *
 * @example
 * const audience = await joinAudience(signalling, { streamId });
 * audience.onChat(({ from, text }) => console.log(from, text));
 * @throws RoomFullError (the audience's cap), StreamAccessDeniedError, UnknownRoomError
 */
export async function joinAudience(
  signalling: SignallingConnection,
  params: { streamId: bigint },
): Promise<RoomAudience> {
  const chat = bufferedListeners<ChatMessage>(CHAT_HISTORY * 2);
  let end: (reason: string) => void = () => {};
  const ended = new Promise<string>((resolve) => (end = resolve));
  const off = [
    signalling.on("room-closed", () => end("the artist ended the session")),
    chatFrom(signalling, chat.emit),
  ];
  void signalling.closed.then(({ code }) =>
    end(code === 4002 ? "this wallet joined from another connection" : "signalling closed"),
  );
  let joined: { artist: Address; chat?: ChatMessage[] };
  try {
    joined = await signalling.request<"joined">({ t: "join", streamId: params.streamId.toString(), audience: true });
    for (const { from, text, at } of (joined.chat ?? []).slice(-CHAT_HISTORY * 2))
      chat.emit({ from, text: String(text).slice(0, MAX_CHAT_CHARS), at });
  } catch (error) {
    off.forEach((unsubscribe) => unsubscribe());
    throw error;
  }
  return {
    streamId: params.streamId,
    artist: joined.artist,
    chat(text) {
      signalling.send({ t: "chat", text: text.slice(0, MAX_CHAT_CHARS) });
    },
    onChat: chat.add,
    ended,
    async close() {
      off.forEach((unsubscribe) => unsubscribe());
      await signalling.request<"left">({ t: "leave" }).catch(() => undefined);
      end("left");
    },
  };
}

/**
 * Received-media counters of a peer connection, from `getStats`: decoded video frames and audio
 * energy (0 while silent or not flowing).
 *
 * @example
 * const { framesDecoded, audioEnergy } = await receiveStats(viewer.connection);
 */
export async function receiveStats(pc: RTCPeerConnection) {
  let framesDecoded = 0;
  let audioEnergy = 0;
  let audioSamples = 0;
  (await pc.getStats()).forEach((report) => {
    if (report.type !== "inbound-rtp") return;
    if (report.kind === "video") framesDecoded += report.framesDecoded ?? 0;
    if (report.kind === "audio") {
      audioEnergy += report.totalAudioEnergy ?? 0;
      audioSamples += report.totalSamplesReceived ?? 0;
    }
  });
  return { framesDecoded, audioEnergy, audioSamples };
}
