/**
 * The forwarding core without HTTP, against werift (a WebRTC stack nobody here wrote): a werift
 * publisher sending VP8-shaped RTP and werift viewers, in this process. What a viewer gets depends on
 * the publisher's keyframes, so the publisher here answers keyframe requests (PLI) the way the test
 * says — including not at all, as Chromium does with a request that follows another too closely.
 * werift also decodes the RTCP the forwarder writes (reports, REMB, forwarded sender reports).
 */
import assert from "node:assert/strict";
import { after, test } from "node:test";
import {
  type RTCPeerConnectionConfig,
  ReceiverEstimatedMaxBitrate,
  RtcpPayloadSpecificFeedback,
  RtcpRrPacket,
  RtcpSrPacket,
  RtpHeader,
  RtpPacket,
} from "werift";
import { weriftOffer, weriftPeer } from "../../../testkit/src/werift-peer.ts";
import { createForwarder, isVp8KeyframeStart } from "./forwarder.ts";

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

const newForwarder = (options: Parameters<typeof createForwarder>[0] = {}) => {
  const forwarder = createForwarder({ bindAddress: "127.0.0.1", ...options });
  closers.push(() => forwarder.close());
  return forwarder;
};

/** A publisher that sends a 50 fps stream and answers the PLIs for which `answer(n)` is true (n from 1). */
async function startPublisher(
  forwarder: ReturnType<typeof createForwarder>,
  key: string,
  answer: (n: number) => boolean,
  /** Sending starts when this settles; the first frame is then a delta frame unless asked for a keyframe. */
  holdUntil?: Promise<unknown>,
) {
  const pc = weriftPeer();
  closers.push(() => pc.close());
  const { sender } = pc.addTransceiver("video", { direction: "sendonly" });
  const publisher = { plis: 0, keyframesSent: 0, rtcp: [] as unknown[], sender };
  let keyframeOwed = !holdUntil; // the stream starts with one
  sender.onPictureLossIndication.subscribe(() => {
    publisher.plis++;
    if (answer(publisher.plis)) keyframeOwed = true;
  });
  sender.onRtcp.subscribe((packet) => publisher.rtcp.push(packet));
  const { answer: sdp } = await forwarder.publish(key, await weriftOffer(pc));
  await pc.setRemoteDescription({ type: "answer", sdp });
  let sequenceNumber = 0;
  let holding = holdUntil !== undefined;
  void holdUntil?.then(() => (holding = false));
  const timer = setInterval(() => {
    if (holding) return;
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

/** A viewer of `kinds` that records whether the first video packet it got was a keyframe, and what came. */
async function startViewer(
  forwarder: ReturnType<typeof createForwarder>,
  key: string,
  kinds: ("video" | "audio")[],
  config: RTCPeerConnectionConfig = {},
) {
  const pc = weriftPeer(config);
  closers.push(() => pc.close());
  const viewer = {
    packets: 0,
    startedAtKeyframe: undefined as boolean | undefined,
    sequenceNumbers: new Set<number>(),
    ssrcs: new Set<number>(),
    rtcp: [] as unknown[],
  };
  pc.onTrack.subscribe((track) =>
    track.onReceiveRtp.subscribe((rtp) => {
      viewer.startedAtKeyframe ??= isVp8KeyframeStart(rtp.payload);
      viewer.packets++;
      viewer.sequenceNumbers.add(rtp.header.sequenceNumber);
      viewer.ssrcs.add(rtp.header.ssrc);
    }),
  );
  for (const kind of kinds)
    pc.addTransceiver(kind, { direction: "recvonly" }).receiver.onRtcp.subscribe((p) => viewer.rtcp.push(p));
  const { answer } = await forwarder.subscribe(key, await weriftOffer(pc));
  await pc.setRemoteDescription({ type: "answer", sdp: answer });
  return {
    ...viewer,
    answer,
    pc,
    get state() {
      return viewer;
    },
  };
}

test("a viewer's video starts at a keyframe, and a dropped keyframe request is sent again", async () => {
  const forwarder = newForwarder({ keyframeIntervalMs: 300 });
  // The publisher ignores the first request, the one the viewer's arrival causes.
  const publisher = await startPublisher(forwarder, "7", (n) => n > 1);
  await until(() => (forwarder.publication("7")?.packetsIn ?? 0) > 10, "the publisher's RTP", 10_000);

  // Video only, as a fan who muted the stream before joining: the forwarder answers the kinds offered.
  const { state: viewer, answer } = await startViewer(forwarder, "7", ["video"]);
  assert.doesNotMatch(answer, /^m=audio/m);
  await until(() => viewer.packets > 5, "video at the viewer", 10_000);
  assert.equal(viewer.startedAtKeyframe, true, "the first packet forwarded to a viewer starts a keyframe");
  assert.ok(publisher.plis >= 2, `the forwarder asked again (${publisher.plis} requests)`);
  assert.equal(forwarder.publication("7")!.keyframeRequests, publisher.plis);

  // Once everyone has video, the forwarder stops asking: the publisher is not flooded with PLIs.
  const requests = forwarder.publication("7")!.keyframeRequests;
  await new Promise((resolve) => setTimeout(resolve, 1_000));
  assert.equal(forwarder.publication("7")!.keyframeRequests, requests);
});

test("keyframe requests go on when Date.now() lags the timers", async () => {
  // A Node timer may fire when Date.now() reads a millisecond short of its delay. Here the clock runs at
  // nine tenths of the timers' speed, so every retry fires "early": it must still ask again.
  const realNow = Date.now;
  const start = realNow();
  Date.now = () => start + Math.floor((realNow() - start) * 0.9);
  try {
    const forwarder = newForwarder({ keyframeIntervalMs: 300, keyframeGapMs: 50 });
    const publisher = await startPublisher(forwarder, "17", (n) => n > 2);
    await until(() => (forwarder.publication("17")?.packetsIn ?? 0) > 10, "the publisher's RTP", 10_000);
    const { state: viewer } = await startViewer(forwarder, "17", ["video"]);
    await until(() => viewer.packets > 5, "video at the viewer", 10_000).catch((error) => {
      throw new Error(`${(error as Error).message} after ${publisher.plis} keyframe requests`);
    });
    assert.equal(viewer.startedAtKeyframe, true);
    assert.ok(publisher.plis >= 3, `${publisher.plis} requests`);
  } finally {
    Date.now = realNow;
  }
});

test("a viewer connected before the publisher's first packet gets video once it comes", async () => {
  const forwarder = newForwarder();
  let release!: () => void;
  const publisher = await startPublisher(forwarder, "16", () => true, new Promise<void>((r) => (release = r)));
  const { state: viewer, pc } = await startViewer(forwarder, "16", ["video"]);
  await until(() => pc.connectionState === "connected", "the viewer's connection", 10_000);
  assert.equal(forwarder.publication("16")!.packetsIn, 0);
  release(); // delta frames only, unless the forwarder asks for a keyframe
  await until(() => viewer.packets > 5, "video at the viewer", 10_000);
  assert.equal(viewer.startedAtKeyframe, true);
  assert.ok(publisher.plis >= 1);
});

test("subscribing needs a publisher and an offer with something to receive", async () => {
  const forwarder = newForwarder();
  await assert.rejects(forwarder.subscribe("8", "v=0\r\nm=video 9 UDP/TLS/RTP/SAVPF 96\r\n"), {
    name: "NotPublishingError",
  });
  await startPublisher(forwarder, "8", () => true);
  await assert.rejects(forwarder.subscribe("8", "v=0\r\ns=-\r\n"), {
    name: "BadOfferError",
    message: /no audio or video/,
  });
  await assert.rejects(forwarder.subscribe("8", "hello"), { name: "BadOfferError", message: /not an SDP offer/ });
  // A viewer that can only decode H264 gets nothing it could not play.
  const h264Only = "v=0\r\nm=video 9 UDP/TLS/RTP/SAVPF 102\r\na=mid:0\r\na=recvonly\r\na=rtpmap:102 H264/90000\r\n";
  await assert.rejects(forwarder.subscribe("8", h264Only), { name: "BadOfferError" });
  await assert.rejects(forwarder.publish("9", h264Only.replace("recvonly", "sendonly")), {
    name: "BadOfferError",
    message: /VP8/,
  });
});

test("every viewer gets the session's SSRC, named in its answer, and the publisher's sequence numbers", async () => {
  const forwarder = newForwarder();
  await startPublisher(forwarder, "10", () => true);
  const [a, b] = await Promise.all([startViewer(forwarder, "10", ["video"]), startViewer(forwarder, "10", ["video"])]);
  await until(() => a.state.packets > 10 && b.state.packets > 10, "video at both viewers", 10_000).catch((error) => {
    throw new Error(
      `${(error as Error).message}: ${[a, b].map((v) => `${v.pc.connectionState}/${v.state.packets}`)} SFU ${JSON.stringify(forwarder.publication("10")!.viewers())}`,
    );
  });
  const ssrc = [...a.state.ssrcs][0]!;
  assert.deepEqual([...a.state.ssrcs], [ssrc]);
  assert.deepEqual([...b.state.ssrcs], [ssrc]);
  assert.match(a.answer, new RegExp(`^a=ssrc:${ssrc} `, "m"));
  // Both see the same numbering: the packets were forwarded, not renumbered per viewer.
  const common = [...a.state.sequenceNumbers].filter((n) => b.state.sequenceNumbers.has(n));
  assert.ok(common.length > 5);
});

test("a viewer's NACKs are answered from the session's history", async () => {
  const forwarder = newForwarder();
  await startPublisher(forwarder, "11", () => true);
  // The viewer loses a fifth of what arrives (werift's debug option drops it before decryption).
  const { state: viewer } = await startViewer(forwarder, "11", ["video"], { debug: { inboundPacketLoss: 80 } });
  await until(() => viewer.packets > 150, "video at the viewer", 15_000);
  await new Promise((resolve) => setTimeout(resolve, 500)); // for the last NACKs' answers
  const seen = [...viewer.sequenceNumbers].sort((a, b) => a - b);
  const first = seen[0]!;
  const last = seen.at(-1)! - 10; // the newest may still be on their way back
  const missing = last - first + 1 - seen.filter((n) => n <= last).length;
  assert.ok(missing <= (last - first) * 0.05, `${missing} of ${last - first + 1} packets stayed lost`);
  assert.ok(forwarder.publication("11")!.retransmissions > 0, "lost packets were sent again");
});

test("the publisher gets receiver reports and a REMB; viewers get its sender reports re-addressed", async () => {
  const forwarder = newForwarder({ publisherBitrate: 1_800_000 });
  const publisher = await startPublisher(forwarder, "12", () => true);
  const { state: viewer } = await startViewer(forwarder, "12", ["video"]);
  // werift sends a sender report every few seconds once it sends RTP.
  await until(
    () => publisher.rtcp.some((p) => p instanceof RtcpRrPacket) && viewer.rtcp.some((p) => p instanceof RtcpSrPacket),
    "reports both ways",
    20_000,
  ).catch((error) => {
    const names = (packets: unknown[]) => packets.map((p) => (p as object).constructor.name).join(",");
    throw new Error(
      `${(error as Error).message}: publisher got [${names(publisher.rtcp)}], viewer [${names(viewer.rtcp)}]`,
    );
  });
  const rr = publisher.rtcp.find((p) => p instanceof RtcpRrPacket) as RtcpRrPacket;
  assert.equal(rr.reports.length, 1);
  assert.equal(rr.reports[0]!.ssrc, publisher.sender.ssrc, "the report is about the publisher's stream");
  assert.notEqual(rr.reports[0]!.lsr, 0, "it echoes the sender report");
  const remb = publisher.rtcp
    .filter((p): p is RtcpPayloadSpecificFeedback => p instanceof RtcpPayloadSpecificFeedback)
    .map((p) => p.feedback)
    .find((f) => f instanceof ReceiverEstimatedMaxBitrate) as ReceiverEstimatedMaxBitrate | undefined;
  assert.ok(remb, "a REMB came with the report");
  assert.ok(Number(remb.bitrate) <= 1_800_000 && Number(remb.bitrate) > 1_790_000, `REMB ${remb.bitrate}`);
  const sr = viewer.rtcp.find((p) => p instanceof RtcpSrPacket) as RtcpSrPacket;
  assert.equal(sr.ssrc, [...viewer.ssrcs][0], "the viewer's SR names the stream it receives");
  assert.ok(sr.senderInfo.ntpTimestamp > 0n);
});

test("a viewer arriving just after a keyframe gets the next one once the publisher accepts requests again", async () => {
  // The publisher drops a request within 800 ms of the last one it answered (libwebrtc: 300 ms); the
  // forwarder's retry is 4 s away, so only holding the request back serves the second viewer soon.
  // The gap has a margin over the throttle, as the default's 350 ms over libwebrtc's 300 ms.
  const forwarder = newForwarder({ keyframeIntervalMs: 4_000, keyframeGapMs: 900 });
  let lastAnswered = 0;
  const publisher = await startPublisher(forwarder, "13", () => {
    if (Date.now() - lastAnswered < 800) return false;
    lastAnswered = Date.now();
    return true;
  });
  await until(() => (forwarder.publication("13")?.packetsIn ?? 0) > 10, "the publisher's RTP", 10_000);
  const { state: first } = await startViewer(forwarder, "13", ["video"]);
  await until(() => first.packets > 0, "video at the first viewer", 10_000);
  const joined = Date.now();
  const { state: second } = await startViewer(forwarder, "13", ["video"]);
  await until(() => second.packets > 0, "video at the second viewer", 10_000);
  const waited = Date.now() - joined;
  assert.ok(waited < 2_500, `the second viewer waited ${waited} ms for its keyframe`);
  assert.equal(second.startedAtKeyframe, true);
  assert.ok(publisher.plis <= 3, `${publisher.plis} requests`);
});

test("announced addresses are offered beside the gathered ones; an unknown ICE server URL is refused", async () => {
  const forwarder = newForwarder({ announcedAddresses: ["203.0.113.7"] });
  const pc = weriftPeer();
  closers.push(() => pc.close());
  pc.addTransceiver("video", { direction: "sendonly" });
  const { answer } = await forwarder.publish("14", await weriftOffer(pc));
  const hosts = [...answer.matchAll(/^a=candidate:\S+ 1 UDP \d+ (\S+) (\d+) typ host/gim)].map((m) => [m[1], m[2]]);
  assert.deepEqual(
    hosts.map(([address]) => address),
    ["127.0.0.1", "203.0.113.7"],
  );
  assert.equal(hosts[0]![1], hosts[1]![1], "the same port");
  assert.throws(() => createForwarder({ iceServers: [{ urls: "http://stun.example" }] }), /Unsupported ICE server URL/);
});

test("ending a viewer or the publisher frees its resources", async () => {
  const forwarder = newForwarder();
  await startPublisher(forwarder, "15", () => true);
  const publication = forwarder.publication("15")!;
  await startViewer(forwarder, "15", ["video"]);
  const [viewer] = publication.viewers();
  assert.deepEqual(forwarder.resource(viewer!.id), { key: "15", role: "viewer" });
  assert.equal(await forwarder.end(viewer!.id), true);
  assert.equal(forwarder.resource(viewer!.id), undefined);
  assert.equal(publication.viewers().length, 0);
  await startViewer(forwarder, "15", ["video"]);
  assert.equal(await forwarder.end(publication.id), true);
  assert.equal(forwarder.publication("15"), undefined);
  assert.equal(forwarder.resource(publication.viewers()[0]?.id ?? "none"), undefined);
  assert.equal(await forwarder.end(publication.id), false);
});
