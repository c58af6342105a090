/**
 * The forwarding core without HTTP: a werift publisher sending VP8-shaped RTP and werift viewers,
 * both in this process. What a viewer gets depends on the publisher's keyframes, so the publisher
 * here answers keyframe requests (PLI) the way the test says — including not at all, as Chromium
 * does with a request that follows another too closely.
 */
import assert from "node:assert/strict";
import { createSocket } from "node:dgram";
import dns from "node:dns";
import { readFile } from "node:fs/promises";
import { isIP } from "node:net";
import { after, test } from "node:test";
import { RTCPeerConnection, type RTCPeerConnectionConfig, RTCRtpSender, RtpHeader, RtpPacket } from "werift";
import { createForwarder, isVp8KeyframeStart, sfuCodecs, withoutFallbackStun } from "./forwarder.ts";

const peer = (config: RTCPeerConnectionConfig = {}) =>
  new RTCPeerConnection({
    codecs: sfuCodecs(),
    iceAdditionalHostAddresses: ["127.0.0.1"],
    iceUseIpv6: false,
    iceUseTcp: false,
    iceServers: [],
    ...config,
  });

const gathered = (pc: RTCPeerConnection) =>
  pc.iceGatheringState === "complete"
    ? Promise.resolve()
    : new Promise<void>((resolve) => pc.iceGatheringStateChange.subscribe((s) => s === "complete" && resolve()));

const until = async (check: () => boolean, what: string, ms: number) => {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
};

// One-packet VP8 frames (RFC 7741): S bit set, partition 0; the P bit of the payload header tells a
// keyframe (0) from a delta frame (1).
const KEYFRAME = Buffer.from([0x10, 0x00, 0x9d, 0x01, 0x2a]);
const DELTA = Buffer.from([0x10, 0x01, 0x00, 0x00, 0x00]);

const closers: (() => Promise<unknown>)[] = [];
after(async () => {
  for (const close of closers.reverse()) await close().catch(() => undefined);
  // werift keeps some UDP sockets after close (0.25.2): end the file once ours are closed.
  setTimeout(() => process.exit(), 500).unref();
});

/** Every test publisher's sender (the senders the forwarder does not own). */
const publisherSenders = new Set<RTCRtpSender>();

/** A publisher that sends a 50 fps stream and answers the PLIs for which `answer(n)` is true (n from 1). */
async function startPublisher(
  forwarder: ReturnType<typeof createForwarder>,
  key: string,
  answer: (n: number) => boolean,
) {
  const pc = peer();
  closers.push(() => pc.close());
  const { sender } = pc.addTransceiver("video", { direction: "sendonly" });
  const publisher = { plis: 0, keyframesSent: 0 };
  publisherSenders.add(sender);
  let keyframeOwed = true; // the stream starts with one
  sender.onPictureLossIndication.subscribe(() => {
    publisher.plis++;
    if (answer(publisher.plis)) keyframeOwed = true;
  });
  await pc.setLocalDescription(await pc.createOffer());
  await gathered(pc);
  const { answer: sdp } = await forwarder.publish(key, pc.localDescription!.sdp);
  await pc.setRemoteDescription({ type: "answer", sdp });
  let sequenceNumber = 0;
  const timer = setInterval(() => {
    const payload = keyframeOwed ? KEYFRAME : DELTA;
    if (keyframeOwed) publisher.keyframesSent++;
    keyframeOwed = false;
    const header = new RtpHeader({
      payloadType: 96,
      sequenceNumber: sequenceNumber++ & 0xffff,
      timestamp: sequenceNumber * 1_800,
      marker: true,
    });
    void sender.sendRtp(new RtpPacket(header, payload)).catch(() => undefined);
  }, 20);
  closers.push(async () => clearInterval(timer));
  return publisher;
}

/** A viewer of `kinds` that records whether the first video packet it got was a keyframe, and which sequence numbers came. */
async function startViewer(
  forwarder: ReturnType<typeof createForwarder>,
  key: string,
  kinds: ("video" | "audio")[],
  config: RTCPeerConnectionConfig = {},
) {
  const pc = peer(config);
  closers.push(() => pc.close());
  const viewer = {
    packets: 0,
    startedAtKeyframe: undefined as boolean | undefined,
    sequenceNumbers: new Set<number>(),
  };
  pc.onTrack.subscribe((track) =>
    track.onReceiveRtp.subscribe((rtp) => {
      viewer.startedAtKeyframe ??= isVp8KeyframeStart(rtp.payload);
      viewer.packets++;
      viewer.sequenceNumbers.add(rtp.header.sequenceNumber);
    }),
  );
  for (const kind of kinds) pc.addTransceiver(kind, { direction: "recvonly" });
  await pc.setLocalDescription(await pc.createOffer());
  await gathered(pc);
  const { answer } = await forwarder.subscribe(key, pc.localDescription!.sdp);
  await pc.setRemoteDescription({ type: "answer", sdp: answer });
  return viewer;
}

test("a viewer's video starts at a keyframe, and a dropped keyframe request is sent again", async () => {
  const forwarder = createForwarder({ hostAddresses: ["127.0.0.1"], keyframeIntervalMs: 300 });
  closers.push(() => forwarder.close());
  // The publisher ignores the first request, the one the viewer's arrival causes.
  const publisher = await startPublisher(forwarder, "7", (n) => n > 1);
  await until(() => (forwarder.publication("7")?.packetsIn ?? 0) > 10, "the publisher's RTP", 10_000);

  // Video only, as a fan who muted the stream before joining: the forwarder answers the kinds offered.
  const viewer = await startViewer(forwarder, "7", ["video"]);
  await until(() => viewer.packets > 5, "video at the viewer", 10_000);
  assert.equal(viewer.startedAtKeyframe, true, "the first packet forwarded to a viewer starts a keyframe");
  assert.ok(publisher.plis >= 2, `the forwarder asked again (${publisher.plis} requests)`);
  assert.equal(forwarder.publication("7")!.keyframeRequests, publisher.plis);

  // Once everyone has video, the forwarder stops asking: the publisher is not flooded with PLIs.
  const requests = forwarder.publication("7")!.keyframeRequests;
  await new Promise((resolve) => setTimeout(resolve, 1_000));
  assert.equal(forwarder.publication("7")!.keyframeRequests, requests);
});

test("subscribing needs a publisher and an offer with something to receive", async () => {
  const forwarder = createForwarder({ hostAddresses: ["127.0.0.1"] });
  closers.push(() => forwarder.close());
  await assert.rejects(forwarder.subscribe("8", "v=0\r\nm=video 9 UDP/TLS/RTP/SAVPF 96\r\n"), {
    name: "NotPublishingError",
  });
  await startPublisher(forwarder, "8", () => true);
  await assert.rejects(forwarder.subscribe("8", "v=0\r\ns=-\r\n"), {
    name: "BadOfferError",
    message: /no audio or video/,
  });
  await assert.rejects(forwarder.subscribe("8", "hello"), { name: "BadOfferError", message: /not an SDP offer/ });
});

test("without a configured STUN server, no peer asks one (werift falls back to Google's)", async () => {
  // werift resolves a STUN server's name with dns.promises.lookup: record the names asked for.
  const lookups: string[] = [];
  const lookup = dns.promises.lookup;
  dns.promises.lookup = ((hostname: string, ...rest: unknown[]) => {
    if (!isIP(hostname)) lookups.push(hostname);
    return (lookup as (...args: unknown[]) => unknown)(hostname, ...rest);
  }) as typeof lookup;
  try {
    const forwarder = createForwarder({ hostAddresses: ["127.0.0.1"] });
    closers.push(() => forwarder.close());
    const pc = peer();
    closers.push(() => pc.close());
    pc.addTransceiver("video", { direction: "sendonly" });
    withoutFallbackStun(pc);
    await pc.setLocalDescription(await pc.createOffer());
    await gathered(pc);
    await forwarder.publish("9", pc.localDescription!.sdp);
    assert.deepEqual(lookups, [], "neither the publisher nor the forwarder looked up a STUN server");
  } finally {
    dns.promises.lookup = lookup;
  }
  // A configured one is kept.
  const configured = new RTCPeerConnection({ iceServers: [{ urls: "stun:127.0.0.1:3478" }] });
  closers.push(() => configured.close());
  configured.addTransceiver("video", { direction: "recvonly" });
  withoutFallbackStun(configured);
  assert.deepEqual(configured.iceTransports[0]!.connection.stunServer, ["127.0.0.1", 3478]);
});

test("a viewer's packets skip werift's sendRtp, and its NACKs are still answered from the sender's history", async () => {
  const forwarder = createForwarder({ hostAddresses: ["127.0.0.1"] });
  closers.push(() => forwarder.close());
  await startPublisher(forwarder, "10", () => true);
  const sendRtp = RTCRtpSender.prototype.sendRtp;
  let forwardedBySendRtp = 0;
  RTCRtpSender.prototype.sendRtp = function (this: RTCRtpSender, ...args: Parameters<typeof sendRtp>) {
    if (!publisherSenders.has(this)) forwardedBySendRtp++;
    return sendRtp.apply(this, args);
  };
  try {
    // The viewer loses a fifth of what arrives (werift's debug option drops it before decryption).
    const viewer = await startViewer(forwarder, "10", ["video"], { debug: { inboundPacketLoss: 80 } });
    await until(() => viewer.packets > 100, "video at the viewer", 15_000);
    await new Promise((resolve) => setTimeout(resolve, 500)); // for the last NACKs' answers
    assert.equal(forwardedBySendRtp, 0, "forwarded packets took the shortcut");
    const seen = [...viewer.sequenceNumbers].sort((a, b) => a - b);
    const first = seen[0]!;
    const last = seen.at(-1)! - 10; // the newest may still be on their way back
    const missing = last - first + 1 - seen.filter((n) => n <= last).length;
    assert.ok(missing <= (last - first) * 0.05, `${missing} of ${last - first + 1} packets stayed lost`);
  } finally {
    RTCRtpSender.prototype.sendRtp = sendRtp;
  }
});

test("a viewer arriving just after a keyframe gets the next one once the publisher accepts requests again", async () => {
  // The publisher drops a request within 800 ms of the last one it answered (libwebrtc: 300 ms); the
  // forwarder's retry is 4 s away, so only holding the request back serves the second viewer soon.
  // The gap has a margin over the throttle, as the default's 350 ms over libwebrtc's 300 ms.
  const forwarder = createForwarder({ hostAddresses: ["127.0.0.1"], keyframeIntervalMs: 4_000, keyframeGapMs: 900 });
  closers.push(() => forwarder.close());
  let lastAnswered = 0;
  const publisher = await startPublisher(forwarder, "11", () => {
    if (Date.now() - lastAnswered < 800) return false;
    lastAnswered = Date.now();
    return true;
  });
  await until(() => (forwarder.publication("11")?.packetsIn ?? 0) > 10, "the publisher's RTP", 10_000);
  const first = await startViewer(forwarder, "11", ["video"]);
  await until(() => first.packets > 0, "video at the first viewer", 10_000);
  const joined = Date.now();
  const second = await startViewer(forwarder, "11", ["video"]);
  await until(() => second.packets > 0, "video at the second viewer", 10_000);
  const waited = Date.now() - joined;
  assert.ok(waited < 2_500, `the second viewer waited ${waited} ms for its keyframe`);
  assert.equal(second.startedAtKeyframe, true);
  assert.ok(publisher.plis <= 3, `${publisher.plis} requests`);
});

test("the publisher's sockets get a large receive buffer", async (t) => {
  const max = Number(await readFile("/proc/sys/net/core/rmem_max", "utf8").catch(() => "0"));
  const probe = createSocket("udp4");
  await new Promise<void>((resolve) => probe.bind(0, "127.0.0.1", resolve));
  const defaultSize = probe.getRecvBufferSize();
  probe.close();
  if (max * 2 <= defaultSize) return t.skip("net.core.rmem_max allows no larger buffer here");
  const forwarder = createForwarder({ hostAddresses: ["127.0.0.1"] });
  closers.push(() => forwarder.close());
  await startPublisher(forwarder, "12", () => true);
  const { protocols } = forwarder.publication("12")!.pc.iceTransports[0]!.connection as unknown as {
    protocols: { transport: { socket: import("node:dgram").Socket } }[];
  };
  for (const protocol of protocols) assert.ok(protocol.transport.socket.getRecvBufferSize() > defaultSize);
});
