// `graph-runner test`: compiles tests/*.test.ts written against matchstick-as
// 0.6 with graph-cli's AssemblyScript compiler (same flags as matchstick) and
// runs them with matchstick's host functions on an in-memory store.
import { existsSync, mkdirSync, readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { basename, dirname, join, resolve } from "node:path";
import { AscMemory } from "./asc.ts";
import { bigIntFromSignedLE, bytesOfHex, decimalToString, hexOf } from "./numbers.ts";
import {
  buildImports,
  graphHostFunctions,
  instantiate,
  MappingAbort,
  type EntityStore,
  type HostContext,
  type Instance,
} from "./host.ts";
import { parseSchema, type Schema } from "./schema.ts";
import { displayValue, idString, readEntity, validateEntity, type Entity, type Value } from "./values.ts";

/** matchstick's store: entities in memory, validated against the schema. */
class MemoryStore implements EntityStore {
  readonly schema: Schema;
  entities = new Map<string, Map<string, Entity>>();
  inBlock = new Map<string, Map<string, Entity>>();
  constructor(schema: Schema) {
    this.schema = schema;
  }
  #type(name: string) {
    const t = this.schema.entities.get(name);
    if (!t) throw new MappingAbort(`Entity type \`${name}\` is not defined in the schema`);
    return t;
  }
  get(type: string, id: string) {
    this.#type(type);
    return this.entities.get(type)?.get(id) ?? null;
  }
  getInBlock(type: string, id: string) {
    return this.inBlock.get(type)?.get(id) ?? null;
  }
  loadRelated(type: string, id: string, field: string): Entity[] {
    const f = this.#type(type).byName.get(field);
    if (!f?.derivedFrom) throw new MappingAbort(`Entity ${type}: field \`${field}\` is not a derived field`);
    const targets = this.schema.entities.has(f.type)
      ? [f.type]
      : (this.schema.interfaces.get(f.type)?.implementers ?? []);
    return targets.flatMap((t) =>
      [...(this.entities.get(t)?.values() ?? [])].filter((e) => {
        const ref = e[f.derivedFrom!];
        return ref && (ref.kind === "Array" ? ref.value.some((x) => idString(x) === id) : idString(ref) === id);
      }),
    );
  }
  set(type: string, id: string, data: Entity) {
    const t = this.#type(type);
    const merged: Entity = { ...(this.get(type, id) ?? {}) };
    for (const [k, v] of Object.entries(data)) {
      if (v.kind === "Null") delete merged[k];
      else merged[k] = v;
    }
    merged.id ??= t.idType === "Bytes" ? { kind: "Bytes", value: bytesOfHex(id) } : { kind: "String", value: id };
    validateEntity(t, id, merged, this.schema.enums);
    if (!this.entities.has(type)) this.entities.set(type, new Map());
    this.entities.get(type)!.set(id, merged);
    if (!this.inBlock.has(type)) this.inBlock.set(type, new Map());
    this.inBlock.get(type)!.set(id, merged);
  }
  remove(type: string, id: string) {
    this.entities.get(type)?.delete(id);
    this.inBlock.get(type)?.delete(id);
  }
}

/** matchstick's string form of a field value for `assert.fieldEquals`. */
function fieldString(v: Value): string {
  if (v.kind === "Array") return "[" + v.value.map(fieldString).join(", ") + "]";
  if (v.kind === "BigDecimal") return decimalToString(v.value);
  return displayValue(v);
}

/** An ethereum.Value as comparable text, independent of any ABI. */
function ethValueKey(mem: AscMemory, ptr: number): string {
  const { kind, payload, ptr: p } = mem.readEnum(ptr);
  switch (kind) {
    case 0:
    case 1:
    case 2:
      return `${kind}:${hexOf(mem.readBytes(p))}`;
    case 3:
    case 4:
      return `${kind}:${bigIntFromSignedLE(mem.readBytes(p))}`;
    case 5:
      return `5:${payload !== 0n}`;
    case 6:
      return `6:${JSON.stringify(mem.readString(p))}`;
    default:
      return `${kind}:[${mem
        .readArray(p)
        .map((x) => ethValueKey(mem, x))
        .join(",")}]`;
  }
}

type Role = "test" | "describe" | "beforeAll" | "afterAll" | "beforeEach" | "afterEach";
interface Registration {
  name: string;
  role: Role;
  idx: number;
  shouldFail: boolean;
}

export interface MatchstickOptions {
  subgraph: string;
  /** Only test files whose name contains one of these. */
  filter?: string[];
  out?: (line: string) => void;
}

/** Compiles a test file with the subgraph's AssemblyScript compiler (matchstick's flags). */
async function compile(subgraph: string, file: string, outFile: string): Promise<void> {
  const req = createRequire(join(subgraph, "package.json"));
  const self = createRequire(import.meta.url);
  const resolveFrom = (id: string) => {
    try {
      return req.resolve(id);
    } catch {
      // graph-cli depends on assemblyscript; matchstick uses that same compiler.
      return createRequire(self.resolve("@graphprotocol/graph-cli/package.json")).resolve(id);
    }
  };
  const ascPath = resolveFrom("assemblyscript/cli/asc");
  const asc = self(ascPath);
  await asc.ready;
  const graphTs = dirname(resolveFrom("@graphprotocol/graph-ts/package.json"));
  const libs = [dirname(dirname(graphTs))];
  const local = join(subgraph, "node_modules");
  if (existsSync(local) && !libs.includes(local)) libs.unshift(local);
  let stderr = "";
  const capture = { write: (s: string) => ((stderr += s), true) };
  const args = [
    file,
    join(graphTs, "global", "global.ts"),
    "--lib",
    libs.join(","),
    "--explicitStart",
    "--exportTable",
    "--exportRuntime",
    "--runtime",
    "stub",
    "--optimize",
    "--debug",
    "--outFile",
    outFile,
  ];
  const code = await new Promise<number>((res) => {
    const r = asc.main(args, { stdout: capture, stderr: capture }, (err: Error | null) => {
      if (err) stderr += String(err);
      res(err ? 1 : 0);
      return 0;
    });
    if (typeof r === "number" && r !== 0) res(r);
  });
  if (code !== 0 || !existsSync(outFile)) throw new Error(`compiling ${file} failed:\n${stderr}`);
}

export async function runMatchstickTests(opts: MatchstickOptions): Promise<{ passed: number; failed: number }> {
  const out = opts.out ?? ((l: string) => console.log(l));
  const root = resolve(opts.subgraph);
  const testsDir = join(root, "tests");
  const schemaFile = [join(root, "schema.graphql"), join(root, "build", "schema.graphql")].find(existsSync);
  if (!schemaFile) throw new Error(`schema.graphql not found in ${root}`);
  const schema = parseSchema(readFileSync(schemaFile, "utf8"));
  if (!existsSync(testsDir)) throw new Error(`no tests/ directory in ${root}`);
  const files = readdirSync(testsDir)
    .filter((f) => f.endsWith(".test.ts"))
    .filter((f) => !opts.filter?.length || opts.filter.some((x) => f.includes(x)))
    .sort();
  if (!files.length) throw new Error(`no tests/*.test.ts files in ${root}`);
  const binDir = join(testsDir, ".bin");
  mkdirSync(binDir, { recursive: true });
  let passed = 0;
  let failed = 0;
  for (const f of files) {
    const wasmFile = join(binDir, basename(f, ".ts") + ".wasm");
    await compile(root, join(testsDir, f), wasmFile);
    out(`${f}`);
    const r = runFile(new WebAssembly.Module(readFileSync(wasmFile)), schema, out);
    passed += r.passed;
    failed += r.failed;
  }
  out(`\n${passed} passed, ${failed} failed`);
  return { passed, failed };
}

function runFile(
  module: WebAssembly.Module,
  schema: Schema,
  out: (l: string) => void,
): { passed: number; failed: number } {
  const store = new MemoryStore(schema);
  let inst: Instance | null = null;
  let registrations: Registration[] = [];
  const mocks = new Map<string, number | null>();
  const ds = { address: "0x" + "00".repeat(20), network: "mainnet", context: {} as Entity };
  let logs: string[] = [];
  const ctx: HostContext = {
    store,
    block: 0,
    dataSource: {
      name: "test",
      get address() {
        return ds.address;
      },
      get network() {
        return ds.network;
      },
      get context() {
        return ds.context;
      },
      abis: new Map(),
    },
    log: (level, message) =>
      logs.push(`  ${["CRITICAL", "ERROR", "WARNING", "INFO", "DEBUG", "SUCCESS"][level] ?? level}: ${message}`),
  };
  const mem = () => inst!.mem;
  const str = (p: number) => mem().readString(p);
  const fail = (message: string) => {
    logs.push(`  ${message}`);
    return 0;
  };
  const fieldEquals = (type: string, id: string, field: string, expected: string, message?: string) => {
    const e = store.get(type, id);
    if (!e) return fail(message ?? `Assertion Error: entity ${type}[${id}] not found`);
    const v = e[field];
    const actual = v ? fieldString(v) : "null";
    if (actual === expected) return 1;
    return fail(
      message ??
        `Assertion Error: field '${field}' on entity '${type}' with id '${id}' is '${actual}', expected '${expected}'`,
    );
  };
  const equals = (a: number, b: number, message?: string) => {
    const x = ethValueKey(mem(), a);
    const y = ethValueKey(mem(), b);
    return x === y ? 1 : fail(message ?? `Assertion Error: expected ${x}, got ${y}`);
  };
  const notInStore = (type: string, id: string, message?: string) =>
    store.get(type, id) === null ? 1 : fail(message ?? `Assertion Error: entity ${type}[${id}] is in the store`);
  const unsupported = (name: string) => () => {
    throw new MappingAbort(`${name} is not implemented by graph-runner's matchstick mode`);
  };
  const fns = {
    ...graphHostFunctions(mem, () => ctx),
    _registerTest: (name: number, shouldFail: number, idx: number) =>
      void registrations.push({ name: str(name), role: "test", idx, shouldFail: !!shouldFail }),
    _registerDescribe: (name: number, idx: number) =>
      void registrations.push({ name: str(name), role: "describe", idx, shouldFail: false }),
    _registerHook: (idx: number, type: number) =>
      void registrations.push({ name: "", role: str(type) as Role, idx, shouldFail: false }),
    clearStore: () => {
      store.entities.clear();
      store.inBlock.clear();
    },
    clearInBlockStore: () => store.inBlock.clear(),
    mockInBlockStore: (entity: number, id: number, data: number) => {
      const t = str(entity);
      if (!store.inBlock.has(t)) store.inBlock.set(t, new Map());
      store.inBlock.get(t)!.set(str(id), readEntity(mem(), data));
    },
    countEntities: (type: number) => store.entities.get(str(type))?.size ?? 0,
    logStore: () =>
      out(
        JSON.stringify(
          Object.fromEntries(
            [...store.entities].map(([t, m]) => [
              t,
              Object.fromEntries(
                [...m].map(([id, e]) => [
                  id,
                  Object.fromEntries(Object.entries(e).map(([k, v]) => [k, fieldString(v)])),
                ]),
              ),
            ]),
          ),
          null,
          2,
        ),
      ),
    logEntity: (entity: number, id: number) => {
      const e = store.get(str(entity), str(id));
      out(
        e
          ? JSON.stringify(Object.fromEntries(Object.entries(e).map(([k, v]) => [k, fieldString(v)])), null, 2)
          : "null",
      );
    },
    logDataSources: unsupported("logDataSources"),
    "_assert.fieldEquals": (t: number, id: number, f: number, v: number) =>
      fieldEquals(str(t), str(id), str(f), str(v)),
    "_assert.fieldEqualsWithMessage": (t: number, id: number, f: number, v: number, m: number) =>
      fieldEquals(str(t), str(id), str(f), str(v), str(m)),
    "_assert.equals": (a: number, b: number) => equals(a, b),
    "_assert.equalsWithMessage": (a: number, b: number, m: number) => equals(a, b, str(m)),
    "_assert.notInStore": (t: number, id: number) => notInStore(str(t), str(id)),
    "_assert.notInStoreWithMessage": (t: number, id: number, m: number) => notInStore(str(t), str(id), str(m)),
    "_assert.dataSourceCount": unsupported("assert.dataSourceCount"),
    "_assert.dataSourceCountWithMessage": unsupported("assert.dataSourceCount"),
    "_assert.dataSourceExists": unsupported("assert.dataSourceExists"),
    "_assert.dataSourceExistsWithMessage": unsupported("assert.dataSourceExists"),
    mockFunction: (
      address: number,
      name: number,
      signature: number,
      args: number,
      returnValue: number,
      reverts: number,
    ) => {
      const m = mem();
      const key = [
        hexOf(m.readBytes(address)),
        str(name),
        str(signature),
        ...m.readArray(args).map((p) => ethValueKey(m, p)),
      ].join("|");
      mocks.set(key, reverts ? null : returnValue);
    },
    "ethereum.call": (call: number) => {
      const m = mem();
      const key = [
        hexOf(m.readBytes(m.readField(call, 1))),
        m.readString(m.readField(call, 2)),
        m.readString(m.readField(call, 3)),
        ...m.readArray(m.readField(call, 4)).map((p) => ethValueKey(m, p)),
      ].join("|");
      if (!mocks.has(key))
        throw new MappingAbort(
          `Could not find a mocked function for ethereum.call ${key.split("|").slice(0, 3).join(" ")}; use createMockedFunction`,
        );
      return mocks.get(key) ?? 0;
    },
    "dataSourceMock.setReturnValues": (address: number, network: number, context: number) => {
      ds.address = str(address);
      ds.network = str(network);
      ds.context = context ? readEntity(mem(), context) : {};
    },
    "dataSource.address": () => mem().writeBytes(bytesOfHex(ds.address)),
    mockIpfsFile: unsupported("mockIpfsFile"),
    readFile: unsupported("readFile"),
  };
  const { imports, missing } = buildImports(module, fns);
  if (missing.length) out(`  note: host functions not implemented (fail if called): ${missing.join(", ")}`);
  instantiate(module, imports, (i) => (inst = i));
  const table = inst!.exports.table as WebAssembly.Table | undefined;
  if (!table) throw new Error("test module exports no table (compile with --exportTable)");
  const call = (idx: number) => (table.get(idx) as () => void)();

  // describe() bodies register their own tests; run them to collect the tree.
  interface Group {
    name: string;
    items: Registration[];
    children: Map<number, Group>;
  }
  const collect = (name: string, items: Registration[]): Group => {
    const g: Group = { name, items, children: new Map() };
    for (const r of items.filter((x) => x.role === "describe")) {
      registrations = [];
      call(r.idx);
      g.children.set(r.idx, collect(r.name, registrations));
    }
    return g;
  };
  const rootGroup = collect("", registrations);

  let passed = 0;
  let failed = 0;
  const run = (g: Group, depth: number, beforeEach: number[], afterEach: number[]) => {
    const hooks = (role: Role) => g.items.filter((r) => r.role === role).map((r) => r.idx);
    const be = [...beforeEach, ...hooks("beforeEach")];
    const ae = [...hooks("afterEach"), ...afterEach];
    hooks("beforeAll").forEach(call);
    for (const r of g.items) {
      if (r.role === "describe") {
        out(`${"  ".repeat(depth)}${r.name}`);
        run(g.children.get(r.idx)!, depth + 1, be, ae);
      } else if (r.role === "test") {
        logs = [];
        let error: Error | null = null;
        try {
          be.forEach(call);
          call(r.idx);
        } catch (e) {
          error = e as Error;
        }
        try {
          ae.forEach(call);
        } catch (e) {
          error ??= e as Error;
        }
        const ok = r.shouldFail ? error !== null : error === null;
        if (ok) passed++;
        else failed++;
        out(`${"  ".repeat(depth)}${ok ? "✔" : "✘"} ${r.name}`);
        if (!ok) {
          for (const l of logs) out(`${"  ".repeat(depth)}${l}`);
          out(`${"  ".repeat(depth)}  ${r.shouldFail ? "expected the test to fail, but it passed" : error!.message}`);
        }
      }
    }
    hooks("afterAll").forEach(call);
  };
  run(rootGroup, 1, [], []);
  return { passed, failed };
}
