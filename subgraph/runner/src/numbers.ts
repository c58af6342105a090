// BigInt and BigDecimal as graph-node represents them.
// BigInt crosses the wasm boundary as signed little-endian two's complement bytes.
// BigDecimal is kept as { digits, exp } (value = digits * 10^exp), normalised without
// trailing zeros and rounded to 34 significant digits like graph-node.

export function bigIntFromSignedLE(bytes: Uint8Array): bigint {
  return bigIntFromSignedLEAt(bytes, 0, bytes.length);
}

/** `bigIntFromSignedLE` of the `len` bytes of `buf` from `at` (no view of them needed). */
export function bigIntFromSignedLEAt(buf: Uint8Array, at: number, len: number): bigint {
  if (len === 0) return 0n;
  // Up to 6 bytes: exact as a double.
  if (len <= 6) {
    let n = 0;
    for (let i = len - 1; i >= 0; i--) n = n * 256 + buf[at + i];
    if (buf[at + len - 1] & 0x80) n -= 2 ** (len * 8);
    return BigInt(n);
  }
  // Whole 32-bit words from the top down, then the remaining low bytes.
  let n = 0n;
  let i = len;
  while (i >= 4) {
    i -= 4;
    const j = at + i;
    const word = (buf[j + 3] * 0x1000000 + ((buf[j + 2] << 16) | (buf[j + 1] << 8) | buf[j])) >>> 0;
    n = (n << 32n) | BigInt(word);
  }
  while (i > 0) n = (n << 8n) | BigInt(buf[at + --i]);
  if (buf[at + len - 1] & 0x80) n -= 1n << BigInt(len * 8);
  return n;
}

export function bigIntToSignedLE(n: bigint): Uint8Array {
  const len = signedLEInto(n);
  return leScratch.slice(0, len);
}

/**
 * Writes `n` as signed little-endian bytes (the fewest that keep its sign) into `leScratch`, and
 * returns their count: `bigIntToSignedLE` without its allocations.
 */
export function signedLEInto(n: bigint): number {
  // Safe integers: bytes from the number.
  if (n >= -0x20000000000000n && n < 0x20000000000000n) {
    let w = Number(n);
    let len = 0;
    for (;;) {
      const byte = w & 0xff;
      leScratch[len++] = byte;
      w = Math.floor(w / 256);
      if ((w === 0 && (byte & 0x80) === 0) || (w === -1 && (byte & 0x80) !== 0)) return len;
    }
  }
  // Larger: the magnitude's hex digits (of ~n for a negative n, whose bytes are those inverted),
  // then a sign byte when the top byte's high bit says otherwise.
  const neg = n < 0n;
  const hex = (neg ? ~n : n).toString(16);
  const digits = hex.length;
  const len = (digits + 1) >>> 1;
  if (len + 1 > leScratch.length) leScratch = new Uint8Array(2 * (len + 1));
  const flip = neg ? 0xff : 0;
  for (let i = 0, end = digits; i < len; i++, end -= 2) {
    const lo = HEX_NIBBLE[hex.charCodeAt(end - 1)];
    const hi = end >= 2 ? HEX_NIBBLE[hex.charCodeAt(end - 2)] : 0;
    leScratch[i] = ((hi << 4) | lo) ^ flip;
  }
  if ((leScratch[len - 1] & 0x80) !== (neg ? 0x80 : 0)) {
    leScratch[len] = flip;
    return len + 1;
  }
  return len;
}
/** Values of lower-case hex digits by character code (what `bigint.toString(16)` writes). */
const HEX_NIBBLE = new Uint8Array(128);
for (let i = 0; i < 16; i++) HEX_NIBBLE["0123456789abcdef".charCodeAt(i)] = i;
/** The bytes `signedLEInto` wrote (valid until its next call). */
export let leScratch = new Uint8Array(64);

/** A JSON-RPC quantity (0x-hex) as signed little-endian bytes, cached per string. */
const quantityCache = new Map<string, Uint8Array>();
export function signedLEOfRpcQuantity(hex: string): Uint8Array {
  let b = quantityCache.get(hex);
  if (!b) {
    b = bigIntToSignedLE(BigInt(hex));
    if (quantityCache.size > 50_000) quantityCache.clear();
    quantityCache.set(hex, b);
  }
  return b;
}

export function bigIntFromUnsignedBE(bytes: Uint8Array): bigint {
  let n = 0n;
  for (const b of bytes) n = (n << 8n) | BigInt(b);
  return n;
}

export interface Decimal {
  digits: bigint;
  exp: number;
}

const PRECISION = 34;

export function normalizeDecimal(d: Decimal): Decimal {
  let { digits, exp } = d;
  if (digits === 0n) return { digits: 0n, exp: 0 };
  // Round to PRECISION significant digits (half-even like bigdecimal's with_prec is half-even).
  let text = (digits < 0n ? -digits : digits).toString();
  if (text.length > PRECISION) {
    const drop = BigInt(text.length - PRECISION);
    const div = 10n ** drop;
    let q = digits / div;
    const r = digits % div;
    const twice = (r < 0n ? -r : r) * 2n;
    if (twice > div || (twice === div && (q & 1n) === 1n)) q += digits < 0n ? -1n : 1n;
    digits = q;
    exp += Number(drop);
    text = (q < 0n ? -q : q).toString();
  }
  // Trailing zeros counted in the decimal text: one division instead of one per zero.
  let end = text.length;
  while (end > 1 && text.charCodeAt(end - 1) === 48) end--;
  if (end < text.length) {
    digits /= 10n ** BigInt(text.length - end);
    exp += text.length - end;
  }
  return { digits, exp };
}

export function parseDecimal(s: string): Decimal {
  const m = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/.exec(s.trim());
  if (!m || (m[2] === "" && (m[3] ?? "") === "")) throw new Error(`invalid BigDecimal: '${s}'`);
  const frac = m[3] ?? "";
  let digits = BigInt((m[2] || "0") + frac);
  if (m[1] === "-") digits = -digits;
  return normalizeDecimal({ digits, exp: Number(m[4] ?? 0) - frac.length });
}

export function decimalToString(d: Decimal): string {
  const { digits, exp } = normalizeDecimal(d);
  const neg = digits < 0n;
  const abs = (neg ? -digits : digits).toString();
  let s: string;
  if (exp >= 0) s = abs + "0".repeat(exp);
  else if (-exp >= abs.length) s = "0." + "0".repeat(-exp - abs.length) + abs;
  else s = abs.slice(0, abs.length + exp) + "." + abs.slice(abs.length + exp);
  return (neg ? "-" : "") + s;
}

function align(a: Decimal, b: Decimal): [bigint, bigint, number] {
  const exp = Math.min(a.exp, b.exp);
  return [a.digits * 10n ** BigInt(a.exp - exp), b.digits * 10n ** BigInt(b.exp - exp), exp];
}

export const decimal = {
  plus(a: Decimal, b: Decimal): Decimal {
    const [x, y, exp] = align(a, b);
    return normalizeDecimal({ digits: x + y, exp });
  },
  minus(a: Decimal, b: Decimal): Decimal {
    const [x, y, exp] = align(a, b);
    return normalizeDecimal({ digits: x - y, exp });
  },
  times(a: Decimal, b: Decimal): Decimal {
    return normalizeDecimal({ digits: a.digits * b.digits, exp: a.exp + b.exp });
  },
  dividedBy(a: Decimal, b: Decimal): Decimal {
    if (b.digits === 0n) throw new Error("Division by zero");
    // Scale the dividend so the quotient carries more than PRECISION digits, then round.
    const scale = PRECISION + 2 + Math.max(0, b.digits.toString().length - a.digits.toString().length);
    const q = (a.digits * 10n ** BigInt(scale)) / b.digits;
    return normalizeDecimal({ digits: q, exp: a.exp - b.exp - scale });
  },
  equals(a: Decimal, b: Decimal): boolean {
    const x = normalizeDecimal(a);
    const y = normalizeDecimal(b);
    return x.digits === y.digits && x.exp === y.exp;
  },
  fromBigInt(n: bigint): Decimal {
    return normalizeDecimal({ digits: n, exp: 0 });
  },
};

export function hexOf(bytes: Uint8Array): string {
  return "0x" + hexDigits(bytes);
}

/** The bytes' hex digits (no "0x"), read in place (no copy into a Buffer first). */
export function hexDigits(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("hex");
}

/**
 * A copy of `bytes` that does not own an ArrayBuffer: small copies are carved out of a shared slab
 * (like Node's Buffer pool), so that an entity's Bytes values do not each cost an ArrayBuffer and
 * its backing store (V8 tracks those one by one, which the GC pays for). Nothing may write to the
 * copy or rely on its `buffer`.
 */
export function copyBytes(bytes: Uint8Array): Uint8Array {
  return copyBytesAt(bytes, 0, bytes.length);
}

/** `copyBytes` of the `n` bytes of `buf` from `at`. */
export function copyBytesAt(buf: Uint8Array, at: number, n: number): Uint8Array {
  if (n > SLAB_MAX) return buf.slice(at, at + n);
  if (slabUsed + n > slab.length) {
    slab = new Uint8Array(SLAB_BYTES);
    slabUsed = 0;
  }
  const out = slab.subarray(slabUsed, slabUsed + n);
  if (n <= 64) for (let i = 0; i < n; i++) slab[slabUsed + i] = buf[at + i];
  else out.set(buf.subarray(at, at + n));
  // 8-byte steps: copies stay aligned (cheaper to copy from and into).
  slabUsed += (n + 7) & ~7;
  return out;
}
const SLAB_BYTES = 16 * 1024;
const SLAB_MAX = 512;
let slab = new Uint8Array(SLAB_BYTES);
let slabUsed = 0;

export function bytesOfHex(hex: string): Uint8Array {
  const h = hex.startsWith("0x") || hex.startsWith("0X") ? hex.slice(2) : hex;
  if (h.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(h)) throw new Error(`invalid hex string: '${hex}'`);
  return Uint8Array.from(Buffer.from(h, "hex"));
}
