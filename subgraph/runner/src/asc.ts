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

const HEADER = 20;
const ARENA_MIN = 64 * 1024;

/** Reads and writes AssemblyScript objects in one instance's linear memory. */
export class AscMemory {
  #exports: AscExports;
  #typeIds = new Map<number, number>();
  #arena = { start: 0, size: 0 };

  constructor(exports: AscExports) {
    this.#exports = exports;
    if (!exports.__new && !exports.allocate) {
      throw new Error(
        "mapping exports neither `__new` nor `allocate`: not compiled by graph-cli for apiVersion >= 0.0.5?",
      );
    }
  }

  // Views are cached and rebuilt only when memory grows (which replaces the buffer).
  #buf: ArrayBuffer | null = null;
  #dv!: DataView;
  #u8!: Uint8Array;
  #refresh(): void {
    // Growing memory detaches the old buffer (byteLength 0); cheaper than reading memory.buffer each time.
    if (this.#buf === null || this.#buf.byteLength === 0) {
      const b = this.#exports.memory.buffer;
      this.#buf = b;
      this.#dv = new DataView(b);
      this.#u8 = new Uint8Array(b);
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
   * Allocates an object of `size` content bytes with a runtime header; returns its pointer.
   * Like graph-node: objects are carved out of arenas obtained from the mapping's
   * `allocate` export, so one call into wasm serves many objects.
   */
  alloc(size: number, typeIndex: number): number {
    const rtId = this.typeId(typeIndex);
    if (!this.#exports.allocate) return this.#exports.__new!(size, rtId);
    // Keep every object's content 16-byte aligned, as AssemblyScript does.
    const padded = size + ((16 - (size % 16)) % 16);
    const total = HEADER + padded;
    if (total > this.#arena.size) {
      const want = Math.max(total, ARENA_MIN);
      // `allocate` (stub __alloc) returns the block after its 4-byte mmInfo; +12 restores alignment.
      this.#arena = { start: this.#exports.allocate(want) + 12, size: want - 12 };
    }
    const base = this.#arena.start;
    this.#arena.start += total;
    this.#arena.size -= total;
    const v = this.#view;
    v.setUint32(base, total, true);
    v.setUint32(base + 4, 0, true);
    v.setUint32(base + 8, 0, true);
    v.setUint32(base + 12, rtId, true);
    v.setUint32(base + 16, size, true);
    return base + HEADER;
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
    const len = this.size(ptr);
    this.#refresh();
    return Buffer.from(this.#buf!, ptr, len).toString("utf16le");
  }
  readNullableString(ptr: number): string | null {
    return ptr === 0 ? null : this.readString(ptr);
  }
  writeString(s: string): number {
    const ptr = this.alloc(s.length * 2, TypeId.String);
    this.#refresh();
    Buffer.from(this.#buf!, ptr, s.length * 2).write(s, "utf16le");
    return ptr;
  }

  // ---- Uint8Array (Bytes, Address, BigInt) ----
  readBytes(ptr: number): Uint8Array {
    if (ptr === 0) throw new Error("tried to read null bytes");
    const dataStart = this.u32(ptr + 4);
    const len = this.u32(ptr + 8);
    return this.#bytes.slice(dataStart, dataStart + len);
  }
  writeBytes(data: Uint8Array): number {
    const buffer = this.alloc(data.length, TypeId.ArrayBuffer);
    this.#bytes.set(data, buffer);
    const ptr = this.alloc(12, TypeId.Uint8Array);
    this.setU32(ptr, buffer);
    this.setU32(ptr + 4, buffer);
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
    const buffer = this.alloc(items.length * 4, TypeId.ArrayBuffer);
    for (let i = 0; i < items.length; i++) this.setU32(buffer + 4 * i, items[i]);
    const ptr = this.alloc(16, typeIndex);
    this.setU32(ptr, buffer);
    this.setU32(ptr + 4, buffer);
    this.setU32(ptr + 8, items.length * 4);
    this.setU32(ptr + 12, items.length);
    return ptr;
  }

  // ---- plain classes: a sequence of u32 fields ----
  writeObject(fields: number[], typeIndex: number): number {
    const ptr = this.alloc(fields.length * 4, typeIndex);
    for (let i = 0; i < fields.length; i++) this.setU32(ptr + 4 * i, fields[i]);
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
  readEnum(ptr: number): { kind: number; payload: bigint; ptr: number } {
    return { kind: this.u32(ptr), payload: this.i64(ptr + 8), ptr: this.u32(ptr + 8) };
  }
}
