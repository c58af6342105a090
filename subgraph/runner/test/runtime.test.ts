// MappingRuntime: every trigger must start from exactly the state of a fresh instance whose
// start function ran (graph-node instantiates per trigger), even when the runtime restores one
// instance instead of creating a new one.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { TypeId } from "../src/asc.ts";
import { buildImports, graphHostFunctions, instantiate, MappingRuntime, type Instance } from "../src/host.ts";
import { exportMutableGlobals, GLOBAL_EXPORT_PREFIX } from "../src/wasm.ts";
import { buildFixture } from "./fixtures/build.ts";

function fixtureWasm(): Uint8Array<ArrayBuffer> {
  const { dir } = buildFixture();
  return readFileSync(join(dir, "build", "TipJar", "TipJar.wasm"));
}

/** Memory bytes and mutable globals of an instance. */
function state(inst: Instance): { memory: Uint8Array; globals: Record<string, unknown> } {
  const globals: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(inst.exports)) {
    if (name.startsWith(GLOBAL_EXPORT_PREFIX)) globals[name] = (value as WebAssembly.Global).value;
  }
  return { memory: new Uint8Array(inst.exports.memory.buffer).slice(), globals };
}

test("exportMutableGlobals adds one export per mutable global and keeps the module valid", () => {
  const wasm = fixtureWasm();
  const rewritten = exportMutableGlobals(wasm);
  assert.ok(rewritten && rewritten.globals.length > 0);
  const module = new WebAssembly.Module(rewritten.bytes);
  const exports = WebAssembly.Module.exports(module).map((e) => e.name);
  for (const g of rewritten.globals) assert.ok(exports.includes(g), g);
  // The original exports are all still there, in order.
  const original = WebAssembly.Module.exports(new WebAssembly.Module(wasm)).map((e) => e.name);
  assert.deepEqual(
    exports.filter((e) => !e.startsWith(GLOBAL_EXPORT_PREFIX)),
    original,
  );
  // Rewriting twice is refused (the names are taken), not doubled.
  assert.equal(exportMutableGlobals(rewritten.bytes), null);
});

test("a reused instance is restored to a fresh instance's state before each trigger", () => {
  const runtime = new MappingRuntime(
    fixtureWasm(),
    graphHostFunctions(
      () => current!.mem,
      () => null as never,
    ),
  );
  let current: Instance | null = null;
  const first = runtime.instance((i) => (current = i));
  assert.ok(runtime.reusesInstance);

  // A trigger's worth of changes: allocations (arena, stub runtime globals) and memory growth.
  const before = first.exports.memory.buffer.byteLength;
  const a = first.mem.writeString("hello");
  const big = first.mem.alloc(1 << 20, TypeId.String);
  new Uint8Array(first.exports.memory.buffer).fill(0xab, big, big + (1 << 20));
  assert.ok(first.exports.memory.buffer.byteLength > before, "memory grew");

  const second = runtime.instance((i) => (current = i));
  assert.equal(second.exports, first.exports, "same instance");
  // Byte for byte and global for global what a brand-new instance of the module holds.
  const { imports } = buildImports(runtime.module, {});
  const fresh = state(instantiate(runtime.module, imports, () => {}));
  const reused = state(second);
  assert.deepEqual(reused.globals, fresh.globals);
  assert.deepEqual(reused.memory.subarray(0, fresh.memory.length), fresh.memory);
  assert.ok(
    reused.memory.subarray(fresh.memory.length).every((b) => b === 0),
    "memory past a fresh instance's is zeroed",
  );
  // So the same allocations land at the same addresses.
  assert.equal(second.mem.writeString("hello"), a);
});
