/**
 * A headless WHEP viewer on libdatachannel (`node-datachannel`, the SFU's own engine, so hundreds fit
 * in one process): subscribes to a session on the SFU and counts what arrives (RTP packets per kind,
 * video frames by RTP timestamp, the first complete keyframe), without decoding. Tests and the
 * benchmark use it to stand for many fans; an operator can use it to monitor a live session.
 */
import nodeDataChannel from "node-datachannel";
import { SDP_CONTENT_TYPE, sfuWhepUrl } from "../../../sdk/src/protocol/sfu.ts";
import { isRtcp, isVp8KeyframeStart, readRtp } from "./rtp.ts";

const { PeerConnection, Video, Audio } = nodeDataChannel;
if (process.env.NDC_LOG)
  nodeDataChannel.initLogger("Info", (level, message) => console.log(`[ndc ${process.pid}] ${level} ${message}`));

export interface HeadlessViewer {
  videoPackets: number;
  audioPackets: number;
  /** Video frames seen (distinct RTP timestamps). */
  frames: number;
  /** ms from the start of `watchHeadless` to the last packet of the first keyframe. */
  firstFrameMs: number | undefined;
  /** ms from the start of `watchHeadless` to the connection (ICE and DTLS) being up; `watchHeadless` resolves then. */
  connectedMs: number | undefined;
  state(): string;
  /** Frames seen since the previous call, and over how many ms. */
  frameWindow(): { frames: number; ms: number };
  stop(): Promise<void>;
}

/**
 * @example
 * const viewer = await watchHeadless({ sfuUrl, streamId: "42", token });
 * console.log(viewer.frames, viewer.firstFrameMs);
 * await viewer.stop();
 */
export async function watchHeadless(params: {
  sfuUrl: string;
  streamId: string | bigint;
  token: string;
  /** The address to gather candidates on. Default `127.0.0.1`. */
  bindAddress?: string;
}): Promise<HeadlessViewer> {
  const started = performance.now();
  const pc = new PeerConnection("headless-viewer", { iceServers: [], bindAddress: params.bindAddress ?? "127.0.0.1" });
  let newestTimestamp: number | undefined;
  let keyframeTimestamp: number | undefined;
  let lastMarkerTimestamp: number | undefined;
  let windowFrames = 0;
  let windowStart = performance.now();
  const viewer: HeadlessViewer = {
    videoPackets: 0,
    audioPackets: 0,
    frames: 0,
    firstFrameMs: undefined,
    connectedMs: undefined,
    state: () => pc.state(),
    frameWindow() {
      const now = performance.now();
      const result = { frames: windowFrames, ms: now - windowStart };
      windowFrames = 0;
      windowStart = now;
      return result;
    },
    async stop() {
      for (const track of tracks) track.close();
      pc.close();
    },
  };
  const settled = new Promise<string>((resolve) =>
    pc.onStateChange((state) => {
      if (state === "connected") viewer.connectedMs ??= performance.now() - started;
      if (state === "connected" || state === "failed" || state === "closed") resolve(state);
    }),
  );
  const video = new Video("0", "RecvOnly");
  video.addVP8Codec(96);
  const audio = new Audio("1", "RecvOnly");
  audio.addOpusCodec(111);
  // Keep the tracks referenced for the viewer's lifetime: a collected Track stops calling back.
  const tracks = [pc.addTrack(audio), pc.addTrack(video)] as const;
  // A close delivered to a callback is what releases node-datachannel's hold on the event loop.
  for (const track of tracks) track.onClosed(() => {});
  tracks[0].onMessage((packet) => {
    if (!isRtcp(packet)) viewer.audioPackets++;
  });
  tracks[1].onMessage((packet) => {
    if (isRtcp(packet)) return;
    const rtp = readRtp(packet);
    if (!rtp) return;
    viewer.videoPackets++;
    const { timestamp, marker } = rtp;
    // A frame is a newer timestamp: a retransmitted (NACKed) packet of an older frame is no new frame.
    if (newestTimestamp === undefined || (timestamp - newestTimestamp) >>> 0 < 0x8000_0000) {
      if (timestamp !== newestTimestamp) {
        viewer.frames++;
        windowFrames++;
      }
      newestTimestamp = timestamp;
    }
    if (viewer.firstFrameMs === undefined) {
      // The first keyframe is complete when its first and last packets are in, in either order; a
      // later keyframe replaces one whose last packet was lost.
      if (isVp8KeyframeStart(packet.subarray(rtp.payloadOffset))) keyframeTimestamp = timestamp;
      if (marker) lastMarkerTimestamp = timestamp;
      if (keyframeTimestamp === timestamp && lastMarkerTimestamp === timestamp)
        viewer.firstFrameMs = performance.now() - started;
    }
  });
  try {
    const gathered = new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, 3_000);
      pc.onGatheringStateChange((state) => {
        if (state === "complete") {
          clearTimeout(timer);
          resolve();
        }
      });
    });
    pc.setLocalDescription("offer");
    if (pc.gatheringState() !== "complete") await gathered;
    const response = await fetch(sfuWhepUrl(params.sfuUrl, params.streamId), {
      method: "POST",
      headers: { "content-type": SDP_CONTENT_TYPE, authorization: `Bearer ${params.token}` },
      body: pc.localDescription()!.sdp,
    });
    if (response.status !== 201) throw new Error(`WHEP answered ${response.status}: ${await response.text()}`);
    pc.setRemoteDescription(await response.text(), "answer");
    let timer: ReturnType<typeof setTimeout> | undefined;
    const state = await Promise.race([
      settled,
      new Promise((resolve) => (timer = setTimeout(resolve, 10_000, "timeout"))),
    ]);
    clearTimeout(timer);
    if (state !== "connected") throw new Error(`The connection to the SFU did not come up (${state}).`);
  } catch (error) {
    pc.close();
    throw error;
  }
  return viewer;
}
