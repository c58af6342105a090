// A fast path for the ABI values events carry most: top-level address, bool, (u)intN, bytesN,
// string and bytes. It decodes what viem's `decodeAbiParameters` decodes, to the values
// `writeEthValue` writes (addresses and bytes as Uint8Array, skipping viem's checksummed hex),
// and returns null for anything else or anything viem might reject (bad hex, short data,
// out-of-range offsets, a non-0/1 bool), so that the caller lets viem decode it or throw.
import type { AbiParameter } from "viem";

const utf8 = new TextDecoder();
const STATIC = /^(address|bool|u?int\d*|bytes([1-9]|[12]\d|3[0-2]))$/;

/** Whether every parameter is one `decodeFast` handles. */
export function fastDecodable(params: readonly AbiParameter[]): boolean {
  return params.every((p) => STATIC.test(p.type) || p.type === "string" || p.type === "bytes");
}

// The decoder reads the hex text directly (two digits a byte), not a Buffer of it: no copy of the
// data, no views, one allocation per value.
const HEX = /^0[xX](?:[0-9a-fA-F]{2})*$/;
/** Hex digit values by character code (all digits valid: the text passed `HEX`). */
const NIBBLE = new Uint8Array(128);
for (let i = 0; i < 16; i++) {
  NIBBLE["0123456789abcdef".charCodeAt(i)] = i;
  NIBBLE["0123456789ABCDEF".charCodeAt(i)] = i;
}

/** The 32-byte word at byte `at` as a safe integer, or -1 when it is larger. */
function smallWord(hex: string, at: number): number {
  const start = 2 + 2 * at;
  // 2^53 needs 7 bytes: the first 25 bytes (50 digits) must be zero.
  for (let c = start; c < start + 50; c++) if (hex.charCodeAt(c) !== 48) return -1;
  let n = 0;
  for (let c = start + 50; c < start + 64; c++) n = n * 16 + NIBBLE[hex.charCodeAt(c)];
  return n <= Number.MAX_SAFE_INTEGER ? n : -1;
}

/** `n` bytes of the data from byte `at`, as a new Uint8Array. */
function bytesAt(hex: string, at: number, n: number): Uint8Array {
  const out = new Uint8Array(n);
  for (let i = 0, c = 2 + 2 * at; i < n; i++, c += 2)
    out[i] = (NIBBLE[hex.charCodeAt(c)] << 4) | NIBBLE[hex.charCodeAt(c + 1)];
  return out;
}

/** The unsigned 256-bit word at byte `at`. */
function uintAt(hex: string, at: number): bigint {
  const n = smallWord(hex, at);
  return n >= 0 ? BigInt(n) : BigInt("0x" + hex.slice(2 + 2 * at, 2 + 2 * at + 64));
}

/** `params` decoded from `hex` (0x-prefixed), or null to let viem decode it. */
export function decodeFast(params: readonly AbiParameter[], hex: string): unknown[] | null {
  if (!HEX.test(hex)) return null;
  const size = (hex.length - 2) / 2;
  if (size < 32 * params.length) return null;
  const out: unknown[] = new Array(params.length);
  let budget = size * 32;
  for (let i = 0; i < params.length; i++) {
    const t = params[i].type;
    const at = 32 * i;
    if (t === "address") out[i] = bytesAt(hex, at + 12, 20);
    else if (t === "bool") {
      const n = smallWord(hex, at);
      if (n !== 0 && n !== 1) return null;
      out[i] = n === 1;
    } else if (t.startsWith("uint")) out[i] = uintAt(hex, at);
    else if (t.startsWith("int")) out[i] = BigInt.asIntN(256, uintAt(hex, at));
    else if (t === "string" || t === "bytes") {
      const offset = smallWord(hex, at);
      if (offset < 0 || offset + 32 > size) return null;
      const length = smallWord(hex, offset);
      if (length < 0 || offset + 32 + length > size) return null;
      budget -= length;
      if (budget < 0) return null;
      const data = bytesAt(hex, offset + 32, length);
      out[i] = t === "string" ? (length === 0 ? "" : utf8.decode(data)) : data;
    } else if (t.startsWith("bytes")) out[i] = bytesAt(hex, at, Number(t.slice(5)));
    else return null;
  }
  return out;
}
