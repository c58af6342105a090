// Host-allocated objects must satisfy AssemblyScript's stub runtime exactly as
// graph-node lays them out (graph/src/runtime/asc_ptr.rs `alloc_obj`, module
// `raw_new`): the mapping may grow them with `__renew` → `__realloc`, which
// asserts a 16-byte aligned block (~lib/rt/stub.ts line 45).
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { AscMemory, TypeId, type Image } from "../src/asc.ts";
import { writeEvent } from "../src/ethereum.ts";
import {
  buildImports,
  graphHostFunctions,
  instantiate,
  MappingRuntime,
  type EntityStore,
  type Instance,
} from "../src/host.ts";
import { bytesOfHex } from "../src/numbers.ts";
import type { Entity } from "../src/values.ts";
import { buildFixture } from "./fixtures/build.ts";

const ARTIST = "0x00000000000000000000000000000000000000aa";
const HASH = "0x" + "11".repeat(32);

function fixtureModule(): { module: WebAssembly.Module; abi: any[] } {
  const { dir, artifact } = buildFixture();
  return {
    module: new WebAssembly.Module(readFileSync(join(dir, "build", "TipJar", "TipJar.wasm"))),
    abi: artifact.abi as any[],
  };
}

/** A store with one Artist that has no `name` yet. */
function artistStore(): EntityStore & { artist: Entity } {
  const store = {
    artist: {
      id: { kind: "Bytes", value: bytesOfHex(ARTIST) },
      total: { kind: "BigInt", value: 40n },
      tipCount: { kind: "Int", value: 1 },
      average: { kind: "BigDecimal", value: { digits: 40n, exp: 0 } },
      verified: { kind: "Bool", value: false },
    } as Entity,
    get: (type: string) => (type === "Artist" ? store.artist : null),
    getInBlock: () => null,
    loadRelated: () => [],
    set(type: string, _id: string, data: Entity) {
      if (type === "Artist") store.artist = data;
    },
    remove() {},
  };
  return store;
}

test("host objects are 16-byte aligned blocks with graph-node's header (mmInfo, rtSize, capacity)", () => {
  const { module } = fixtureModule();
  let inst: Instance | null = null;
  const { imports } = buildImports(module, {});
  instantiate(module, imports, (i) => (inst = i));
  const m = inst!.mem;
  const ptrs: number[] = [];
  for (let i = 0; i < 40; i++) {
    ptrs.push(m.writeString("x".repeat(i)));
    ptrs.push(m.writeBytes(new Uint8Array(i)));
    ptrs.push(m.writeArray(new Array(i % 5).fill(0), TypeId.ArrayString));
    ptrs.push(m.writeEnum(1, BigInt(i), TypeId.StoreValue));
  }
  // 3,000 objects span several arenas.
  for (let i = 0; i < 3000; i++) ptrs.push(m.writeString("y".repeat(i % 50)));
  const u32 = (p: number) => m.u32(p);
  for (const p of ptrs) {
    assert.equal(p % 16, 0, `object at ${p} is not 16-byte aligned`);
    const mmInfo = u32(p - 20);
    const rtSize = u32(p - 4);
    // Like AssemblyScript's __alloc (computeSize): the payload (after the 4-byte mmInfo, at p - 16)
    // ends where the next block's mmInfo starts, so that the next payload is 16-aligned again.
    assert.equal((p - 16 + mmInfo + 4) % 16, 0, `block at ${p} has mmInfo ${mmInfo}`);
    assert.ok(mmInfo >= 16 + rtSize, `block at ${p}: mmInfo ${mmInfo} < 16 + rtSize ${rtSize}`);
  }
  // graph-node gives ArrayBuffers extra capacity: header + content rounded up to a power of two.
  const bytes = m.writeBytes(new Uint8Array(32));
  const buffer = m.u32(bytes);
  assert.equal(m.u32(buffer - 4), 32); // rtSize: the content
  assert.equal(m.u32(buffer - 20), 64 - 4); // mmInfo: next_power_of_two(20 + 32) - 4
  const str = m.writeString("abc");
  assert.equal(m.u32(str - 4), 6);
  assert.equal(m.u32(str - 20), 32 - 4); // 20 + 6 padded to 32
});

test("a mapping can grow an object the host allocated (entity loaded from the store, new field set)", () => {
  const { module, abi } = fixtureModule();
  const event = abi.find((x) => x.type === "event" && x.name === "ArtistRenamed");
  // Host objects written before `store.get` shift where the entity's entries array lands:
  // every shift must work (before the fix, 3 in 4 aborted in the stub runtime's __realloc).
  for (let shift = 0; shift < 8; shift++) {
    const store = artistStore();
    let inst: Instance | null = null;
    const fns = graphHostFunctions(
      () => inst!.mem,
      () => ({
        store,
        block: 1,
        dataSource: { name: "TipJar", network: "hardhat", context: {}, abis: new Map() },
        log: () => {},
      }),
    );
    const { imports } = buildImports(module, fns);
    instantiate(module, imports, (i) => (inst = i));
    const m: AscMemory = inst!.mem;
    for (let i = 0; i < shift; i++) m.writeString("shift");
    const block = {
      number: "0x1",
      hash: HASH,
      parentHash: HASH,
      sha3Uncles: HASH,
      miner: ARTIST,
      stateRoot: HASH,
      transactionsRoot: HASH,
      receiptsRoot: HASH,
      gasUsed: "0x0",
      gasLimit: "0x0",
      timestamp: "0x1",
      transactions: [],
    };
    const tx = {
      hash: HASH,
      transactionIndex: "0x0",
      from: ARTIST,
      to: ARTIST,
      value: "0x0",
      gas: "0x0",
      input: "0x",
      nonce: "0x0",
    };
    const log = {
      address: ARTIST,
      topics: [HASH],
      data: "0x",
      blockHash: HASH,
      blockNumber: "0x1",
      transactionHash: HASH,
      transactionIndex: "0x0",
      logIndex: "0x0",
    };
    const arg = writeEvent(m, {
      log,
      block,
      transaction: tx,
      receipt: null,
      inputs: event.inputs,
      values: [ARTIST, `name ${shift}`],
    });
    (inst!.exports.handleArtistRenamed as (p: number) => void)(arg);
    assert.deepEqual(store.artist.name, { kind: "String", value: `name ${shift}` }, `shift ${shift}`);
    assert.deepEqual(store.artist.verified, { kind: "Bool", value: true });
  }
});

test("a block, transaction and receipt written again are copies of their first write's image, relocated", () => {
  const { module, abi } = fixtureModule();
  const event = abi.find((x) => x.type === "event" && x.name === "ArtistRenamed");
  const { imports } = buildImports(module, {});
  let inst: Instance | null = null;
  instantiate(module, imports, (i) => (inst = i));
  const exports = inst!.exports;
  const images = new WeakMap<object, Image>();
  const hash = (n: number) => "0x" + n.toString(16).padStart(64, "0");
  const block = {
    number: "0x2a",
    hash: hash(1),
    parentHash: hash(2),
    sha3Uncles: hash(3),
    miner: ARTIST,
    stateRoot: hash(4),
    transactionsRoot: hash(5),
    receiptsRoot: hash(6),
    gasUsed: "0x5208",
    gasLimit: "0x1c9c380",
    timestamp: "0x6553f100",
    baseFeePerGas: "0x7",
    transactions: [],
  };
  const tx = {
    hash: hash(7),
    transactionIndex: "0x0",
    from: ARTIST,
    to: null,
    value: "0xde0b6b3a7640000",
    gas: "0x5208",
    input: "0x1234",
    nonce: "0x3",
  };
  const logs = (n: number) =>
    Array.from({ length: n }, (_, i) => ({
      address: ARTIST,
      topics: [hash(100 + i), hash(200 + i)],
      data: "0x" + "ee".repeat(i),
      blockHash: hash(1),
      blockNumber: "0x2a",
      transactionHash: hash(7),
      transactionIndex: "0x0",
      logIndex: "0x" + i.toString(16),
      removed: i % 2 === 1,
    }));
  const receiptOf = (n: number) => ({
    transactionHash: hash(7),
    transactionIndex: "0x0",
    blockHash: hash(1),
    blockNumber: "0x2a",
    cumulativeGasUsed: "0x5208",
    gasUsed: "0x5208",
    contractAddress: null,
    logs: logs(n),
    status: "0x1",
    logsBloom: "0x" + "00".repeat(256),
  });
  /** The object graph under `ptr` as values (bytes as hex), ignoring where it lies. */
  const read = (m: AscMemory, ptr: number, depth: number): unknown => {
    if (ptr === 0) return null;
    const rt = m.u32(ptr - 8);
    if (rt === m.typeId(TypeId.Uint8Array)) return hexOfBytes(m.readBytes(ptr));
    if (rt === m.typeId(TypeId.WrappedBool)) return m.u32(ptr) === 1;
    if (rt === m.typeId(TypeId.ArrayH256) || rt === m.typeId(TypeId.ArrayLog))
      return m.readArray(ptr).map((p) => read(m, p, depth + 1));
    if (depth > 3) return "?";
    return Array.from({ length: m.size(ptr) / 4 }, (_, i) => read(m, m.readField(ptr, i), depth + 1));
  };
  const hexOfBytes = (b: Uint8Array) => Buffer.from(b).toString("hex");
  for (const n of [10, 3000]) {
    const receipt = receiptOf(n);
    const write = (m: AscMemory) =>
      writeEvent(m, {
        log: receipt.logs[0],
        block,
        transaction: tx,
        receipt,
        inputs: event.inputs,
        values: [ARTIST, "x"],
      });
    // One memory per trigger, as the runtime gives, sharing the module's images.
    const m1 = new AscMemory(exports, new Map(), new Map(), images);
    const first = write(m1);
    const m2 = new AscMemory(exports, new Map(), new Map(), images);
    m2.writeString("shift the arena");
    const second = write(m2);
    assert.equal(images.has(receipt), n === 10, `receipt image kept (${n} logs)`);
    assert.ok(images.has(block) && images.has(tx));
    // The event's block, transaction and receipt.
    for (const field of [4, 5, 7])
      assert.deepEqual(read(m2, m2.readField(second, field), 0), read(m1, m1.readField(first, field), 0), `${n} logs`);
    // Copies, not shared objects: the mapping may mutate what it is given.
    for (const field of [4, 5, 7]) assert.notEqual(m2.readField(second, field), m1.readField(first, field));
    const copied = m2.readField(second, 7);
    assert.equal(copied % 16, 0);
    assert.equal(hexOfBytes(m2.readBytes(m2.readField(copied, 5))), "0852"); // gasUsed, signed little-endian
  }

  // Triggers of a reused instance start from the same memory, so their copies land at one address
  // (the image's relocated bytes, copied as they are): the same objects, byte for byte, after the
  // previous trigger changed its copy.
  const { dir } = buildFixture();
  let current: Instance | null = null;
  const runtime = new MappingRuntime(
    readFileSync(join(dir, "build", "TipJar", "TipJar.wasm")),
    graphHostFunctions(
      () => current!.mem,
      () => null as never,
    ),
  );
  const receipt = receiptOf(10);
  const trigger = () => {
    const { mem, exports } = runtime.instance((i) => (current = i));
    const ptr = writeEvent(mem, {
      log: receipt.logs[0],
      block,
      transaction: tx,
      receipt,
      inputs: event.inputs,
      values: [ARTIST, "x"],
    });
    return { mem, ptr, bytes: new Uint8Array(exports.memory.buffer).slice(ptr - 4096, ptr + 65536) };
  };
  const t1 = trigger();
  const t1Graph = [4, 5, 7].map((f) => read(t1.mem, t1.mem.readField(t1.ptr, f), 0));
  // The mapping changes what it was given (the receipt's first log's address bytes).
  const given = t1.mem.readArray(t1.mem.readField(t1.mem.readField(t1.ptr, 7), 7));
  t1.mem.viewBytes(t1.mem.readField(given[0], 0)).fill(0x55);
  const t2 = trigger();
  const t3 = trigger();
  assert.ok(runtime.reusesInstance);
  assert.equal(t2.ptr, t1.ptr);
  assert.deepEqual(t2.bytes, t1.bytes);
  assert.deepEqual(t3.bytes, t1.bytes);
  assert.deepEqual(
    [4, 5, 7].map((f) => read(t3.mem, t3.mem.readField(t3.ptr, f), 0)),
    t1Graph,
  );
});
