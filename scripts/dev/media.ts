/**
 * Demo media made in code, so the local stack has real files without shipping binaries: WAV audio
 * (16-bit PCM melodies) and PNG images (gradients), both playable/viewable in any browser.
 */
import { deflateSync } from "node:zlib";

/** A mono 16-bit 22.05 kHz WAV playing `notes` (Hz), each `noteSeconds` long, with a soft envelope. */
export function melodyWav(notes: number[], noteSeconds = 0.4): Uint8Array {
  const rate = 22_050;
  const perNote = Math.round(rate * noteSeconds);
  const samples = new Int16Array(perNote * notes.length);
  notes.forEach((frequency, n) => {
    for (let i = 0; i < perNote; i++) {
      const envelope = Math.min(1, i / 400, (perNote - i) / 800);
      samples[n * perNote + i] = Math.round(Math.sin((2 * Math.PI * frequency * i) / rate) * 12_000 * envelope);
    }
  });
  const data = new Uint8Array(samples.buffer);
  const wav = new Uint8Array(44 + data.length);
  const view = new DataView(wav.buffer);
  const ascii = (offset: number, text: string) => [...text].forEach((c, i) => (wav[offset + i] = c.charCodeAt(0)));
  ascii(0, "RIFF");
  view.setUint32(4, 36 + data.length, true);
  ascii(8, "WAVEfmt ");
  view.setUint32(16, 16, true); // fmt chunk size
  view.setUint16(20, 1, true); // PCM
  view.setUint16(22, 1, true); // mono
  view.setUint32(24, rate, true);
  view.setUint32(28, rate * 2, true); // byte rate
  view.setUint16(32, 2, true); // block align
  view.setUint16(34, 16, true); // bits per sample
  ascii(36, "data");
  view.setUint32(40, data.length, true);
  wav.set(data, 44);
  return wav;
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes: Uint8Array): number {
  let crc = 0xffffffff;
  for (const byte of bytes) crc = CRC_TABLE[(crc ^ byte) & 0xff] ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + data.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, data.length);
  out.set(new TextEncoder().encode(type), 4);
  out.set(data, 8);
  view.setUint32(8 + data.length, crc32(out.subarray(4, 8 + data.length)));
  return out;
}

/** A `size`×`size` RGB PNG with a diagonal gradient between two colours. */
export function gradientPng(size: number, from: [number, number, number], to: [number, number, number]): Uint8Array {
  const rows = new Uint8Array(size * (1 + size * 3));
  for (let y = 0; y < size; y++) {
    rows[y * (1 + size * 3)] = 0; // filter: none
    for (let x = 0; x < size; x++) {
      const t = (x + y) / (2 * (size - 1));
      for (let c = 0; c < 3; c++)
        rows[y * (1 + size * 3) + 1 + x * 3 + c] = Math.round(from[c] + (to[c] - from[c]) * t);
    }
  }
  const header = new Uint8Array(13);
  const view = new DataView(header.buffer);
  view.setUint32(0, size);
  view.setUint32(4, size);
  header.set([8, 2, 0, 0, 0], 8); // 8-bit RGB
  const parts = [
    Uint8Array.of(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a),
    chunk("IHDR", header),
    chunk("IDAT", deflateSync(rows)),
    chunk("IEND", new Uint8Array()),
  ];
  const png = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const part of parts) {
    png.set(part, offset);
    offset += part.length;
  }
  return png;
}
