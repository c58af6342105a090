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

/** The 32-byte word at `at` as a safe integer, or -1 when it is larger. */
function smallWord(b: Uint8Array, at: number): number {
  for (let i = at; i < at + 24; i++) if (b[i] !== 0) return -1;
  const n = (b[at + 24] * 2 ** 24 + ((b[at + 25] << 16) | (b[at + 26] << 8) | b[at + 27])) * 2 ** 32;
  return n + (b[at + 28] * 2 ** 24 + ((b[at + 29] << 16) | (b[at + 30] << 8) | b[at + 31]));
}

/** `params` decoded from `hex` (0x-prefixed), or null to let viem decode it. */
export function decodeFast(params: readonly AbiParameter[], hex: string): unknown[] | null {
  const body = hex.length >= 2 && hex[0] === "0" && (hex[1] === "x" || hex[1] === "X") ? hex.slice(2) : null;
  if (body === null || body.length % 2 !== 0) return null;
  const b = Buffer.from(body, "hex");
  // Buffer stops at the first invalid hex digit.
  if (b.length * 2 !== body.length || b.length < 32 * params.length) return null;
  const out: unknown[] = new Array(params.length);
  let budget = b.length * 32;
  for (let i = 0; i < params.length; i++) {
    const t = params[i].type;
    const at = 32 * i;
    if (t === "address") out[i] = new Uint8Array(b.subarray(at + 12, at + 32));
    else if (t === "bool") {
      const n = smallWord(b, at);
      if (n !== 0 && n !== 1) return null;
      out[i] = n === 1;
    } else if (t.startsWith("uint")) out[i] = BigInt("0x" + body.slice(2 * at, 2 * at + 64));
    else if (t.startsWith("int")) out[i] = BigInt.asIntN(256, BigInt("0x" + body.slice(2 * at, 2 * at + 64)));
    else if (t === "string" || t === "bytes") {
      const offset = smallWord(b, at);
      if (offset < 0 || offset + 32 > b.length) return null;
      const length = smallWord(b, offset);
      if (length < 0 || offset + 32 + length > b.length) return null;
      budget -= length;
      if (budget < 0) return null;
      const data = b.subarray(offset + 32, offset + 32 + length);
      out[i] = t === "string" ? (length === 0 ? "" : utf8.decode(data)) : new Uint8Array(data);
    } else if (t.startsWith("bytes")) out[i] = new Uint8Array(b.subarray(at, at + Number(t.slice(5))));
    else return null;
  }
  return out;
}
