/**
 * werift peers for tests and benchmarks of the SFU: a WebRTC stack nobody here wrote (pure
 * TypeScript), speaking VP8 and Opus as the SFU does, on loopback.
 */
import { RTCPeerConnection, type RTCPeerConnectionConfig, RTCRtpCodecParameters } from "werift";

/** VP8 and Opus, with the feedback a browser negotiates for them. */
export const weriftCodecs = () => ({
  video: [
    new RTCRtpCodecParameters({
      mimeType: "video/VP8",
      clockRate: 90_000,
      rtcpFeedback: [{ type: "nack" }, { type: "nack", parameter: "pli" }, { type: "goog-remb" }],
    }),
  ],
  audio: [new RTCRtpCodecParameters({ mimeType: "audio/opus", clockRate: 48_000, channels: 2 })],
});

/**
 * A werift peer with host candidates on 127.0.0.1 only. werift asks Google's STUN server when the
 * configuration names none (0.25.2), which offline stalls gathering on a DNS lookup: `weriftOffer`
 * switches that fallback off.
 */
export const weriftPeer = (config: RTCPeerConnectionConfig = {}) =>
  new RTCPeerConnection({
    codecs: weriftCodecs(),
    iceAdditionalHostAddresses: ["127.0.0.1"],
    iceUseIpv6: false,
    iceUseTcp: false,
    iceServers: [],
    bundlePolicy: "max-bundle",
    ...config,
  });

/** The peer's offer with its candidates (WHIP and WHEP do not trickle); werift's STUN fallback off. */
export async function weriftOffer(pc: RTCPeerConnection): Promise<string> {
  for (const transport of pc.iceTransports)
    if (transport.gatheringState === "new") transport.connection.stunServer = undefined;
  await pc.setLocalDescription(await pc.createOffer());
  if (pc.iceGatheringState !== "complete")
    await new Promise<void>((resolve) => {
      pc.iceGatheringStateChange.subscribe((state) => state === "complete" && resolve());
    });
  return pc.localDescription!.sdp;
}
