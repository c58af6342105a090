/**
 * An independent, deliberately naive re-implementation of kubo's file and
 * directory DAG construction, used only by tests as a second opinion.
 *
 * It shares no code with the importer: protobuf bytes are written by hand,
 * hashes come from node:crypto, CIDs are assembled byte by byte. Run in
 * CIDv0 mode it can be checked against Debian's `ipfs_cid` (a Rust
 * implementation); run in CIDv1 mode it checks the importer.
 */
import { createHash } from "node:crypto";

export const CHUNK = 262_144;
export const FANOUT = 174;

const RAW = 0x55;
const DAG_PB = 0x70;

interface Node {
  cid: Uint8Array;
  tsize: number;
  fileSize: number;
}

export interface ReferenceOptions {
  cidVersion: 0 | 1;
}

/** The CID bytes kubo would give `data` (`ipfs add`, v0 or `--cid-version=1`). */
export function referenceFileCid(data: Uint8Array, { cidVersion }: ReferenceOptions): Uint8Array {
  return referenceFile(data, { cidVersion }).cid;
}

export function referenceFile(data: Uint8Array, { cidVersion }: ReferenceOptions): Node {
  const leaves: Node[] = [];
  for (let offset = 0; offset < data.length || leaves.length === 0; offset += CHUNK) {
    const chunk = data.subarray(offset, offset + CHUNK);
    if (cidVersion === 1) {
      leaves.push({ cid: cidBytes(1, RAW, chunk), tsize: chunk.length, fileSize: chunk.length });
    } else {
      const block = pbNode([], unixfsData(2, chunk, chunk.length, []));
      leaves.push({ cid: cidBytes(0, DAG_PB, block), tsize: block.length, fileSize: chunk.length });
    }
    if (data.length === 0) break;
  }
  if (leaves.length === 1 && leaves[0] !== undefined) return leaves[0];
  let level = leaves;
  while (level.length > 1) {
    const next: Node[] = [];
    for (let i = 0; i < level.length; i += FANOUT) next.push(parent(level.slice(i, i + FANOUT), cidVersion));
    level = next;
  }
  return level[0] as Node;
}

function parent(children: Node[], cidVersion: 0 | 1): Node {
  const fileSize = children.reduce((n, c) => n + c.fileSize, 0);
  const data = unixfsData(
    2,
    undefined,
    fileSize,
    children.map((c) => c.fileSize),
  );
  const block = pbNode(
    children.map((c) => ({ cid: c.cid, name: "", tsize: c.tsize })),
    data,
  );
  return {
    cid: cidBytes(cidVersion, DAG_PB, block),
    tsize: block.length + children.reduce((n, c) => n + c.tsize, 0),
    fileSize,
  };
}

/** A plain UnixFS directory node over named children (links sorted by name). */
export function referenceDirectory(
  children: Array<{ name: string; cid: Uint8Array; tsize: number }>,
  { cidVersion }: ReferenceOptions,
): Node {
  const sorted = [...children].sort((a, b) => Buffer.compare(Buffer.from(a.name), Buffer.from(b.name)));
  const block = pbNode(sorted, unixfsData(1, undefined, undefined, []));
  return {
    cid: cidBytes(cidVersion, DAG_PB, block),
    tsize: block.length + sorted.reduce((n, c) => n + c.tsize, 0),
    fileSize: 0,
  };
}

// --- protobuf by hand -----------------------------------------------------

function varint(n: number): number[] {
  const out: number[] = [];
  while (n >= 0x80) {
    out.push((n % 0x80) | 0x80);
    n = Math.floor(n / 0x80);
  }
  out.push(n);
  return out;
}

function field(num: number, wire: number): number[] {
  return varint((num << 3) | wire);
}
function bytesField(num: number, bytes: Uint8Array): Uint8Array {
  return concat([Uint8Array.from([...field(num, 2), ...varint(bytes.length)]), bytes]);
}
function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

/** UnixFS Data message: Type=1, Data=2, filesize=3, blocksizes=4 (unpacked). */
function unixfsData(
  type: number,
  data: Uint8Array | undefined,
  fileSize: number | undefined,
  blockSizes: number[],
): Uint8Array {
  const parts: Uint8Array[] = [Uint8Array.from([...field(1, 0), ...varint(type)])];
  // go-unixfs leaves the Data field out entirely when it is empty.
  if (data !== undefined && data.length > 0) parts.push(bytesField(2, data));
  if (fileSize !== undefined) parts.push(Uint8Array.from([...field(3, 0), ...varint(fileSize)]));
  for (const size of blockSizes) parts.push(Uint8Array.from([...field(4, 0), ...varint(size)]));
  return concat(parts);
}

/** PBNode: Links (field 2) first, then Data (field 1), as dag-pb mandates. */
function pbNode(links: Array<{ cid: Uint8Array; name: string; tsize: number }>, data: Uint8Array): Uint8Array {
  const parts: Uint8Array[] = [];
  for (const link of links) {
    const body = concat([
      bytesField(1, link.cid),
      bytesField(2, new TextEncoder().encode(link.name)),
      Uint8Array.from([...field(3, 0), ...varint(link.tsize)]),
    ]);
    parts.push(bytesField(2, body));
  }
  parts.push(bytesField(1, data));
  return concat(parts);
}

function cidBytes(version: 0 | 1, codec: number, block: Uint8Array): Uint8Array {
  const multihash = [0x12, 0x20, ...createHash("sha256").update(block).digest()]; // sha2-256, 32 bytes
  return Uint8Array.from(version === 0 ? multihash : [0x01, ...varint(codec), ...multihash]);
}

// --- encodings --------------------------------------------------------------

const B32 = "abcdefghijklmnopqrstuvwxyz234567";
const B58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";

/** CIDv1 bytes to the multibase base32 string (`b…`). */
export function base32Cid(bytes: Uint8Array): string {
  let bits = 0;
  let value = 0;
  let out = "b";
  for (const byte of bytes) {
    value = ((value << 8) | byte) & 0xffff;
    bits += 8;
    while (bits >= 5) {
      out += B32[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += B32[(value << (5 - bits)) & 31];
  return out;
}

/** CIDv0 bytes (a bare multihash) to base58btc (`Qm…`). */
export function base58Cid(bytes: Uint8Array): string {
  let n = BigInt("0x" + Buffer.from(bytes).toString("hex"));
  let out = "";
  while (n > 0n) {
    out = B58[Number(n % 58n)] + out;
    n /= 58n;
  }
  for (const byte of bytes) {
    if (byte !== 0) break;
    out = "1" + out;
  }
  return out;
}

/** Deterministic pseudo-random bytes (LCG), identical on every run and machine. */
export function deterministicBytes(length: number, seed = 1): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(length);
  let x = seed >>> 0;
  for (let i = 0; i < length; i++) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    out[i] = x >>> 24;
  }
  return out;
}
