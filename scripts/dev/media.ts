/**
 * Demo media made in code, so the local stack has real files without shipping binaries or
 * downloading any: WAV audio (16-bit PCM melodies and minutes-long songs) and PNG images (gradients
 * and covers drawn from a seed), both playable/viewable in any browser. Same seed, same bytes.
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
  return wavOf(samples, rate);
}

/** 16-bit mono PCM samples as a WAV file. */
function wavOf(samples: Int16Array, rate: number): Uint8Array {
  const data = new Uint8Array(samples.buffer, samples.byteOffset, samples.byteLength);
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

type Rgb = [number, number, number];

/** A `size`×`size` RGB PNG with a diagonal gradient between two colours. */
export function gradientPng(size: number, from: Rgb, to: Rgb): Uint8Array {
  return pngOf(size, (x, y) => {
    const t = (x + y) / 2;
    return [0, 1, 2].map((c) => from[c]! + (to[c]! - from[c]!) * t) as Rgb;
  });
}

/** A PNG whose pixel colours come from `paint(x, y)` over [0, 1)², 2×2 supersampled (smooth edges). */
function pngOf(size: number, paint: (x: number, y: number) => Rgb): Uint8Array {
  const rows = new Uint8Array(size * (1 + size * 3));
  for (let y = 0; y < size; y++) {
    rows[y * (1 + size * 3)] = 0; // filter: none
    for (let x = 0; x < size; x++) {
      const sum = [0, 0, 0];
      for (const [dx, dy] of [
        [0.25, 0.25],
        [0.75, 0.25],
        [0.25, 0.75],
        [0.75, 0.75],
      ] as const) {
        const rgb = paint((x + dx) / size, (y + dy) / size);
        for (let c = 0; c < 3; c++) sum[c]! += rgb[c]!;
      }
      for (let c = 0; c < 3; c++)
        rows[y * (1 + size * 3) + 1 + x * 3 + c] = Math.max(0, Math.min(255, Math.round(sum[c]! / 4)));
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

/** A small deterministic PRNG (mulberry32) seeded from a string (FNV-1a). */
function randomFrom(seed: string): () => number {
  let h = 0x811c9dc5;
  for (const char of seed) h = Math.imul(h ^ char.charCodeAt(0), 0x01000193) >>> 0;
  return () => {
    h = (h + 0x6d2b79f5) >>> 0;
    let t = h;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

function hsl(h: number, s: number, l: number): Rgb {
  const k = (n: number) => (n + h / 30) % 12;
  const a = s * Math.min(l, 1 - l);
  return [0, 8, 4].map((n) => 255 * (l - a * Math.max(-1, Math.min(k(n) - 3, 9 - k(n), 1)))) as Rgb;
}

const mix = (a: Rgb, b: Rgb, t: number): Rgb => [0, 1, 2].map((c) => a[c]! + (b[c]! - a[c]!) * t) as Rgb;

/**
 * A square album cover drawn from `seed` (a track's ISRC and title): two hues and one of four motifs
 * — a striped sun over a grid, waves, rings, a mountain line (or the `motif` given) — so every demo
 * track looks its own.
 */
export function coverPng(seed: string, options: { size?: number; motif?: 0 | 1 | 2 | 3 } = {}): Uint8Array {
  const size = options.size ?? 256;
  const random = randomFrom(seed);
  const hue = random() * 360;
  const hue2 = (hue + 40 + random() * 140) % 360;
  const drawn = Math.floor(random() * 4);
  const motif = options.motif ?? drawn;
  const top = hsl(hue, 0.55, 0.16);
  const bottom = hsl(hue2, 0.65, 0.42);
  const accent = hsl((hue2 + 50) % 360, 0.9, 0.66);
  const light = hsl((hue + 180) % 360, 0.8, 0.8);
  const [cx, cy] = [0.3 + random() * 0.4, 0.35 + random() * 0.2];
  const radius = 0.18 + random() * 0.12;
  const frequency = 2 + Math.floor(random() * 4);
  const phase = random() * Math.PI * 2;
  return pngOf(size, (x, y) => {
    let color = mix(top, bottom, y);
    if (motif === 0) {
      // A sun cut by stripes, over a receding grid.
      const d = Math.hypot(x - cx, y - cy);
      const stripe = y > cy && Math.sin((y - cy) * 90) > 0.6 - (y - cy) * 3;
      if (d < radius && !stripe) color = mix(accent, light, Math.max(0, (cy - y) / radius));
      if (y > 0.68) {
        const depth = (y - 0.68) / 0.32;
        // Rays to the vanishing point, and cross lines closer together towards the horizon.
        const line =
          (depth > 0.08 && Math.abs(((x - 0.5) / (depth + 0.05)) % 0.25) < 0.012) ||
          (depth > 0.04 && (Math.sqrt(depth) * 7) % 1 < 0.08 * Math.sqrt(depth) + 0.02);
        color = mix(mix(top, bottom, 0.4), accent, line ? 0.9 : 0.08);
      }
    } else if (motif === 1) {
      // Waves.
      const band = Math.sin((y + 0.06 * Math.sin(x * Math.PI * frequency + phase)) * Math.PI * 14);
      if (band > 0.55) color = mix(color, accent, 0.35 + 0.4 * y);
    } else if (motif === 2) {
      // Rings around a point.
      const d = Math.hypot(x - cx, y - cy);
      const ring = Math.sin(d * Math.PI * 22 - phase);
      if (ring > 0.7) color = mix(color, light, 0.55 * Math.max(0, 1 - d * 1.2));
      if (d < radius * 0.35) color = accent;
    } else {
      // A mountain line under a moon.
      const ridge = 0.62 + 0.1 * Math.sin(x * Math.PI * frequency + phase) + 0.05 * Math.sin(x * 17 + phase * 2);
      if (Math.hypot(x - cx, y - cy * 0.7) < radius * 0.6) color = light;
      if (y > ridge) color = mix(hsl(hue2, 0.5, 0.12), hsl(hue2, 0.6, 0.28), (y - ridge) * 2);
    }
    return color;
  });
}

const MAJOR = [0, 2, 4, 5, 7, 9, 11];

/**
 * A song of `seconds` (a few minutes) drawn from `seed`: a four-chord progression in a major key at
 * 84–124 BPM, bass on the root, an arpeggio and a melody from the scale, each note with an envelope.
 * Mono 16-bit WAV at `rate` Hz: about 2.6 MB a minute at 22.05 kHz.
 */
export function songWav(seed: string, seconds: number, rate = 22_050): Uint8Array {
  const random = randomFrom(seed);
  const root = 45 + Math.floor(random() * 12); // A2 … G#3 (MIDI)
  const bpm = 84 + Math.floor(random() * 40);
  const beat = 60 / bpm;
  const progression = [0, 5, 3, 4].map((degree) => (degree + Math.floor(random() * 2) * 2) % 7);
  const melody = Array.from({ length: 16 }, () => Math.floor(random() * 8));
  const hz = (midi: number) => 440 * 2 ** ((midi - 69) / 12);
  const note = (degree: number, octave: number) =>
    root + 12 * octave + MAJOR[degree % 7]! + 12 * Math.floor(degree / 7);
  const samples = new Int16Array(Math.round(seconds * rate));
  const add = (start: number, length: number, frequency: number, gain: number) => {
    const from = Math.round(start * rate);
    const count = Math.min(Math.round(length * rate), samples.length - from);
    for (let i = 0; i < count; i++) {
      const t = i / rate;
      const envelope = Math.min(1, i / 200) * Math.exp((-3 * t) / length);
      const wave = Math.sin(2 * Math.PI * frequency * t) + 0.3 * Math.sin(4 * Math.PI * frequency * t);
      samples[from + i] = Math.max(-32_000, Math.min(32_000, samples[from + i]! + wave * gain * envelope));
    }
  };
  const fadeOut = Math.max(0, seconds - 4);
  for (let bar = 0, time = 0; time < seconds; bar++, time += 4 * beat) {
    const chord = progression[bar % 4]!;
    const level = Math.min(1, time / 4, (seconds - time) / 4 + 0.25) * (time > fadeOut ? 0.6 : 1);
    add(time, 4 * beat, hz(note(chord, 0) - 12), 3_500 * level); // bass
    for (let step = 0; step < 8; step++)
      // arpeggio in eighths
      add(time + (step * beat) / 2, beat, hz(note(chord + [0, 2, 4, 7][step % 4]!, 1)), 1_600 * level);
    if (bar % 8 >= 2)
      // the melody enters after two bars, rests every eighth bar
      for (let step = 0; step < 4 && bar % 8 !== 7; step++)
        add(time + step * beat, beat * 0.9, hz(note(chord + melody[(bar * 4 + step) % 16]!, 2)), 2_400 * level);
  }
  return wavOf(samples, rate);
}
