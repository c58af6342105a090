/**
 * The SFU's RTP/RTCP byte work against werift's serializers and parsers (an implementation nobody
 * here wrote) and against the RFCs' own examples where they give numbers.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import {
  GenericNack,
  PictureLossIndication,
  ReceiverEstimatedMaxBitrate,
  RtcpPacketConverter,
  RtcpPayloadSpecificFeedback,
  RtcpRrPacket,
  RtcpSenderInfo,
  RtcpSrPacket,
  RtcpTransportLayerFeedback,
  RtpHeader,
  RtpPacket,
} from "werift";
import {
  asksKeyframe,
  forwardedCopy,
  isRtcp,
  isVp8KeyframeStart,
  nackedSequences,
  newReception,
  pli,
  readRtp,
  received,
  receiverReport,
  remb,
  senderReportFor,
  senderReportReceived,
} from "./rtp.ts";

const rtpWith = (extensions: { id: number; payload: Buffer }[], csrc: number[] = []) =>
  new RtpPacket(
    new RtpHeader({
      payloadType: 96,
      marker: true,
      sequenceNumber: 65_530,
      timestamp: 0xfedc_ba98,
      ssrc: 0x1234_5678,
      csrc,
      csrcLength: csrc.length,
      extension: extensions.length > 0,
      extensions,
    }),
    Buffer.from([0x10, 0x00, 0x9d, 0x01, 0x2a, 0xff]),
  ).serialize();

test("readRtp finds the payload after CSRCs and a header extension", () => {
  const packet = rtpWith([{ id: 3, payload: Buffer.from([1, 2, 3]) }], [7, 8]);
  const rtp = readRtp(packet)!;
  assert.deepEqual(
    [rtp.payloadType, rtp.marker, rtp.sequenceNumber, rtp.timestamp, rtp.ssrc],
    [96, true, 65_530, 0xfedc_ba98, 0x1234_5678],
  );
  assert.equal(rtp.extensionOffset, 12 + 8);
  assert.deepEqual([...packet.subarray(rtp.payloadOffset)], [0x10, 0x00, 0x9d, 0x01, 0x2a, 0xff]);
  assert.equal(readRtp(packet.subarray(0, 11)), undefined, "cut short");
  assert.equal(readRtp(Buffer.from([0x40, ...packet.subarray(1)])), undefined, "version 1");
  assert.equal(readRtp(packet.subarray(0, 22)), undefined, "an extension longer than the packet");
});

test("forwardedCopy drops the extension, sets SSRC and payload type, and keeps the rest", () => {
  const packet = rtpWith([{ id: 3, payload: Buffer.from([1, 2, 3]) }], [7]);
  const copy = forwardedCopy(packet, readRtp(packet)!, 0xaabb_ccdd, 100);
  const parsed = RtpPacket.deSerialize(copy);
  assert.equal(parsed.header.extension, false);
  assert.deepEqual(parsed.header.csrc, [7]);
  assert.deepEqual(
    [parsed.header.ssrc, parsed.header.payloadType, parsed.header.marker, parsed.header.sequenceNumber],
    [0xaabb_ccdd, 100, true, 65_530],
  );
  assert.equal(parsed.header.timestamp, 0xfedc_ba98);
  assert.deepEqual([...parsed.payload], [0x10, 0x00, 0x9d, 0x01, 0x2a, 0xff]);
  assert.deepEqual(readRtp(packet)!.ssrc, 0x1234_5678, "the original is untouched");
  // Without an extension, the copy is the packet with its SSRC and payload type changed.
  const plain = rtpWith([]);
  const plainCopy = forwardedCopy(plain, readRtp(plain)!, 1, 96);
  assert.equal(plainCopy.length, plain.length);
  assert.deepEqual(plainCopy.subarray(12), plain.subarray(12));
});

test("VP8 keyframe starts (RFC 7741 §4.2–4.3)", () => {
  assert.equal(isVp8KeyframeStart(Buffer.from([0x10, 0x00, 0x9d])), true, "S bit, partition 0, P clear");
  assert.equal(isVp8KeyframeStart(Buffer.from([0x10, 0x01, 0x9d])), false, "an interframe (P set)");
  assert.equal(isVp8KeyframeStart(Buffer.from([0x00, 0x00, 0x9d])), false, "not the start of a frame");
  assert.equal(isVp8KeyframeStart(Buffer.from([0x11, 0x00, 0x9d])), false, "partition 1");
  // X set; I set with a 15-bit PictureID (M bit), L set: the VP8 header is 5 bytes in.
  assert.equal(isVp8KeyframeStart(Buffer.from([0x90, 0xc0, 0x80, 0x01, 0x05, 0x00])), true);
  assert.equal(isVp8KeyframeStart(Buffer.from([0x90, 0xc0, 0x80, 0x01, 0x05, 0x01])), false);
  // A 7-bit PictureID, then T/K: 4 bytes in.
  assert.equal(isVp8KeyframeStart(Buffer.from([0x90, 0xa0, 0x01, 0x40, 0x00])), true);
  assert.equal(isVp8KeyframeStart(Buffer.from([0x90, 0xa0, 0x01, 0x40])), false, "cut short");
});

test("RTCP is told from RTP by the second byte (RFC 5761 §4)", () => {
  assert.equal(isRtcp(pli(1, 2)), true);
  assert.equal(isRtcp(rtpWith([])), false);
  const markedOpus = Buffer.from(rtpWith([]));
  markedOpus[1] = 0x80 | 111;
  assert.equal(isRtcp(markedOpus), false, "Opus with the marker bit (239) is RTP");
});

test("PLI and NACK as werift writes them are read; our PLI is what werift reads", () => {
  const werPli = new RtcpPayloadSpecificFeedback({
    feedback: new PictureLossIndication({ senderSsrc: 1, mediaSsrc: 2 }),
  }).serialize();
  assert.equal(asksKeyframe(werPli), true);
  const nack = new RtcpTransportLayerFeedback({
    feedback: new GenericNack({ senderSsrc: 1, mediaSourceSsrc: 2, lost: [100, 101, 105, 116, 65_535, 3] }),
  }).serialize();
  assert.equal(asksKeyframe(nack), false);
  assert.deepEqual(
    nackedSequences(nack).sort((a, b) => a - b),
    [3, 100, 101, 105, 116, 65_535],
  );
  // In a compound packet after a receiver report, as browsers send them.
  const compound = Buffer.concat([new RtcpRrPacket({ ssrc: 9 }).serialize(), werPli]);
  assert.equal(asksKeyframe(compound), true);
  assert.deepEqual(nackedSequences(compound), []);
  const [parsed] = RtcpPacketConverter.deSerialize(pli(0x11, 0x22)) as RtcpPayloadSpecificFeedback[];
  assert.ok(parsed!.feedback instanceof PictureLossIndication);
  assert.deepEqual([parsed!.feedback.senderSsrc, parsed!.feedback.mediaSsrc], [0x11, 0x22]);
});

test("a publisher's SR reaches viewers alone, re-addressed, with its clock pair", () => {
  const sr = new RtcpSrPacket({
    ssrc: 0x1234,
    senderInfo: new RtcpSenderInfo({
      ntpTimestamp: 0xe6a1_2345_8000_0000n,
      rtpTimestamp: 777_000,
      packetCount: 10,
      octetCount: 1_000,
    }),
    reports: [],
  });
  const compound = Buffer.concat([sr.serialize(), new RtcpRrPacket({ ssrc: 0x1234 }).serialize()]);
  const [forwarded, ...rest] = RtcpPacketConverter.deSerialize(senderReportFor(compound, 0xbeef)) as RtcpSrPacket[];
  assert.equal(rest.length, 0);
  assert.equal(forwarded!.ssrc, 0xbeef);
  assert.equal(forwarded!.senderInfo.ntpTimestamp, 0xe6a1_2345_8000_0000n);
  assert.equal(forwarded!.senderInfo.rtpTimestamp, 777_000);
});

test("receiver reports count loss across a sequence wrap and echo the last SR (RFC 3550 §6.4.1)", () => {
  const state = newReception(65_530);
  for (let n = 65_530; n < 65_536 + 10; n++) if (n % 4 !== 0) received(state, n & 0xffff);
  received(state, 65_533); // a duplicate or late packet does not move the highest
  assert.equal(state.highestSequence, 65_536 + 9);
  const sr = new RtcpSrPacket({
    ssrc: 5,
    senderInfo: new RtcpSenderInfo({
      ntpTimestamp: 0x0001_2345_6789_0000n,
      rtpTimestamp: 0,
      packetCount: 0,
      octetCount: 0,
    }),
  }).serialize();
  senderReportReceived(state, sr, 1_000);
  const [rr, rembPart] = RtcpPacketConverter.deSerialize(receiverReport(state, 1, 5, 2_000_000, 1_500)) as [
    RtcpRrPacket,
    RtcpPayloadSpecificFeedback,
  ];
  const report = rr.reports[0]!;
  const expected = 65_536 + 9 - 65_530 + 1; // 16 packets
  const got = [...Array(16).keys()].map((i) => 65_530 + i).filter((n) => n % 4 !== 0).length + 1;
  assert.equal(report.ssrc, 5);
  assert.equal(report.highestSequence, 65_536 + 9);
  assert.equal(report.packetsLost, Math.max(0, expected - got));
  assert.equal(report.lsr, 0x2345_6789);
  assert.equal(report.dlsr, 32_768, "half a second in 1/65536 s");
  assert.ok(rembPart.feedback instanceof ReceiverEstimatedMaxBitrate);
  // The next report's fraction lost counts only what came since this one.
  for (let n = 10; n < 20; n++) received(state, n);
  const [next] = RtcpPacketConverter.deSerialize(receiverReport(state, 1, 5, 2_000_000, 2_000)) as [RtcpRrPacket];
  assert.equal(next.reports[0]!.fractionLost, 0);
  for (let n = 20; n < 40; n += 2) received(state, n);
  const [lossy] = RtcpPacketConverter.deSerialize(receiverReport(state, 1, 5, 2_000_000, 2_500)) as [RtcpRrPacket];
  assert.equal(lossy.reports[0]!.fractionLost, Math.floor((9 * 256) / 19), "9 of 19 lost since the last report");
});

test("REMB encodes the bitrate in an 18-bit mantissa and an exponent (draft-alvestrand-rmcat-remb §2.2)", () => {
  for (const bitrate of [0, 150_000, 262_143, 262_144, 2_500_000, 50_000_000]) {
    const [parsed] = RtcpPacketConverter.deSerialize(remb(1, 2, bitrate)) as RtcpPayloadSpecificFeedback[];
    const feedback = parsed!.feedback as ReceiverEstimatedMaxBitrate;
    assert.ok(feedback instanceof ReceiverEstimatedMaxBitrate);
    assert.deepEqual(feedback.ssrcFeedbacks, [2]);
    const value = Number(feedback.bitrate);
    assert.ok(value <= bitrate && value >= bitrate * 0.99999, `${bitrate} → ${value}`);
  }
});
