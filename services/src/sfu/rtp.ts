/**
 * The RTP and RTCP byte work of the SFU (RFC 3550, RFC 4585, RFC 7741, draft-alvestrand-rmcat-remb):
 * what a forwarder needs to read and write without decoding media. Pure functions on Buffers, so the
 * forwarder stays a loop of copies and sends.
 */

/** Whether a packet on a muxed RTP/RTCP port is RTCP (RFC 5761: second byte 192–223). */
export const isRtcp = (packet: Uint8Array) => packet.length >= 8 && packet[1]! >= 192 && packet[1]! <= 223;

/** The RTP header's fields the forwarder reads (RFC 3550 §5.1). */
export interface RtpView {
  payloadType: number;
  marker: boolean;
  sequenceNumber: number;
  timestamp: number;
  ssrc: number;
  /** Where the payload starts (after CSRCs and the header extension). */
  payloadOffset: number;
  /** Where the header extension starts, or -1. */
  extensionOffset: number;
}

/** Reads an RTP header; undefined for anything that is not RTP version 2 or is cut short. */
export function readRtp(packet: Uint8Array): RtpView | undefined {
  if (packet.length < 12 || packet[0]! >> 6 !== 2) return undefined;
  const csrcCount = packet[0]! & 0x0f;
  let offset = 12 + csrcCount * 4;
  let extensionOffset = -1;
  if (packet[0]! & 0x10) {
    if (packet.length < offset + 4) return undefined;
    extensionOffset = offset;
    offset += 4 + ((packet[offset + 2]! << 8) | packet[offset + 3]!) * 4;
  }
  if (offset > packet.length) return undefined;
  const view = new DataView(packet.buffer, packet.byteOffset, packet.byteLength);
  return {
    payloadType: packet[1]! & 0x7f,
    marker: (packet[1]! & 0x80) !== 0,
    sequenceNumber: view.getUint16(2),
    timestamp: view.getUint32(4),
    ssrc: view.getUint32(8),
    payloadOffset: offset,
    extensionOffset,
  };
}

/**
 * A copy of `packet` for the viewers: its header extension dropped (the extension ids were negotiated
 * with the publisher, not with the viewer), the given SSRC and payload type, everything else kept.
 */
export function forwardedCopy(packet: Uint8Array, rtp: RtpView, ssrc: number, payloadType: number): Buffer {
  const headerEnd = rtp.extensionOffset >= 0 ? rtp.extensionOffset : rtp.payloadOffset;
  const copy = Buffer.allocUnsafe(headerEnd + packet.length - rtp.payloadOffset);
  copy.set(packet.subarray(0, headerEnd), 0);
  copy.set(packet.subarray(rtp.payloadOffset), headerEnd);
  copy[0] = copy[0]! & ~0x10;
  copy[1] = (copy[1]! & 0x80) | payloadType;
  copy.writeUInt32BE(ssrc >>> 0, 8);
  return copy;
}

/** Whether an RTP payload starts a VP8 keyframe (RFC 7741: start of partition 0, P bit clear). */
export function isVp8KeyframeStart(payload: Uint8Array): boolean {
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

/** One packet of a compound RTCP packet. */
export interface RtcpPart {
  /** Packet type: 200 SR, 201 RR, 205 transport feedback, 206 payload-specific feedback. */
  type: number;
  /** The count field: report count, or the feedback message type (FMT). */
  count: number;
  /** The packet's bytes (header included). */
  bytes: Uint8Array;
}

/** Splits a compound RTCP packet; stops at the first malformed part. */
export function rtcpParts(packet: Uint8Array): RtcpPart[] {
  const parts: RtcpPart[] = [];
  let offset = 0;
  while (offset + 4 <= packet.length && packet[offset]! >> 6 === 2) {
    const length = (((packet[offset + 2]! << 8) | packet[offset + 3]!) + 1) * 4;
    if (offset + length > packet.length) break;
    parts.push({
      type: packet[offset + 1]!,
      count: packet[offset]! & 0x1f,
      bytes: packet.subarray(offset, offset + length),
    });
    offset += length;
  }
  return parts;
}

/** Whether an RTCP packet from a viewer asks for a keyframe: PLI (RFC 4585) or FIR (RFC 5104). */
export const asksKeyframe = (packet: Uint8Array) =>
  rtcpParts(packet).some((part) => part.type === 206 && (part.count === 1 || part.count === 4));

/** A Picture Loss Indication (RFC 4585 §6.3.1) for the publisher's `mediaSsrc`. */
export function pli(senderSsrc: number, mediaSsrc: number): Buffer {
  const packet = Buffer.alloc(12);
  packet[0] = 0x81; // V=2, FMT=1
  packet[1] = 206;
  packet.writeUInt16BE(2, 2);
  packet.writeUInt32BE(senderSsrc >>> 0, 4);
  packet.writeUInt32BE(mediaSsrc >>> 0, 8);
  return packet;
}

/**
 * A publisher's sender report, re-addressed for a viewer: the SR alone (report blocks and the rest of
 * the compound dropped) with the viewer's SSRC. Its NTP ↔ RTP timestamp pair stays true because the
 * forwarder keeps the publisher's timestamps; the viewer's browser needs it to sync audio and video.
 */
export function senderReportFor(sr: Uint8Array, ssrc: number): Buffer {
  const packet = Buffer.from(sr.subarray(0, 28));
  packet[0] = 0x80; // V=2, no padding, no report blocks
  packet.writeUInt16BE(6, 2);
  packet.writeUInt32BE(ssrc >>> 0, 4);
  return packet;
}

/**
 * What a receiver tracks to write its reception report (RFC 3550 §6.4.1 and appendix A.3): the
 * highest sequence number seen with its wrap count, packets received, and the SR to echo.
 */
export interface ReceptionState {
  baseSequence: number;
  /** Highest sequence number seen, extended with the number of wraps (×65536). */
  highestSequence: number;
  received: number;
  /** Expected and received at the previous report, for the fraction lost since then. */
  expectedPrior: number;
  receivedPrior: number;
  /** The middle 32 bits of the last SR's NTP timestamp, and when it came (ms). */
  lastSr: number;
  lastSrAt: number;
}

export const newReception = (sequenceNumber: number): ReceptionState => ({
  baseSequence: sequenceNumber,
  highestSequence: sequenceNumber,
  received: 0,
  expectedPrior: 0,
  receivedPrior: 0,
  lastSr: 0,
  lastSrAt: 0,
});

/** Counts one received RTP packet (a reordered or repeated one does not move the highest). */
export function received(state: ReceptionState, sequenceNumber: number) {
  state.received++;
  const highest = state.highestSequence & 0xffff;
  const delta = (sequenceNumber - highest) & 0xffff;
  if (delta !== 0 && delta < 0x8000) {
    const wraps = state.highestSequence - highest + (sequenceNumber < highest ? 0x1_0000 : 0);
    state.highestSequence = wraps + sequenceNumber;
  }
}

/**
 * A receiver report about the publisher's `mediaSsrc` followed by a REMB asking for `bitrate` bits/s:
 * without reports and an estimate, a browser's encoder stays at its start bitrate (~300 kbit/s).
 */
export function receiverReport(
  state: ReceptionState,
  senderSsrc: number,
  mediaSsrc: number,
  bitrate: number,
  now: number,
): Buffer {
  const expected = state.highestSequence - state.baseSequence + 1;
  const lost = Math.max(0, expected - state.received);
  const expectedInterval = expected - state.expectedPrior;
  const lostInterval = expectedInterval - (state.received - state.receivedPrior);
  state.expectedPrior = expected;
  state.receivedPrior = state.received;
  const fraction = expectedInterval <= 0 || lostInterval <= 0 ? 0 : Math.floor((lostInterval << 8) / expectedInterval);
  const rr = Buffer.alloc(32);
  rr[0] = 0x81; // one report block
  rr[1] = 201;
  rr.writeUInt16BE(7, 2);
  rr.writeUInt32BE(senderSsrc >>> 0, 4);
  rr.writeUInt32BE(mediaSsrc >>> 0, 8);
  rr.writeUInt32BE(((Math.min(fraction, 255) << 24) | Math.min(lost, 0x7f_ffff)) >>> 0, 12);
  rr.writeUInt32BE(state.highestSequence >>> 0, 16);
  rr.writeUInt32BE(0, 20); // jitter: not measured
  rr.writeUInt32BE(state.lastSr >>> 0, 24);
  const delay = state.lastSrAt === 0 ? 0 : Math.round(((now - state.lastSrAt) / 1_000) * 65_536);
  rr.writeUInt32BE(Math.min(delay, 0xffff_ffff) >>> 0, 28);
  return Buffer.concat([rr, remb(senderSsrc, mediaSsrc, bitrate)]);
}

/** A Receiver Estimated Maximum Bitrate message (draft-alvestrand-rmcat-remb-03 §2.2). */
export function remb(senderSsrc: number, mediaSsrc: number, bitrate: number): Buffer {
  let exponent = 0;
  let mantissa = Math.max(0, Math.floor(bitrate));
  while (mantissa > 0x3_ffff) {
    mantissa = Math.floor(mantissa / 2);
    exponent++;
  }
  const packet = Buffer.alloc(24);
  packet[0] = 0x8f; // V=2, FMT=15
  packet[1] = 206;
  packet.writeUInt16BE(5, 2);
  packet.writeUInt32BE(senderSsrc >>> 0, 4);
  packet.writeUInt32BE(0, 8); // media source: unused
  packet.write("REMB", 12, "ascii");
  packet[16] = 1; // one SSRC
  packet[17] = (exponent << 2) | (mantissa >> 16);
  packet.writeUInt16BE(mantissa & 0xffff, 18);
  packet.writeUInt32BE(mediaSsrc >>> 0, 20);
  return packet;
}

/** Notes a publisher's SR for the next receiver report's LSR/DLSR fields. */
export function senderReportReceived(state: ReceptionState, sr: Uint8Array, now: number) {
  if (sr.length < 20) return;
  const view = new DataView(sr.buffer, sr.byteOffset, sr.byteLength);
  state.lastSr = ((view.getUint32(8) & 0xffff) << 16) | (view.getUint32(12) >>> 16);
  state.lastSrAt = now;
}

/** The sequence numbers a Generic NACK (RFC 4585 §6.2.1: RTPFB, FMT 1) asks again for; [] for other packets. */
export function nackedSequences(packet: Uint8Array): number[] {
  const sequences: number[] = [];
  for (const part of rtcpParts(packet)) {
    if (part.type !== 205 || part.count !== 1) continue;
    for (let offset = 12; offset + 4 <= part.bytes.length; offset += 4) {
      const pid = (part.bytes[offset]! << 8) | part.bytes[offset + 1]!;
      const blp = (part.bytes[offset + 2]! << 8) | part.bytes[offset + 3]!;
      sequences.push(pid);
      for (let bit = 0; bit < 16; bit++) if (blp & (1 << bit)) sequences.push((pid + bit + 1) & 0xffff);
    }
  }
  return sequences;
}
