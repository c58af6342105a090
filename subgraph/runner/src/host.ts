// graph-ts host functions (the mapping's imports) and the wasm runtime that
// runs one handler per fresh instance, as graph-node does.
import { decodeFunctionResult, encodeFunctionData, keccak256, type AbiFunction, type AbiParameter } from "viem";
import { AscMemory, TypeId, type AscExports, type Image } from "./asc.ts";
import { readEthValue, writeEthValue } from "./ethereum.ts";
import { bytesOfHex, decimal, decimalToString, hexOf, parseDecimal } from "./numbers.ts";
import { Miss } from "./store.ts";
import { exportMutableGlobals } from "./wasm.ts";
import { readBigDecimal, readEntity, writeBigDecimal, writeEntity, type Entity } from "./values.ts";

export type HostFn = (...args: any[]) => any;

/** The entity operations host functions need (the Postgres-backed Store, or matchstick's in-memory one). */
export interface EntityStore {
  get(type: string, id: string): Entity | null;
  getInBlock(type: string, id: string, block: number): Entity | null;
  loadRelated(type: string, id: string, field: string): Entity[];
  set(type: string, id: string, data: Entity, block: number): void;
  remove(type: string, id: string): void;
  beginHandler?(): void;
  endHandler?(commit: boolean, block: number): void;
}

/** What a handler run may touch besides memory. */
export interface HostContext {
  store: EntityStore;
  block: number;
  /** `eth_call` at the handler's block; null when the call reverts. */
  ethCall?: (to: string, data: string) => Promise<string | null>;
  ethGetBalance?: (address: string) => Promise<bigint>;
  ethGetCode?: (address: string) => Promise<string>;
  dataSource: {
    name: string;
    address?: string;
    /** What `dataSource.address()` returns when it is not a hex address (a file data source's content path, UTF-8). */
    addressBytes?: Uint8Array;
    network: string;
    context: Entity;
    abis: Map<string, readonly unknown[]>;
    /** The mapping's apiVersion (host functions added later fail before theirs, as in graph-node). */
    apiVersion?: string;
  };
  /**
   * `ipfs.cat` / `ipfs.getBlock` (indexing mode, only when non-deterministic IPFS is allowed, as
   * graph-node's GRAPH_ALLOW_NON_DETERMINISTIC_IPFS): the file, or null when it cannot be read.
   */
  ipfs?: { cat(link: string, raw: boolean): Promise<Uint8Array | null> };
  log: (level: number, message: string) => void;
  /** `dataSource.create` / `createWithContext` (indexing mode: a dynamic data source from a template). */
  createDataSource?: (template: string, params: string[], context: Entity | null) => void;
}

export class MappingAbort extends Error {}

/** A host function the emulator does not implement: fails loudly with its name when called. */
export class UnimplementedHostFunction extends Error {}

const LEVELS = ["critical", "error", "warning", "info", "debug"];

/** Results of async host calls (eth_call, balances), cached per block for handler re-runs. */
const asyncCache = new Map<string, unknown>();
function cachedAsync<T>(key: string, load: () => Promise<T>): T {
  if (asyncCache.has(key)) return asyncCache.get(key) as T;
  throw new Miss(async () => {
    asyncCache.set(key, await load());
    if (asyncCache.size > 10_000) asyncCache.delete(asyncCache.keys().next().value!);
  });
}

/** Host functions of graph-ts, by import name. `mem()` is the instance's memory. */
export function graphHostFunctions(mem: () => AscMemory, ctx: () => HostContext): Record<string, HostFn> {
  const str = (p: number) => mem().readString(p);
  const big = (p: number) => mem().readBigInt(p);
  const outBig = (n: bigint) => mem().writeBigInt(n);
  const dec = (p: number) => readBigDecimal(mem(), p);
  const outDec = (d: ReturnType<typeof dec>) => writeBigDecimal(mem(), d);

  return {
    abort(msg: number, file: number, line: number, column: number) {
      const m = mem();
      const message = msg ? m.readString(msg) : "(no message)";
      const where = file ? m.readString(file) : "unknown file";
      throw new MappingAbort(`Mapping aborted at ${where}, line ${line}, column ${column}, with message: ${message}`);
    },

    // ---- store
    "store.get"(entity: number, id: number) {
      const e = ctx().store.get(str(entity), str(id));
      return e ? writeEntity(mem(), e) : 0;
    },
    "store.get_in_block"(entity: number, id: number) {
      const e = ctx().store.getInBlock(str(entity), str(id), ctx().block);
      return e ? writeEntity(mem(), e) : 0;
    },
    "store.loadRelated"(entity: number, id: number, field: number) {
      const list = ctx().store.loadRelated(str(entity), str(id), str(field));
      return mem().writeArray(
        list.map((e) => writeEntity(mem(), e)),
        TypeId.ArrayTypedMapEntryStringStoreValue,
      );
    },
    "store.set"(entity: number, id: number, data: number) {
      ctx().store.set(str(entity), str(id), readEntity(mem(), data), ctx().block);
    },
    "store.remove"(entity: number, id: number) {
      ctx().store.remove(str(entity), str(id));
    },

    // ---- log
    "log.log"(level: number, msg: number) {
      const message = str(msg);
      if (level === 0) throw new MappingAbort(`Critical error logged in mapping: ${message}`);
      ctx().log(level, message);
    },

    // ---- crypto
    "crypto.keccak256"(p: number) {
      return mem().writeBytes(bytesOfHex(keccak256(mem().viewBytes(p))));
    },

    // ---- typeConversion
    "typeConversion.bytesToString"(p: number) {
      return mem().writeString(
        Buffer.from(mem().viewBytes(p))
          .toString("utf8")
          .replace(/\u0000+$/, ""),
      );
    },
    "typeConversion.bytesToHex"(p: number) {
      return mem().writeHexOf(p);
    },
    "typeConversion.bigIntToString"(p: number) {
      return mem().writeString(big(p).toString());
    },
    "typeConversion.bigIntToHex"(p: number) {
      const n = big(p);
      return mem().writeString((n < 0n ? "-0x" : "0x") + (n < 0n ? -n : n).toString(16));
    },
    "typeConversion.stringToH160"(p: number) {
      const s = str(p);
      const b = bytesOfHex(s);
      if (b.length !== 20) throw new Error(`Failed to convert string to Address/H160: '${s}'`);
      return mem().writeBytes(b);
    },
    "typeConversion.bytesToBase58"(p: number) {
      return mem().writeString(base58(mem().viewBytes(p)));
    },

    // ---- bigInt
    "bigInt.plus": (x: number, y: number) => outBig(big(x) + big(y)),
    "bigInt.minus": (x: number, y: number) => outBig(big(x) - big(y)),
    "bigInt.times": (x: number, y: number) => outBig(big(x) * big(y)),
    "bigInt.dividedBy"(x: number, y: number) {
      const d = big(y);
      if (d === 0n) throw new MappingAbort("attempted to divide BigInt by zero");
      return outBig(big(x) / d);
    },
    "bigInt.dividedByDecimal"(x: number, y: number) {
      const d = dec(y);
      if (d.digits === 0n) throw new MappingAbort("attempted to divide BigInt by zero");
      return outDec(decimal.dividedBy(decimal.fromBigInt(big(x)), d));
    },
    "bigInt.mod"(x: number, y: number) {
      const d = big(y);
      if (d === 0n) throw new MappingAbort("attempted to calculate the remainder of BigInt with a divisor of zero");
      return outBig(big(x) % d);
    },
    "bigInt.pow": (x: number, exp: number) => outBig(big(x) ** BigInt(exp & 0xff)),
    "bigInt.fromString"(p: number) {
      const s = str(p);
      if (!/^[+-]?\d+$/.test(s.trim())) throw new MappingAbort(`failed to parse BigInt from string '${s}'`);
      return outBig(BigInt(s.trim()));
    },
    "bigInt.bitOr": (x: number, y: number) => outBig(big(x) | big(y)),
    "bigInt.bitAnd": (x: number, y: number) => outBig(big(x) & big(y)),
    "bigInt.leftShift": (x: number, bits: number) => outBig(big(x) << BigInt(bits & 0xff)),
    "bigInt.rightShift": (x: number, bits: number) => outBig(big(x) >> BigInt(bits & 0xff)),

    // ---- bigDecimal
    "bigDecimal.plus": (x: number, y: number) => outDec(decimal.plus(dec(x), dec(y))),
    "bigDecimal.minus": (x: number, y: number) => outDec(decimal.minus(dec(x), dec(y))),
    "bigDecimal.times": (x: number, y: number) => outDec(decimal.times(dec(x), dec(y))),
    "bigDecimal.dividedBy"(x: number, y: number) {
      const d = dec(y);
      if (d.digits === 0n) throw new MappingAbort("attempted to divide BigDecimal by zero");
      return outDec(decimal.dividedBy(dec(x), d));
    },
    "bigDecimal.equals": (x: number, y: number) => (decimal.equals(dec(x), dec(y)) ? 1 : 0),
    "bigDecimal.toString": (p: number) => mem().writeString(decimalToString(dec(p))),
    "bigDecimal.fromString"(p: number) {
      try {
        return outDec(parseDecimal(str(p)));
      } catch (e) {
        throw new MappingAbort((e as Error).message);
      }
    },

    // ---- json
    "json.fromBytes"(p: number) {
      return writeJson(mem(), parseJsonWithSource(Buffer.from(mem().readBytes(p)).toString("utf8")));
    },
    "json.try_fromBytes"(p: number) {
      const m = mem();
      let value: JsonNode | undefined;
      try {
        value = parseJsonWithSource(Buffer.from(m.readBytes(p)).toString("utf8"));
      } catch {
        value = undefined;
      }
      if (value === undefined) {
        const err = m.alloc(4, TypeId.WrappedBool);
        m.setU32(err, 1);
        return m.writeObject([0, err], TypeId.ResultJsonValueBool);
      }
      const wrapped = m.writeObject([writeJson(m, value)], TypeId.WrappedJsonValue);
      return m.writeObject([wrapped, 0], TypeId.ResultJsonValueBool);
    },
    "json.toI64": (p: number) => BigInt.asIntN(64, BigInt(str(p))),
    "json.toU64": (p: number) => BigInt.asIntN(64, BigInt(str(p))),
    "json.toF64": (p: number) => Number(str(p)),
    "json.toBigInt": (p: number) => outBig(BigInt(str(p))),

    // ---- dataSource
    "dataSource.address"() {
      const { address: a, addressBytes } = ctx().dataSource;
      if (addressBytes) return mem().writeBytes(addressBytes);
      return mem().writeBytes(a ? bytesOfHex(a) : new Uint8Array(20));
    },
    "dataSource.network": () => mem().writeString(ctx().dataSource.network),
    "dataSource.create"(name: number, params: number) {
      const c = ctx();
      if (!c.createDataSource) throw new UnimplementedHostFunction("dataSource.create: not available in this mode");
      c.createDataSource(str(name), mem().readArray(params).map(str), null);
    },
    "dataSource.createWithContext"(name: number, params: number, context: number) {
      const c = ctx();
      if (!c.createDataSource)
        throw new UnimplementedHostFunction("dataSource.createWithContext: not available in this mode");
      c.createDataSource(str(name), mem().readArray(params).map(str), readEntity(mem(), context));
    },
    "dataSource.context": () => writeEntity(mem(), ctx().dataSource.context),

    // ---- ipfs: graph-node refuses these unless GRAPH_ALLOW_NON_DETERMINISTIC_IPFS is set, which
    // the decentralized network and hosted graph-nodes do not set (runtime/wasm/src/module/context.rs);
    // when it is set, a file that cannot be read is null ("Failed ipfs.cat, returning `null`").
    ...Object.fromEntries(
      (["cat", "getBlock"] as const).map((f) => [
        `ipfs.${f}`,
        (p: number) => {
          const c = ctx();
          if (!c.ipfs)
            throw new MappingAbort(
              `\`ipfs.${f}\` is deprecated. Improved support for IPFS will be added in the future`,
            );
          const link = str(p);
          const bytes = cachedAsync(`ipfs.${f}:${c.block}:${link}`, () => c.ipfs!.cat(link, f === "getBlock"));
          return bytes ? mem().writeBytes(bytes) : 0;
        },
      ]),
    ),
    "ipfs.map"() {
      if (!ctx().ipfs)
        throw new MappingAbort("`ipfs.map` is deprecated. Improved support for IPFS will be added in the future");
      throw new UnimplementedHostFunction("ipfs.map is not implemented by graph-runner in indexing mode");
    },

    // ---- ethereum
    "ethereum.call"(callPtr: number) {
      const m = mem();
      const c = ctx();
      const contractName = m.readString(m.readField(callPtr, 0));
      const address = hexOf(m.readBytes(m.readField(callPtr, 1)));
      const functionName = m.readString(m.readField(callPtr, 2));
      const signature = m.readString(m.readField(callPtr, 3));
      const abi = c.dataSource.abis.get(contractName);
      if (!abi)
        throw new MappingAbort(
          `ethereum.call: ABI '${contractName}' is not listed in data source '${c.dataSource.name}'`,
        );
      const fn = findFunction(abi, functionName, signature);
      const params = m.readArray(m.readField(callPtr, 4)).map((p, i) => readEthValue(m, p, fn.inputs[i]));
      const data = encodeFunctionData({ abi: [fn], functionName: fn.name, args: params });
      if (!c.ethCall) throw new UnimplementedHostFunction("ethereum.call: no RPC available in this mode");
      const result = cachedAsync(`call:${c.block}:${address}:${data}`, () => c.ethCall!(address, data));
      if (result === null) return 0;
      const decoded = decodeFunctionResult({ abi: [fn], functionName: fn.name, data: result as `0x${string}` });
      const outputs = fn.outputs.length === 1 ? [decoded] : (decoded as unknown[]);
      return m.writeArray(
        fn.outputs.map((o, i) => writeEthValue(m, o, outputs[i])),
        TypeId.ArrayEthereumValue,
      );
    },
    "ethereum.getBalance"(p: number) {
      const c = ctx();
      beforeApi(c, "0.0.9", "ethereum.getBalance call is not supported before API version 0.0.9");
      const address = hexOf(mem().readBytes(p));
      if (!c.ethGetBalance) throw new UnimplementedHostFunction("ethereum.getBalance: no RPC available in this mode");
      return outBig(cachedAsync(`balance:${c.block}:${address}`, () => c.ethGetBalance!(address)));
    },
    "ethereum.hasCode"(p: number) {
      const c = ctx();
      beforeApi(c, "0.0.9", "ethereum.hasCode call is not supported before API version 0.0.9");
      const address = hexOf(mem().readBytes(p));
      if (!c.ethGetCode) throw new UnimplementedHostFunction("ethereum.hasCode: no RPC available in this mode");
      const code = cachedAsync(`code:${c.block}:${address}`, () => c.ethGetCode!(address));
      const w = mem().alloc(4, TypeId.WrappedBool);
      mem().setU32(w, code !== "0x" ? 1 : 0);
      return w;
    },
  };
}

/** graph-node's apiVersion gate for host functions added later (chain/ethereum/src/runtime/runtime_adapter.rs). */
function beforeApi(c: HostContext, min: string, message: string): void {
  const v = c.dataSource.apiVersion;
  if (v && Number(v.split(".")[2]) < Number(min.split(".")[2])) throw new MappingAbort(message);
}

/** Finds the ABI function for graph-cli's `name` + `name(inputs):(outputs)` signature. */
function findFunction(abi: readonly unknown[], name: string, signature: string): AbiFunction {
  const fns = abi.filter(
    (x): x is AbiFunction => (x as AbiFunction).type === "function" && (x as AbiFunction).name === name,
  );
  const typeList = (ps: readonly AbiParameter[]): string =>
    ps
      .map((p) =>
        p.type.startsWith("tuple") ? `(${typeList("components" in p ? p.components : [])})${p.type.slice(5)}` : p.type,
      )
      .join(",");
  const hit =
    fns.find((f) => `${f.name}(${typeList(f.inputs)}):(${typeList(f.outputs)})` === signature) ??
    (fns.length === 1 ? fns[0] : undefined);
  if (!hit) throw new MappingAbort(`ethereum.call: function '${signature}' not found in ABI`);
  return hit;
}

const B58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
function base58(bytes: Uint8Array): string {
  let n = bigIntFromUnsigned(bytes);
  let out = "";
  while (n > 0n) {
    out = B58[Number(n % 58n)] + out;
    n /= 58n;
  }
  for (const b of bytes) {
    if (b !== 0) break;
    out = "1" + out;
  }
  return out;
}
function bigIntFromUnsigned(bytes: Uint8Array): bigint {
  return bytes.length ? BigInt("0x" + Buffer.from(bytes).toString("hex")) : 0n;
}

// ---- JSON, keeping number literals as text (graph-ts parses them on demand)
type JsonNode = null | boolean | { num: string } | string | JsonNode[] | { obj: [string, JsonNode][] };

export function parseJsonWithSource(text: string): JsonNode {
  const convert = (v: unknown, src?: string): JsonNode => {
    if (v === null || typeof v === "boolean" || typeof v === "string") return v as JsonNode;
    if (typeof v === "number") return { num: src ?? String(v) };
    return v as JsonNode;
  };
  return JSON.parse(text, function (this: unknown, _key: string, value: unknown, context?: { source?: string }) {
    if (Array.isArray(value)) return value;
    if (value && typeof value === "object" && !("num" in value) && !("obj" in value)) {
      return { obj: Object.entries(value as Record<string, JsonNode>) };
    }
    return convert(value, context?.source);
  } as never) as JsonNode;
}

export function writeJson(m: AscMemory, v: JsonNode): number {
  // Every payload here is a pointer or 0/1: the u32 write gives the same bytes as the u64 one.
  const e = (kind: number, payload: number) => m.writeEnumU32(kind, payload, TypeId.JsonValue);
  if (v === null) return e(0, 0);
  if (typeof v === "boolean") return e(1, v ? 1 : 0);
  if (typeof v === "string") return e(3, m.writeString(v));
  if (Array.isArray(v))
    return e(
      4,
      m.writeArray(
        v.map((x) => writeJson(m, x)),
        TypeId.ArrayJsonValue,
      ),
    );
  if ("num" in v) return e(2, m.writeString(v.num));
  const entries = v.obj.map(([k, x]) =>
    m.writeObject([m.writeString(k), writeJson(m, x)], TypeId.TypedMapEntryStringJsonValue),
  );
  return e(
    5,
    m.writeObject([m.writeArray(entries, TypeId.ArrayTypedMapEntryStringJsonValue)], TypeId.TypedMapStringJsonValue),
  );
}

// ---------------------------------------------------------------- runtime

/** Builds the import object; any import without a host function is reported by name. */
export function buildImports(
  module: WebAssembly.Module,
  fns: Record<string, HostFn>,
): { imports: WebAssembly.Imports; missing: string[] } {
  const imports: Record<string, Record<string, HostFn>> = {};
  const missing: string[] = [];
  for (const imp of WebAssembly.Module.imports(module)) {
    if (imp.kind !== "function") continue;
    const fn = fns[imp.name];
    if (!fn) missing.push(imp.name);
    (imports[imp.module] ??= {})[imp.name] =
      fn ??
      (() => {
        throw new UnimplementedHostFunction(`host function '${imp.name}' is not implemented by graph-runner`);
      });
  }
  return { imports, missing };
}

export interface Instance {
  exports: AscExports & Record<string, unknown>;
  mem: AscMemory;
}

/**
 * Instantiates a mapping module; `onReady` sees the instance before its explicit
 * start runs (graph-cli compiles with --explicitStart), so host calls made by
 * top-level code already have memory access.
 */
export function instantiate(
  module: WebAssembly.Module,
  imports: WebAssembly.Imports,
  onReady: (i: Instance) => void,
  typeIds?: Map<number, number>,
  literals?: Map<number, string>,
  images?: WeakMap<object, Image>,
): Instance {
  const instance = new WebAssembly.Instance(module, imports);
  const exports = instance.exports as unknown as Instance["exports"];
  const inst = { exports, mem: new AscMemory(exports, typeIds, literals, images) };
  onReady(inst);
  if (typeof exports._start === "function") (exports._start as () => void)();
  return inst;
}

/** Linear memory larger than this after a trigger is not zeroed: the next trigger gets a new instance. */
const MAX_RESET_BYTES = 16 * 1024 * 1024;

interface Template {
  exports: Instance["exports"];
  /** Memory right after the start function. */
  memory: Uint8Array;
  globals: WebAssembly.Global[];
  values: (number | bigint)[];
  mem?: AscMemory;
}

/**
 * Runs the triggers of one mapping module, each in the state of a fresh instance whose
 * start function has run: graph-node gives every trigger a fresh instance. Creating one
 * costs ~150 µs here (mostly V8 setting up the linear memory), so the runtime instantiates
 * once, saves memory and every mutable global after `_start` (the module is rewritten to
 * export its mutable globals), and restores both before each trigger, zeroing memory the
 * previous trigger grew: the same bytes, globals and table as a fresh instance. Only
 * `memory.size` can differ (memory does not shrink), which the AssemblyScript runtime uses
 * solely to decide when to grow. It instantiates afresh when that is not possible: globals
 * it cannot export, a start function that calls the host (its effects would not be
 * repeated), or memory grown past 16 MB.
 */
export class MappingRuntime {
  readonly module: WebAssembly.Module;
  /** Imports without a host function (they throw when called). */
  readonly missing: string[];
  #imports: WebAssembly.Imports;
  #globalNames: string[] | null;
  #typeIds = new Map<number, number>();
  #literals = new Map<number, string>();
  #images = new WeakMap<object, Image>();
  #template: Template | null = null;
  #starting = false;
  #startCalledHost = false;

  constructor(wasm: Uint8Array, fns: Record<string, HostFn>) {
    const rewritten = exportMutableGlobals(wasm);
    this.#globalNames = rewritten?.globals ?? null;
    this.module = new WebAssembly.Module(rewritten?.bytes ?? (wasm as Uint8Array<ArrayBuffer>));
    // Host calls made while the start function runs rule out snapshots.
    const watched: Record<string, HostFn> = {};
    for (const [name, fn] of Object.entries(fns)) {
      watched[name] = (...args: unknown[]) => {
        if (this.#starting) this.#startCalledHost = true;
        return fn(...args);
      };
    }
    const { imports, missing } = buildImports(this.module, watched);
    this.#imports = imports;
    this.missing = missing;
  }

  /** Whether triggers reuse one instance (restored before each). */
  get reusesInstance(): boolean {
    return this.#template !== null;
  }

  /**
   * An instance in the state of a fresh one after its start function. `onReady` sees it
   * first (before the start function, when it is new).
   */
  instance(onReady: (i: Instance) => void): Instance {
    const t = this.#template;
    if (t && this.#restore(t)) {
      // The instance's AscMemory, reset: the same state as a new one (see AscMemory.reset).
      const mem = (t.mem ??= new AscMemory(t.exports, this.#typeIds, this.#literals, this.#images));
      mem.reset();
      const inst = { exports: t.exports, mem };
      onReady(inst);
      return inst;
    }
    this.#template = null;
    this.#starting = true;
    this.#startCalledHost = false;
    let inst: Instance;
    try {
      inst = instantiate(this.module, this.#imports, onReady, this.#typeIds, this.#literals, this.#images);
    } finally {
      this.#starting = false;
    }
    if (this.#globalNames && !this.#startCalledHost) {
      const globals = this.#globalNames.map((n) => inst.exports[n] as WebAssembly.Global);
      this.#template = {
        exports: inst.exports,
        memory: new Uint8Array(inst.exports.memory.buffer).slice(),
        globals,
        values: globals.map((g) => g.value),
      };
    }
    return inst;
  }

  #restore(t: Template): boolean {
    const buffer = t.exports.memory.buffer;
    if (buffer.byteLength > MAX_RESET_BYTES) return false;
    const bytes = new Uint8Array(buffer);
    bytes.set(t.memory);
    if (bytes.length > t.memory.length) bytes.fill(0, t.memory.length);
    for (let i = 0; i < t.globals.length; i++) t.globals[i].value = t.values[i];
    return true;
  }
}

/**
 * Runs `fn` until it stops missing the cache: each Miss loads data, then the
 * handler re-runs from scratch in a fresh instance (see Store).
 */
export async function runWithRetries<T>(store: EntityStore | undefined, block: number, fn: () => T): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    store?.beginHandler?.();
    try {
      const result = fn();
      store?.endHandler?.(true, block);
      return result;
    } catch (e) {
      store?.endHandler?.(false, block);
      if (e instanceof Miss && attempt < 10_000) {
        await e.load();
        continue;
      }
      throw e;
    }
  }
}

export { LEVELS };
