/**
 * A headless WHEP viewer on werift: subscribes to a session on the SFU and counts what arrives
 * (RTP packets per kind, video frames by RTP timestamp, the first complete keyframe), without
 * decoding. Tests and the benchmark use it to stand for many fans; an operator can use it to
 * monitor a live session.
 */
import { RTCPeerConnection } from "werift";
import { SDP_CONTENT_TYPE, sfuWhepUrl } from "../../../sdk/src/protocol/sfu.ts";
import { isVp8KeyframeStart, setReceiveBuffers, sfuCodecs, withoutFallbackStun } from "./forwarder.ts";

export interface HeadlessViewer {
  videoPackets: number;
  audioPackets: number;
  /** Video frames seen (distinct RTP timestamps). */
  frames: number;
  /** ms from the start of `watchHeadless` to the last packet of the first keyframe. */
  firstFrameMs: number | undefined;
  /** ms from the start of `watchHeadless` to the connection (ICE and DTLS) being up. */
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
  hostAddresses?: string[];
  /**
   * UDP receive buffer of the viewer's sockets (werift keeps Node's default, ~208 kB; Linux caps it at
   * net.core.rmem_max). A process hosting hundreds of viewers on a busy machine drops whole bursts
   * with the default while it waits for a core: the benchmark raises it to measure the SFU, not that.
   */
  receiveBufferBytes?: number;
}): Promise<HeadlessViewer> {
  const started = performance.now();
  const pc = new RTCPeerConnection({
    codecs: sfuCodecs(),
    iceAdditionalHostAddresses: params.hostAddresses ?? ["127.0.0.1"],
    iceUseIpv6: false,
    iceUseTcp: false,
    iceServers: [],
    // One ICE and DTLS handshake for both kinds, as a browser does (werift's default is one per m-line).
    bundlePolicy: "max-bundle",
  });
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
    state: () => pc.connectionState,
    frameWindow() {
      const now = performance.now();
      const result = { frames: windowFrames, ms: now - windowStart };
      windowFrames = 0;
      windowStart = now;
      return result;
    },
    async stop() {
      await pc.close().catch(() => undefined);
    },
  };
  pc.connectionStateChange.subscribe((state) => {
    if (state === "connected") viewer.connectedMs ??= performance.now() - started;
  });
  pc.onTrack.subscribe((track) => {
    track.onReceiveRtp.subscribe((rtp) => {
      if (track.kind !== "video") {
        viewer.audioPackets++;
        return;
      }
      viewer.videoPackets++;
      const { timestamp, marker } = rtp.header;
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
        if (isVp8KeyframeStart(rtp.payload)) keyframeTimestamp = timestamp;
        if (marker) lastMarkerTimestamp = timestamp;
        if (keyframeTimestamp === timestamp && lastMarkerTimestamp === timestamp)
          viewer.firstFrameMs = performance.now() - started;
      }
    });
  });
  pc.addTransceiver("video", { direction: "recvonly" });
  pc.addTransceiver("audio", { direction: "recvonly" });
  withoutFallbackStun(pc);
  try {
    await pc.setLocalDescription(await pc.createOffer());
    if (pc.iceGatheringState !== "complete") {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 3_000);
        pc.iceGatheringStateChange.subscribe((state) => {
          if (state === "complete") {
            clearTimeout(timer);
            resolve();
          }
        });
      });
    }
    if (params.receiveBufferBytes) setReceiveBuffers(pc, params.receiveBufferBytes);
    const response = await fetch(sfuWhepUrl(params.sfuUrl, params.streamId), {
      method: "POST",
      headers: { "content-type": SDP_CONTENT_TYPE, authorization: `Bearer ${params.token}` },
      body: pc.localDescription!.sdp,
    });
    if (response.status !== 201) throw new Error(`WHEP answered ${response.status}: ${await response.text()}`);
    await pc.setRemoteDescription({ type: "answer", sdp: await response.text() });
  } catch (error) {
    await pc.close().catch(() => undefined);
    throw error;
  }
  return viewer;
}
