// AssemblyScript (0.19, stub runtime) memory layout, as graph-node reads and
// writes it for mapping apiVersion >= 0.0.5:
// - every managed object has a 20-byte header before its pointer:
//   mmInfo u32 | gcInfo u32 | gcInfo2 u32 | rtId u32 | rtSize u32
// - String: UTF-16LE code units, rtSize = byte length
// - ArrayBuffer: raw bytes, rtSize = byte length
// - Uint8Array (Bytes, BigInt): { buffer, dataStart, byteLength }
// - Array<T>: { buffer, dataStart, byteLength, length }
// - classes: fields in declaration order, pointers are u32
// - enum-like values (store.Value, ethereum.Value, JSONValue): { kind u32, pad u32, payload u64 }
import { bigIntFromSignedLEAt, copyBytesAt, leScratch, signedLEInto } from "./numbers.ts";

/** Discriminants of graph-ts' `TypeId` enum (graph-node's IndexForAscTypeId). */
export const TypeId = {
  String: 0,
  ArrayBuffer: 1,
  Uint8Array: 6,
  BigDecimal: 12,
  ArrayBool: 13,
  ArrayUint8Array: 14,
  ArrayEthereumValue: 15,
  ArrayStoreValue: 16,
  ArrayJsonValue: 17,
  ArrayString: 18,
  ArrayEventParam: 19,
  ArrayTypedMapEntryStringJsonValue: 20,
  ArrayTypedMapEntryStringStoreValue: 21,
  SmartContractCall: 22,
  EventParam: 23,
  EthereumTransaction: 24,
  EthereumBlock: 25,
  EthereumCall: 26,
  WrappedBool: 28,
  WrappedJsonValue: 29,
  EthereumValue: 30,
  StoreValue: 31,
  JsonValue: 32,
  EthereumEvent: 33,
  TypedMapEntryStringStoreValue: 34,
  TypedMapEntryStringJsonValue: 35,
  TypedMapStringStoreValue: 36,
  TypedMapStringJsonValue: 37,
  ResultJsonValueBool: 40,
  TransactionReceipt: 1000,
  Log: 1001,
  ArrayH256: 1002,
  ArrayLog: 1003,
} as const;

export interface AscExports {
  memory: WebAssembly.Memory;
  __new?: (size: number, id: number) => number;
  allocate?: (size: number) => number;
  id_of_type?: (index: number) => number;
}

/**
 * Host objects written once and copied for later triggers (`AscMemory.image`): the bytes from the
 * first object's header to the last one's end, with its pointer words relative to that start.
 */
export interface Image {
  bytes: Uint8Array;
  /** The pointer words, as word indexes from the start (offset / 4). */
  pointers: Uint32Array;
  root: number;
  /**
   * The last copy's address and its bytes there (pointers relocated): the events of a transaction
   * often get their block, transaction and receipt at the same address, so the copy is one memcpy.
   */
  base?: number;
  relocated?: Uint8Array;
}

const HEADER = 20;
/** Character codes of "0123456789abcdef". */
const HEX_DIGITS = Uint16Array.from("0123456789abcdef", (c) => c.charCodeAt(0));
/** Hex digit values by character code (255: not a digit). */
const HEX_VALUE = new Uint8Array(65536).fill(255);
for (let i = 0; i < 16; i++) {
  HEX_VALUE["0123456789abcdef".charCodeAt(i)] = i;
  HEX_VALUE["0123456789ABCDEF".charCodeAt(i)] = i;
}
const ARENA_MIN = 64 * 1024;
/** Strings up to this many bytes are copied code unit by code unit. */
const SHORT_STRING_BYTES = 256;

/** graph-node's `padding_to_16`: zero bytes after the content so that header + content is a multiple of 16. */
export function paddingTo16(contentLength: number): number {
  return (16 - ((HEADER + contentLength) % 16)) % 16;
}

function nextPowerOfTwo(n: number): number {
  return n <= 1 ? 1 : n > 2 ** 30 ? 2 ** Math.ceil(Math.log2(n)) : 1 << (32 - Math.clz32(n - 1));
}

/** Reads and writes AssemblyScript objects in one instance's linear memory. */
export class AscMemory {
  #exports: AscExports;
  #typeIds: Map<number, number>;
  #literals: Map<number, string>;
  /** End of the module's static data (`__rtti_base`, the last static segment): string literals lie below. */
  #staticEnd: number;
  /** Entity field names written in this instance's trigger, shared by the entities it is given (see `writeKey`). */
  #keys = new Map<string, number>();
  /** The same, by pointer: a mapping that saves a loaded entity hands those names back. */
  #keyNames = new Map<number, string>();
  #arena = { start: 0, size: 0 };
  /** Counts arena refills: an image is recorded only when its objects came from one arena. */
  #arenas = 0;
  #images: WeakMap<object, Image>;
  /** Addresses of the pointer words written while an image is recorded. */
  #pointers: number[] | null = null;

  /**
   * `typeIds`, `literals` and `images` may be shared by instances of one module: `id_of_type` is a
   * constant table, string literals (entity and field names) are immutable static data at fixed
   * addresses, and images hold that module's class ids.
   */
  constructor(
    exports: AscExports,
    typeIds = new Map<number, number>(),
    literals = new Map<number, string>(),
    images = new WeakMap<object, Image>(),
  ) {
    this.#exports = exports;
    this.#typeIds = typeIds;
    this.#literals = literals;
    this.#images = images;
    const rtti = (exports as { __rtti_base?: WebAssembly.Global }).__rtti_base;
    this.#staticEnd = rtti instanceof WebAssembly.Global ? Number(rtti.value) : 0;
    if (!exports.__new && !exports.allocate) {
      throw new Error(
        "mapping exports neither `__new` nor `allocate`: not compiled by graph-cli for apiVersion >= 0.0.5?",
      );
    }
  }

  /**
   * Back to the state of a new AscMemory of the same instance, for its next trigger (its memory
   * restored to a fresh instance's, see MappingRuntime): no arena, no shared field names. Views of
   * memory stay (memory never shrinks; a grown one is noticed as before).
   */
  reset(): void {
    this.#keys.clear();
    this.#keyNames.clear();
    this.#arena.start = 0;
    this.#arena.size = 0;
    this.#pointers = null;
  }

  // Views are cached and rebuilt only when memory grows (which replaces the buffer).
  #buf: ArrayBuffer | null = null;
  #dv!: DataView;
  #u8!: Uint8Array;
  #u16!: Uint16Array;
  #u32words!: Uint32Array;
  #refresh(): void {
    // Growing memory detaches the old buffer (byteLength 0); cheaper than reading memory.buffer each time.
    if (this.#buf === null || this.#buf.byteLength === 0) {
      const b = this.#exports.memory.buffer;
      this.#buf = b;
      this.#dv = new DataView(b);
      this.#u8 = new Uint8Array(b);
      this.#u16 = new Uint16Array(b, 0, b.byteLength >>> 1);
      this.#u32words = new Uint32Array(b, 0, b.byteLength >>> 2);
    }
  }
  get #view(): DataView {
    this.#refresh();
    return this.#dv;
  }
  get #bytes(): Uint8Array {
    this.#refresh();
    return this.#u8;
  }
  get #u32(): Uint32Array {
    this.#refresh();
    return this.#u32words;
  }

  /** The module's runtime class id for a graph-ts TypeId (via its exported `id_of_type`). */
  typeId(index: number): number {
    let id = this.#typeIds.get(index);
    if (id === undefined) {
      if (!this.#exports.id_of_type) throw new Error("mapping does not export `id_of_type`");
      id = this.#exports.id_of_type(index);
      this.#typeIds.set(index, id);
    }
    return id;
  }

  /**
   * Allocates an object of `size` content bytes (`capacity` reserved, ≥ size) with a
   * runtime header; returns its pointer. Exactly as graph-node (`AscPtr::alloc_obj`,
   * `raw_new`): objects are carved out of arenas obtained from the mapping's `allocate`
   * export, so one call into wasm serves many objects, and each is a valid block of
   * AssemblyScript's stub runtime, which the mapping may grow (`__renew` → `__realloc`
   * asserts a 16-byte aligned block and trusts its mmInfo):
   * - header + content are padded together to a multiple of 16, so every object starts
   *   16-byte aligned (the arena's first one is, thanks to the +12 below);
   * - mmInfo is the block's payload size, everything after the mmInfo word itself
   *   (what `__alloc` writes): 16 header bytes + capacity + padding;
   * - rtSize is the content size (graph-node writes the padded size for plain classes,
   *   whose rtSize nothing reads; strings and ArrayBuffers get their exact length).
   */
  alloc(size: number, typeIndex: number, capacity = size): number {
    const rtId = this.typeId(typeIndex);
    if (!this.#exports.allocate) return this.#exports.__new!(size, rtId);
    const total = HEADER + capacity + paddingTo16(capacity);
    const base = this.#carve(total);
    const v = this.#view;
    v.setUint32(base, total - 4, true);
    v.setUint32(base + 4, 0, true);
    v.setUint32(base + 8, 0, true);
    v.setUint32(base + 12, rtId, true);
    v.setUint32(base + 16, size, true);
    return base + HEADER;
  }

  /** `total` bytes (a multiple of 16) from the arena, refilled from `allocate` when too small. */
  #carve(total: number): number {
    if (total > this.#arena.size) {
      const want = Math.max(total, ARENA_MIN);
      // `allocate` (stub __alloc) returns a 16-aligned block payload; an object's pointer is
      // 20 bytes after its header start, so headers start at payload + 12 (then 16k later).
      this.#arena = { start: this.#exports.allocate!(want) + 12, size: want - 12 };
      this.#arenas++;
    }
    const base = this.#arena.start;
    this.#arena.start += total;
    this.#arena.size -= total;
    return base;
  }

  /**
   * The objects `write` writes (returning the root's pointer), copied from an image of the first
   * time they were written for `key` in this module: one copy and a pointer relocation instead of
   * hundreds of allocations (a block, a transaction or a receipt is shared by all of its events,
   * and every trigger starts from fresh memory). The copy is what `write` would write at the
   * arena's next address: the same headers, padding and capacities. `write` may only write
   * objects whose `writeObject` fields and `writeArray` items are pointers (or null), all to
   * objects it wrote; when they came from more than one arena, or point elsewhere, no image is
   * kept. Only with the stub runtime (`allocate`), where objects are carved out of arenas.
   */
  image(key: object, write: () => number): number {
    if (!this.#exports.allocate || this.#pointers) return write();
    const image = this.#images.get(key);
    if (image) {
      const length = image.bytes.length;
      const base = this.#carve(length);
      const u8 = this.#bytes;
      if (image.base === base) {
        u8.set(image.relocated!, base);
        return base + image.root;
      }
      u8.set(image.bytes, base);
      // Pointer words are 4-aligned (fields of 16-aligned objects, and `base` is 4-aligned); wasm
      // memory is little-endian.
      const u32 = this.#u32;
      const words = image.pointers;
      const at = base >>> 2;
      for (let i = 0; i < words.length; i++) u32[at + words[i]] += base;
      (image.relocated ??= new Uint8Array(length)).set(u8.subarray(base, base + length));
      image.base = base;
      return base + image.root;
    }
    const start = this.#arena.start;
    const arenas = this.#arenas;
    const pointers: number[] = (this.#pointers = []);
    let root: number;
    try {
      root = write();
    } finally {
      this.#pointers = null;
    }
    const end = this.#arena.start;
    if (arenas !== this.#arenas) return root;
    const bytes = this.#bytes.slice(start, end);
    const v = new DataView(bytes.buffer);
    const offsets = new Uint32Array(pointers.length);
    for (let i = 0; i < pointers.length; i++) {
      const offset = pointers[i] - start;
      const target = v.getUint32(offset, true);
      if (target < start || target >= end || (offset & 3) !== 0) return root;
      v.setUint32(offset, target - start, true);
      offsets[i] = offset >>> 2;
    }
    this.#images.set(key, {
      bytes,
      pointers: offsets,
      root: root - start,
      base: start,
      relocated: this.#bytes.slice(start, end),
    });
    return root;
  }

  /** Writes a pointer word (recorded while an image is). */
  #setPointer(at: number, ptr: number): void {
    this.#view.setUint32(at, ptr, true);
    if (this.#pointers && ptr !== 0) this.#pointers.push(at);
  }

  /**
   * An ArrayBuffer of `byteLength` bytes. graph-node reserves extra capacity so that
   * header + content is a power of two (`ArrayBuffer::to_asc_bytes`); rtSize stays the
   * byte length. An array the mapping grows then often stays within its block.
   */
  allocArrayBuffer(byteLength: number): number {
    return this.alloc(byteLength, TypeId.ArrayBuffer, nextPowerOfTwo(HEADER + byteLength) - HEADER);
  }

  u32(ptr: number): number {
    return this.#view.getUint32(ptr, true);
  }
  i32(ptr: number): number {
    return this.#view.getInt32(ptr, true);
  }
  i64(ptr: number): bigint {
    return this.#view.getBigInt64(ptr, true);
  }
  setU32(ptr: number, value: number): void {
    this.#view.setUint32(ptr, value, true);
  }
  setI64(ptr: number, value: bigint): void {
    this.#view.setBigInt64(ptr, value, true);
  }

  /** Runtime size of the object at `ptr` (from its header). */
  size(ptr: number): number {
    return this.u32(ptr - 4);
  }

  // ---- strings ----
  readString(ptr: number): string {
    if (ptr === 0) throw new Error("tried to read a null string");
    if (ptr < this.#staticEnd) {
      let s = this.#literals.get(ptr);
      if (s === undefined) this.#literals.set(ptr, (s = this.#decode(ptr)));
      return s;
    }
    return this.#keyNames.get(ptr) ?? this.#decode(ptr);
  }
  #decode(ptr: number): string {
    const len = this.size(ptr);
    this.#refresh();
    // Short strings (ids, field names): cheaper from code units than through a Buffer.
    if (len <= SHORT_STRING_BYTES && (ptr & 1) === 0) {
      return String.fromCharCode.apply(null, this.#u16.subarray(ptr >>> 1, (ptr + len) >>> 1) as unknown as number[]);
    }
    return Buffer.from(this.#buf!, ptr, len).toString("utf16le");
  }
  readNullableString(ptr: number): string | null {
    return ptr === 0 ? null : this.readString(ptr);
  }
  writeString(s: string): number {
    const ptr = this.alloc(s.length * 2, TypeId.String);
    this.#refresh();
    if (s.length * 2 <= SHORT_STRING_BYTES) {
      const u16 = this.#u16;
      const base = ptr >>> 1;
      for (let i = 0; i < s.length; i++) u16[base + i] = s.charCodeAt(i);
    } else Buffer.from(this.#buf!, ptr, s.length * 2).write(s, "utf16le");
    return ptr;
  }

  /**
   * The `0x`-prefixed lower-case hex of the Uint8Array at `ptr`, as a new String (what
   * `writeString(hexOf(readBytes(ptr)))` writes, without the intermediate JS strings).
   */
  writeHexOf(ptr: number): number {
    if (ptr === 0) throw new Error("tried to read null bytes");
    const dataStart = this.u32(ptr + 4);
    const len = this.u32(ptr + 8);
    const out = this.alloc(4 + 4 * len, TypeId.String);
    this.#refresh();
    const u8 = this.#u8;
    const u16 = this.#u16;
    let o = out >>> 1;
    u16[o++] = 48; // "0"
    u16[o++] = 120; // "x"
    for (let i = dataStart, end = dataStart + len; i < end; i++) {
      const b = u8[i];
      u16[o++] = HEX_DIGITS[b >>> 4];
      u16[o++] = HEX_DIGITS[b & 15];
    }
    return out;
  }

  /**
   * An entity field name: written once per trigger and shared by the entities the host writes in
   * it (strings are immutable in AssemblyScript, so no mapping can tell). Only with the stub runtime
   * (`allocate`), which frees nothing; a collecting runtime could free a shared string.
   */
  writeKey(s: string): number {
    if (!this.#exports.allocate) return this.writeString(s);
    let ptr = this.#keys.get(s);
    if (ptr === undefined) {
      this.#keys.set(s, (ptr = this.writeString(s)));
      this.#keyNames.set(ptr, s);
    }
    return ptr;
  }

  // ---- Uint8Array (Bytes, Address, BigInt) ----
  readBytes(ptr: number): Uint8Array {
    if (ptr === 0) throw new Error("tried to read null bytes");
    const dataStart = this.u32(ptr + 4);
    const len = this.u32(ptr + 8);
    return this.#bytes.slice(dataStart, dataStart + len);
  }
  /**
   * The bytes of the Uint8Array at `ptr` as a view of memory, not a copy: for a read used at once
   * (a BigInt's value, a hex string), before anything writes to or grows memory.
   */
  viewBytes(ptr: number): Uint8Array {
    if (ptr === 0) throw new Error("tried to read null bytes");
    const dataStart = this.u32(ptr + 4);
    const len = this.u32(ptr + 8);
    return this.#bytes.subarray(dataStart, dataStart + len);
  }
  /** A copy of the bytes of the Uint8Array at `ptr` for an entity value (see `copyBytes`). */
  copyBytes(ptr: number): Uint8Array {
    if (ptr === 0) throw new Error("tried to read null bytes");
    return copyBytesAt(this.#bytes, this.u32(ptr + 4), this.u32(ptr + 8));
  }
  /** The BigInt (signed little-endian Uint8Array) at `ptr`, read in place. */
  readBigInt(ptr: number): bigint {
    if (ptr === 0) throw new Error("tried to read null bytes");
    const dataStart = this.u32(ptr + 4);
    const len = this.u32(ptr + 8);
    return bigIntFromSignedLEAt(this.#bytes, dataStart, len);
  }
  /** A BigInt as graph-node writes it: `writeBytes(bigIntToSignedLE(n))`, without the intermediate arrays. */
  writeBigInt(n: bigint): number {
    const len = signedLEInto(n);
    return this.#writeBytesFrom(leScratch, len);
  }
  /**
   * `writeBytes` of a JSON-RPC hex string's bytes (`0x` and pairs of hex digits, trusted: no
   * validation, as `Buffer.from(hex.slice(2), "hex")` reads it), decoded straight into memory.
   */
  writeRpcHex(hex: string): number {
    const len = hex.length > 2 ? (hex.length - 2) >>> 1 : 0;
    const buffer = this.allocArrayBuffer(len);
    const u8 = this.#bytes;
    for (let i = 0, c = 2; i < len; i++, c += 2) {
      const hi = HEX_VALUE[hex.charCodeAt(c)];
      const lo = HEX_VALUE[hex.charCodeAt(c + 1)];
      if (hi > 15 || lo > 15) return this.#rpcHexSlow(hex, buffer);
      u8[buffer + i] = (hi << 4) | lo;
    }
    return this.#uint8Array(buffer, len);
  }
  /** A non-hex digit (which graph-node would refuse): what Buffer decodes, which stops there. */
  #rpcHexSlow(hex: string, unused: number): number {
    this.#bytes.fill(0, unused, unused + this.size(unused));
    return this.writeBytes(Buffer.from(hex.slice(2), "hex"));
  }
  #writeBytesFrom(src: Uint8Array, len: number): number {
    const buffer = this.allocArrayBuffer(len);
    const u8 = this.#bytes;
    if (len <= 64) for (let i = 0; i < len; i++) u8[buffer + i] = src[i];
    else u8.set(src.subarray(0, len), buffer);
    return this.#uint8Array(buffer, len);
  }
  #uint8Array(buffer: number, len: number): number {
    const ptr = this.alloc(12, TypeId.Uint8Array);
    this.#setPointer(ptr, buffer);
    this.#setPointer(ptr + 4, buffer);
    this.setU32(ptr + 8, len);
    return ptr;
  }
  writeBytes(data: Uint8Array): number {
    const buffer = this.allocArrayBuffer(data.length);
    this.#bytes.set(data, buffer);
    const ptr = this.alloc(12, TypeId.Uint8Array);
    this.#setPointer(ptr, buffer);
    this.#setPointer(ptr + 4, buffer);
    this.setU32(ptr + 8, data.length);
    return ptr;
  }

  // ---- Array<T> of pointers (or 4-byte values) ----
  readArray(ptr: number): number[] {
    const dataStart = this.u32(ptr + 4);
    const length = this.i32(ptr + 12);
    const out: number[] = new Array(length);
    for (let i = 0; i < length; i++) out[i] = this.u32(dataStart + 4 * i);
    return out;
  }
  writeArray(items: number[], typeIndex: number): number {
    const buffer = this.allocArrayBuffer(items.length * 4);
    for (let i = 0; i < items.length; i++) this.#setPointer(buffer + 4 * i, items[i]);
    const ptr = this.alloc(16, typeIndex);
    this.#setPointer(ptr, buffer);
    this.#setPointer(ptr + 4, buffer);
    this.setU32(ptr + 8, items.length * 4);
    this.setU32(ptr + 12, items.length);
    return ptr;
  }

  // ---- plain classes: a sequence of u32 fields ----
  /** `writeObject([a, b], typeIndex)` without the array. */
  writeObject2(a: number, b: number, typeIndex: number): number {
    const ptr = this.alloc(8, typeIndex);
    this.#setPointer(ptr, a);
    this.#setPointer(ptr + 4, b);
    return ptr;
  }
  writeObject(fields: number[], typeIndex: number): number {
    const ptr = this.alloc(fields.length * 4, typeIndex);
    for (let i = 0; i < fields.length; i++) this.#setPointer(ptr + 4 * i, fields[i]);
    return ptr;
  }
  readField(ptr: number, index: number): number {
    return this.u32(ptr + 4 * index);
  }

  // ---- enum-like values { kind, payload u64 } ----
  writeEnum(kind: number, payload: bigint, typeIndex: number): number {
    const ptr = this.alloc(16, typeIndex);
    this.setU32(ptr, kind);
    this.setU32(ptr + 4, 0);
    this.setI64(ptr + 8, payload);
    return ptr;
  }
  /** An enum value whose payload is a pointer or another u32 (high half 0). */
  writeEnumU32(kind: number, payload: number, typeIndex: number): number {
    const ptr = this.alloc(16, typeIndex);
    const v = this.#view;
    v.setUint32(ptr, kind, true);
    v.setUint32(ptr + 4, 0, true);
    v.setUint32(ptr + 8, payload, true);
    v.setUint32(ptr + 12, 0, true);
    return ptr;
  }
  readEnum(ptr: number): { kind: number; payload: bigint; ptr: number } {
    return { kind: this.u32(ptr), payload: this.i64(ptr + 8), ptr: this.u32(ptr + 8) };
  }
}
