// `graph-runner test`: runs matchstick-as test suites the way the Matchstick
// binary (LimeChain/matchstick 0.6) does — same configuration file, test
// discovery, compiler flags, host functions and store semantics — with two
// deliberate differences: a failing hook or a test file that does not compile
// fails the tests it concerns and the run goes on (Matchstick panics and ends the
// run); `log.critical` fails the test instead of ending the run; removing a
// missing entity is a warning (graph-node accepts it, Matchstick fails the test).
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { availableParallelism } from "node:os";
import { dirname, join, relative, resolve } from "node:path";
import { parse as parseYaml } from "yaml";
import { AscMemory } from "./asc.ts";
import { coverageReport, handlerCoverage, type SourceCoverage } from "./coverage.ts";
import { bigIntFromSignedLE, bytesOfHex, decimalToString, hexOf } from "./numbers.ts";
import {
  buildImports,
  graphHostFunctions,
  instantiate,
  MappingAbort,
  parseJsonWithSource,
  writeJson,
  type EntityStore,
  type HostContext,
  type Instance,
} from "./host.ts";
import { parseSchema, type Schema } from "./schema.ts";
import {
  displayValue,
  idString,
  readEntity,
  readValue,
  validateEntity,
  writeValue,
  type Entity,
  type Value,
} from "./values.ts";

/** Matchstick's store: entities in memory, plus the separate in-block (cache) store of `mockInBlockStore`. */
class MemoryStore implements EntityStore {
  readonly schema: Schema;
  entities = new Map<string, Map<string, Entity>>();
  inBlock = new Map<string, Map<string, Entity>>();
  /** graph-node's checks that matchstick does not make: errors when strict, else warnings. */
  readonly strict: boolean;
  warn: (message: string) => void = () => {};
  constructor(schema: Schema, strict: boolean) {
    this.schema = schema;
    this.strict = strict;
  }
  get(type: string, id: string) {
    return this.entities.get(type)?.get(id) ?? null;
  }
  getInBlock(type: string, id: string) {
    return this.inBlock.get(type)?.get(id) ?? null;
  }
  loadRelated(type: string, id: string, field: string): Entity[] {
    const t = this.schema.entities.get(type);
    if (!t) throw new MappingAbort(`Entity type \`${type}\` is not defined in the schema`);
    const f = t.byName.get(field);
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
  /**
   * Matchstick's `update_store`: the entity is replaced by the data the mapping
   * sends (graph-ts sends every field it holds) after its required-field check.
   * graph-node's further checks (unknown fields, value types, enums) fail the
   * write in strict mode and are logged as warnings otherwise.
   */
  #write(target: Map<string, Map<string, Entity>>, type: string, id: string, data: Entity) {
    const t = this.schema.entities.get(type);
    if (!t) throw new MappingAbort(`Entity type \`${type}\` is not defined in the schema`);
    for (const f of t.fields) {
      if (!f.nonNull || f.derivedFrom) continue;
      const v = data[f.name];
      if (v === undefined)
        throw new MappingAbort(`Missing value for non-nullable field '${f.name}' for an entity of type '${type}'.`);
      if (v.kind === "Null")
        throw new MappingAbort(`The required field '${f.name}' for an entity of type '${type}' is null.`);
    }
    try {
      validateEntity(t, id, data, this.schema.enums);
    } catch (e) {
      if (this.strict) throw new MappingAbort((e as Error).message);
      this.warn(`WARNING: graph-node would fail this write: ${(e as Error).message}`);
    }
    if (!target.has(type)) target.set(type, new Map());
    target.get(type)!.set(id, { ...data });
  }
  set(type: string, id: string, data: Entity) {
    this.#write(this.entities, type, id, data);
  }
  setInBlock(type: string, id: string, data: Entity) {
    this.#write(this.inBlock, type, id, data);
  }
  /** Matchstick fails the removal of a missing entity; graph-node does not, and mappings rely on that: a warning. */
  remove(type: string, id: string) {
    if (!this.entities.get(type)?.delete(id))
      this.warn(`WARNING: (store.remove) Entity with type '${type}' and id '${id}' does not exist.`);
  }
}

/** graph-node's `Value` display (matchstick compares `assert.fieldEquals` against it). */
function fieldString(v: Value): string {
  if (v.kind === "Array") return "[" + v.value.map(fieldString).join(", ") + "]";
  if (v.kind === "BigDecimal") return decimalToString(v.value);
  return displayValue(v);
}

const entityJson = (e: Entity) => Object.fromEntries(Object.entries(e).map(([k, v]) => [k, fieldString(v)]));

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

/** An ethereum.Value as matchstick prints it in assertion messages. */
function ethValueText(mem: AscMemory, ptr: number): string {
  const { kind, payload, ptr: p } = mem.readEnum(ptr);
  switch (kind) {
    case 0:
    case 1:
    case 2:
      return hexOf(mem.readBytes(p));
    case 3:
    case 4:
      return String(bigIntFromSignedLE(mem.readBytes(p)));
    case 5:
      return String(payload !== 0n);
    case 6:
      return mem.readString(p);
    default:
      return `[${mem
        .readArray(p)
        .map((x) => ethValueText(mem, x))
        .join(", ")}]`;
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
  /** Test suites to run, as matchstick takes them: path prefixes under the tests folder (`gravity`, `gravity/new_gravatar`). */
  filter?: string[];
  /** Compile every test file even when its wasm is newer than its sources (matchstick's `-r`). */
  recompile?: boolean;
  /**
   * Compile with `--optimize`, as matchstick does (default). Without it asc is about
   * four times faster; this package's CI runs the public suites that way.
   */
  optimize?: boolean;
  /** `-c`: after the tests, report which handlers of the manifest the test modules call. */
  coverage?: boolean;
  /** Fail writes that graph-node would reject but matchstick accepts (wrong value types, unknown enum values …). */
  strict?: boolean;
  out?: (line: string) => void;
}

export interface SuiteResult {
  /** Matchstick's suite name: the path under the tests folder without `.test.ts`, lower case. */
  name: string;
  passed: number;
  failed: number;
  /** Names of the failed tests (`group > test`) with their first error line. */
  failures: { test: string; error: string }[];
}

export interface MatchstickResult {
  passed: number;
  failed: number;
  suites: SuiteResult[];
  coverage?: SourceCoverage[];
}

export interface MatchstickConfig {
  testsFolder: string;
  libsFolder: string;
  manifestPath: string;
}

/** `matchstick.yaml` (testsFolder, libsFolder, manifestPath) with matchstick's defaults, resolved against the project. */
export function readMatchstickConfig(root: string): MatchstickConfig {
  const file = join(root, "matchstick.yaml");
  const raw = existsSync(file) ? ((parseYaml(readFileSync(file, "utf8")) ?? {}) as Record<string, unknown>) : {};
  const pick = (key: string, fallback: string) => resolve(root, typeof raw[key] === "string" ? raw[key] : fallback);
  return {
    testsFolder: pick("testsFolder", "./tests"),
    libsFolder: pick("libsFolder", "./node_modules"),
    manifestPath: pick("manifestPath", "./subgraph.yaml"),
  };
}

/**
 * Matchstick's test discovery: every file whose lower-cased name ends in `.test.ts`,
 * in the tests folder and its sub-folders, named `<folder>/<file>` without `.test.ts`.
 */
export function discoverTests(testsFolder: string): Map<string, string> {
  const files = new Map<string, string>();
  const walk = (dir: string, prefix: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const name = entry.name.toLowerCase();
      const path = join(dir, entry.name);
      if (name.endsWith(".test.ts")) files.set(prefix + name.replace(".test.ts", ""), path);
      else if (entry.isDirectory()) walk(path, `${prefix}${name}/`);
    }
  };
  walk(testsFolder, "");
  return new Map([...files].sort(([a], [b]) => a.localeCompare(b)));
}

/** Matchstick's suite selection: each pattern is a regular expression anchored at the tests folder, matched case-insensitively. */
export function selectTests(files: Map<string, string>, testsFolder: string, patterns: string[]): Map<string, string> {
  if (!patterns.length) return files;
  const matchers = patterns.map((p) => {
    try {
      return new RegExp("^" + p.toLowerCase());
    } catch {
      return { test: (s: string) => s.startsWith(p.toLowerCase()) };
    }
  });
  return new Map(
    [...files].filter(([, path]) => {
      const rel = relative(testsFolder, path).split("\\").join("/").toLowerCase();
      return matchers.some((m) => m.test(rel));
    }),
  );
}

/** Local files a source imports, recursively (matchstick recompiles when any is newer than the wasm). */
function localImports(file: string, seen = new Set<string>()): Set<string> {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch {
    return seen;
  }
  for (const m of text.matchAll(/from\s*["'](\.{1,2}\/[^"']*)["']/g)) {
    const base = resolve(dirname(file), m[1]);
    for (const candidate of [base, base + ".ts", join(base, "index.ts")]) {
      if (existsSync(candidate) && statSync(candidate).isFile()) {
        if (!seen.has(candidate)) {
          seen.add(candidate);
          localImports(candidate, seen);
        }
        break;
      }
    }
  }
  return seen;
}

function needsCompile(source: string, wasm: string): boolean {
  if (!existsSync(wasm)) return true;
  const built = statSync(wasm).mtimeMs;
  return [source, ...localImports(source)].some((f) => statSync(f).mtimeMs > built);
}

/** Compiles a test file with the subgraph's AssemblyScript compiler (matchstick's flags). */
async function compile(
  subgraph: string,
  libsFolder: string,
  file: string,
  outFile: string,
  optimize: boolean,
): Promise<void> {
  const req = createRequire(join(subgraph, "package.json"));
  const self = createRequire(import.meta.url);
  const resolveFrom = (id: string) => {
    for (const r of [req, createRequire(join(libsFolder, "noop.js"))]) {
      try {
        return r.resolve(id);
      } catch {
        // next
      }
    }
    // graph-cli depends on assemblyscript; matchstick uses that same compiler.
    return createRequire(self.resolve("@graphprotocol/graph-cli/package.json")).resolve(id);
  };
  const ascBin = join(dirname(dirname(resolveFrom("assemblyscript/cli/asc"))), "bin", "asc");
  const graphTs = dirname(resolveFrom("@graphprotocol/graph-ts/package.json"));
  const libs = [dirname(dirname(graphTs))];
  for (const local of [libsFolder, join(subgraph, "node_modules")])
    if (existsSync(local) && !libs.includes(local)) libs.unshift(local);
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
    ...(optimize ? ["--optimize"] : []),
    "--debug",
    "--outFile",
    outFile,
  ];
  mkdirSync(dirname(outFile), { recursive: true });
  rmSync(outFile, { force: true });
  // A separate process, as matchstick runs it: asc exits the process when it crashes.
  let stderr = "";
  const code = await new Promise<number>((res) => {
    const child = spawn(process.execPath, [ascBin, ...args], { cwd: subgraph, stdio: ["ignore", "pipe", "pipe"] });
    child.stdout.on("data", (d) => (stderr += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.on("close", (c) => res(c ?? 1));
  });
  if (code !== 0 || !existsSync(outFile)) throw new Error(`compiling ${file} failed:\n${stderr}`);
}

/** Templates of the manifest (name → kind), for `dataSource.create` and the data-source asserts. */
function readTemplates(manifestPath: string): Map<string, string> {
  const out = new Map<string, string>();
  if (!existsSync(manifestPath)) return out;
  const raw = parseYaml(readFileSync(manifestPath, "utf8")) as { templates?: { name: string; kind: string }[] };
  for (const t of raw?.templates ?? []) out.set(t.name, t.kind);
  return out;
}

function readProjectSchema(root: string, manifestPath: string): Schema {
  const candidates: string[] = [];
  if (existsSync(manifestPath)) {
    const raw = parseYaml(readFileSync(manifestPath, "utf8")) as { schema?: { file?: string } };
    if (raw?.schema?.file) candidates.push(resolve(dirname(manifestPath), raw.schema.file));
  }
  candidates.push(join(root, "schema.graphql"), join(root, "build", "schema.graphql"));
  const file = candidates.find(existsSync);
  if (!file) throw new Error(`schema.graphql not found (manifest ${manifestPath})`);
  return parseSchema(readFileSync(file, "utf8"));
}

/** Number of `test(` calls in a file, to count the tests of a file that cannot run. */
function countTestCalls(file: string): number {
  const text = readFileSync(file, "utf8").replace(/\/\/.*$/gm, "");
  return Math.max(1, (text.match(/(^|[^\w.])test\s*\(/g) ?? []).length);
}

export async function runMatchstickTests(opts: MatchstickOptions): Promise<MatchstickResult> {
  const out = opts.out ?? ((l: string) => console.log(l));
  const root = resolve(opts.subgraph);
  const config = readMatchstickConfig(root);
  if (!existsSync(config.testsFolder)) throw new Error(`no tests folder ${config.testsFolder}`);
  const schema = readProjectSchema(root, config.manifestPath);
  const templates = readTemplates(config.manifestPath);
  const all = discoverTests(config.testsFolder);
  if (!all.size) throw new Error("No tests have been written yet.");
  const files = selectTests(all, config.testsFolder, opts.filter ?? []);
  if (!files.size) throw new Error(`No tests match set patterns: ${(opts.filter ?? []).join(",")}`);
  // Coverage reads handler names from the modules; --optimize inlines small handlers away
  // (a tested handler would read as untested), so coverage runs compile without it.
  const optimize = opts.optimize ?? !opts.coverage;
  const binDir = join(config.testsFolder, ".bin", optimize ? "" : "unoptimized");
  const result: MatchstickResult = { passed: 0, failed: 0, suites: [] };
  // Compile first (as matchstick does), a few files at a time: each asc run is its own process.
  const compileErrors = new Map<string, Error>();
  const queue = [...files].filter(([name, file]) => opts.recompile || needsCompile(file, join(binDir, name + ".wasm")));
  const worker = async () => {
    for (let next = queue.shift(); next; next = queue.shift()) {
      const [name, file] = next;
      await compile(root, config.libsFolder, file, join(binDir, name + ".wasm"), optimize).catch((e) =>
        compileErrors.set(name, e as Error),
      );
    }
  };
  await Promise.all(Array.from({ length: Math.min(availableParallelism(), 4) }, worker));
  for (const [name, file] of files) {
    const wasmFile = join(binDir, name + ".wasm");
    out(`\n${name}`);
    out("-".repeat(50));
    let r: SuiteResult;
    try {
      const compileError = compileErrors.get(name);
      if (compileError) throw compileError;
      const module = new WebAssembly.Module(readFileSync(wasmFile));
      r = runFile(name, module, { root, schema, templates, strict: !!opts.strict }, out);
    } catch (e) {
      // The file does not compile or its top-level code fails: each of its tests fails.
      const n = countTestCalls(file);
      const error = (e as Error).message;
      out(`  ✘ ${n} test(s) not run: ${error}`);
      r = {
        name,
        passed: 0,
        failed: n,
        failures: [{ test: "(file)", error: error.split("\n").slice(0, 6).join(" ") }],
      };
    }
    result.passed += r.passed;
    result.failed += r.failed;
    result.suites.push(r);
  }
  if (result.failed) {
    out("\nFailed tests:\n");
    for (const s of result.suites.filter((x) => x.failures.length)) {
      out(s.name);
      for (const f of s.failures) out(`  ${f.test}: ${f.error.split("\n")[0]}`);
    }
  }
  out(`\n${result.passed} passed, ${result.failed} failed, ${result.passed + result.failed} total`);
  if (opts.coverage) {
    result.coverage = handlerCoverage(config.manifestPath, binDir, [...files.keys()]);
    out("\nRunning in coverage report mode.\n");
    for (const l of coverageReport(result.coverage)) out(l);
  }
  return result;
}

interface FileEnv {
  strict: boolean;
  root: string;
  schema: Schema;
  templates: Map<string, string>;
}

interface DataSourceInfo {
  kind: string;
  name: string;
  address: string;
  context: Entity | null;
}

function runFile(suite: string, module: WebAssembly.Module, env: FileEnv, out: (l: string) => void): SuiteResult {
  const store = new MemoryStore(env.schema, env.strict);
  let inst: Instance | null = null;
  let registrations: Registration[] = [];
  let registering = true;
  const mocks = new Map<string, number | null>();
  const ds = { address: null as string | null, network: "mainnet", context: {} as Entity };
  const ipfsFiles = new Map<string, string>();
  const dataSources = new Map<string, Map<string, DataSourceInfo>>(
    [...env.templates.keys()].map((t) => [t, new Map()]),
  );
  let logs: string[] = [];
  const ctx: HostContext = {
    store,
    block: 0,
    dataSource: {
      name: "test",
      get network() {
        return ds.network;
      },
      get context() {
        return ds.context;
      },
      abis: new Map(),
    },
    log: (level, message) =>
      logs.push(`${["CRITICAL", "ERROR", "WARNING", "INFO", "DEBUG"][level] ?? level}: ${message}`),
  };
  const mem = () => inst!.mem;
  const str = (p: number) => mem().readString(p);
  const fail = (message: string) => {
    logs.push(message);
    return 0;
  };
  const debug = (text: string) => logs.push(...text.split("\n"));
  store.warn = (message) => logs.push(message);
  const fieldEquals = (type: string, id: string, field: string, expected: string, message?: string) => {
    const all = store.entities.get(type);
    if (!all) return fail(message ?? `(assert.fieldEquals) No entities with type '${type}' found.`);
    const e = all.get(id);
    if (!e) return fail(message ?? `(assert.fieldEquals) No entity with type '${type}' and id '${id}' found.`);
    const v = e[field];
    if (v === undefined)
      return fail(
        message ?? `(assert.fieldEquals) No field named '${field}' on entity with type '${type}' and id '${id}' found.`,
      );
    const actual = fieldString(v);
    if (actual === expected) return 1;
    return fail(
      message ?? `(assert.fieldEquals) Expected field '${field}' to equal '${expected}', but was '${actual}' instead.`,
    );
  };
  const equals = (a: number, b: number, message?: string) => {
    if (ethValueKey(mem(), a) === ethValueKey(mem(), b)) return 1;
    return fail(
      message ??
        `(assert.equals) Expected value was '${ethValueText(mem(), a)}' but actual value was '${ethValueText(mem(), b)}'`,
    );
  };
  const notInStore = (type: string, id: string, message?: string) =>
    store.get(type, id) === null
      ? 1
      : fail(message ?? `(assert.notInStore) Value for entity type: '${type}' and id: '${id}' was found in store.`);
  const dataSourceCount = (template: string, expected: number, message?: string) => {
    const t = dataSources.get(template);
    if (!t) return fail(message ?? `(assert.dataSourceCoutn) No template with name '${template}' found.`);
    if (t.size === expected) return 1;
    return fail(
      message ??
        `(assert.dataSourceCount) Expected dataSource count for template \`${template}\` to be '${expected}' but was '${t.size}'`,
    );
  };
  const dataSourceExists = (template: string, address: string, message?: string) => {
    const t = dataSources.get(template);
    if (!t) return fail(message ?? `(assert.dataSourceExists) No template with name '${template}' found.`);
    if (t.has(address)) return 1;
    return fail(
      message ?? `(assert.dataSourceExists) No dataSource with address '${address}' found for template '${template}'`,
    );
  };
  const createDataSource = (name: string, params: string[], context: Entity | null) => {
    const t = dataSources.get(name);
    if (!t)
      throw new MappingAbort(
        `Failed to create data source from name \`${name}\`: No template with this name available. Available names: ${[...env.templates.keys()].join(", ")}.`,
      );
    t.set(params[0], { kind: env.templates.get(name)!, name, address: params[0], context });
  };
  const readProjectFile = (path: string, what: string) => {
    try {
      return readFileSync(resolve(env.root, path));
    } catch (e) {
      throw new MappingAbort(`Failed to read file \`${path}\` with error: ${(e as Error).message} (${what})`);
    }
  };
  const ipfsFile = (hash: string) => {
    const path = ipfsFiles.get(hash);
    if (path === undefined) throw new MappingAbort(`IPFS file \`${hash}\` not found`);
    return readProjectFile(path, "ipfs");
  };
  const fns = {
    ...graphHostFunctions(mem, () => ctx),
    _registerTest: (name: number, shouldFail: number, idx: number) =>
      void (registering && registrations.push({ name: str(name), role: "test", idx, shouldFail: !!shouldFail })),
    _registerDescribe: (name: number, idx: number) =>
      void (registering && registrations.push({ name: str(name), role: "describe", idx, shouldFail: false })),
    _registerHook: (idx: number, type: number) =>
      void (registering && registrations.push({ name: "", role: str(type) as Role, idx, shouldFail: false })),
    clearStore: () => store.entities.clear(),
    clearInBlockStore: () => store.inBlock.clear(),
    mockInBlockStore: (entity: number, id: number, data: number) =>
      store.setInBlock(str(entity), str(id), readEntity(mem(), data)),
    countEntities: (type: number) => store.entities.get(str(type))?.size ?? 0,
    logStore: () =>
      debug(
        JSON.stringify(
          Object.fromEntries(
            [...store.entities].map(([t, m]) => [t, Object.fromEntries([...m].map(([id, e]) => [id, entityJson(e)]))]),
          ),
          null,
          2,
        ),
      ),
    logEntity: (entity: number, id: number, showRelated: number) => {
      const type = str(entity);
      const t = env.schema.entities.get(type);
      if (!t) throw new MappingAbort(`(logEntity) Entity "${type}" does not match any of the schema definitions`);
      const e = store.get(type, str(id));
      const shown: Record<string, unknown> = e ? entityJson(e) : {};
      if (e && showRelated)
        for (const f of t.fields.filter((x) => x.derivedFrom))
          shown[f.name] = store.loadRelated(type, str(id), f.name).map(entityJson);
      debug(JSON.stringify(shown, null, 2));
    },
    logDataSources: (template: number) => {
      const name = str(template);
      const t = dataSources.get(name);
      if (!t) throw new MappingAbort(`(logDataSources) No template with name '${name}' found.`);
      debug(
        JSON.stringify(
          Object.fromEntries(
            [...t].map(([a, d]) => [a, { ...d, context: d.context && { data: entityJson(d.context) } }]),
          ),
          null,
          2,
        ),
      );
    },
    "_assert.fieldEquals": (t: number, id: number, f: number, v: number) =>
      fieldEquals(str(t), str(id), str(f), str(v)),
    "_assert.fieldEqualsWithMessage": (t: number, id: number, f: number, v: number, m: number) =>
      fieldEquals(str(t), str(id), str(f), str(v), str(m)),
    "_assert.equals": (a: number, b: number) => equals(a, b),
    "_assert.equalsWithMessage": (a: number, b: number, m: number) => equals(a, b, str(m)),
    "_assert.notInStore": (t: number, id: number) => notInStore(str(t), str(id)),
    "_assert.notInStoreWithMessage": (t: number, id: number, m: number) => notInStore(str(t), str(id), str(m)),
    "_assert.dataSourceCount": (t: number, n: number) => dataSourceCount(str(t), n),
    "_assert.dataSourceCountWithMessage": (t: number, n: number, m: number) => dataSourceCount(str(t), n, str(m)),
    "_assert.dataSourceExists": (t: number, a: number) => dataSourceExists(str(t), str(a)),
    "_assert.dataSourceExistsWithMessage": (t: number, a: number, m: number) =>
      dataSourceExists(str(t), str(a), str(m)),
    mockFunction: (
      address: number,
      name: number,
      signature: number,
      args: number,
      returnValue: number,
      reverts: number,
    ) => {
      const m = mem();
      const fnName = str(name);
      const sig = str(signature);
      if (sig.split("(")[0] !== fnName)
        throw new MappingAbort(
          `createMockedFunction: function name \`${fnName}\` should match the name in the function signature \`${sig}\``,
        );
      const argList = m.readArray(args);
      const inner = sig.slice(fnName.length + 1).split("):")[0];
      let depth = 0;
      let count = inner.trim() ? 1 : 0;
      for (const ch of inner) {
        if (ch === "(" || ch === "[") depth++;
        else if (ch === ")" || ch === "]") depth--;
        else if (ch === "," && depth === 0) count++;
      }
      if (count !== argList.length)
        throw new MappingAbort(`${fnName} expected ${count} arguments, but received ${argList.length}`);
      const key = [hexOf(m.readBytes(address)), fnName, sig, ...argList.map((p) => ethValueKey(m, p))].join("|");
      mocks.set(key, reverts ? null : returnValue);
    },
    "ethereum.call": (call: number) => {
      const m = mem();
      const address = hexOf(m.readBytes(m.readField(call, 1)));
      const name = m.readString(m.readField(call, 2));
      const signature = m.readString(m.readField(call, 3));
      const args = m.readArray(m.readField(call, 4));
      const key = [address, name, signature, ...args.map((p) => ethValueKey(m, p))].join("|");
      if (!mocks.has(key))
        throw new MappingAbort(
          `Could not find a mocked function with the following parameters, address: ${address}, name: ${name}, signature ${signature}, params: [${args.map((p) => ethValueText(m, p)).join(", ")}].`,
        );
      return mocks.get(key) ?? 0;
    },
    "dataSourceMock.setReturnValues": (address: number, network: number, context: number) => {
      ds.address = str(address);
      ds.network = str(network);
      ds.context = context ? readEntity(mem(), context) : {};
    },
    // A mocked address that is not an Ethereum address (a file data source's CID) is returned as its UTF-8 bytes.
    "dataSource.address": () => {
      const zero = "0x" + "00".repeat(20);
      if (ds.address === null) {
        logs.push("ERROR: No mocked Eth address or Ipfs CID found, so fallback to Eth Zero address");
        return mem().writeBytes(new Uint8Array(20));
      }
      const hex = /^(0x)?[0-9a-fA-F]{40}$/.test(ds.address) ? bytesOfHex(ds.address.replace(/^(0x)?/, "0x")) : null;
      if (hex && (hex.some((b) => b !== 0) || ds.address === zero)) return mem().writeBytes(hex);
      return mem().writeBytes(new Uint8Array(Buffer.from(ds.address, "utf8")));
    },
    "dataSource.create": (name: number, params: number) =>
      createDataSource(str(name), mem().readArray(params).map(str), null),
    "dataSource.createWithContext": (name: number, params: number, context: number) =>
      createDataSource(str(name), mem().readArray(params).map(str), readEntity(mem(), context)),
    // Matchstick's ENS lookup answers every hash with "default".
    "ens.nameByHash": () => mem().writeString("default"),
    mockIpfsFile: (hash: number, path: number) => void ipfsFiles.set(str(hash), str(path)),
    readFile: (path: number) => {
      const p = str(path);
      return mem().writeBytes(new Uint8Array(readProjectFile(p, "readFile")));
    },
    "ipfs.cat": (hash: number) => mem().writeBytes(new Uint8Array(ipfsFile(str(hash)))),
    // Like graph-node: the file is a JSON array (or one JSON value per line); each value goes to the
    // exported callback in a fresh instance of the module, whose store writes are kept.
    "ipfs.map": (link: number, callback: number, userData: number) => {
      const text = ipfsFile(str(link)).toString("utf8");
      const name = str(callback);
      const data = readValue(mem(), userData);
      let values: ReturnType<typeof parseJsonWithSource>[];
      try {
        const whole = parseJsonWithSource(text);
        values = Array.isArray(whole) ? whole : [whole];
      } catch {
        values = text
          .split("\n")
          .filter((l) => l.trim())
          .map(parseJsonWithSource);
      }
      const outer = inst;
      registering = false;
      try {
        const fresh = instantiate(module, imports, (i) => (inst = i));
        const fn = fresh.exports[name];
        if (typeof fn !== "function") throw new MappingAbort(`function ${name} not found`);
        for (const v of values) {
          inst = fresh;
          const valuePtr = writeJson(fresh.mem, v);
          const dataPtr = writeValue(fresh.mem, data);
          (fn as (a: number, b: number) => void)(valuePtr, dataPtr);
        }
      } finally {
        inst = outer;
        registering = true;
      }
    },
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
    /** A describe body that failed while registering its tests. */
    error?: Error;
  }
  const collect = (name: string, items: Registration[]): Group => {
    const g: Group = { name, items, children: new Map() };
    for (const r of items.filter((x) => x.role === "describe")) {
      registrations = [];
      let error: Error | undefined;
      try {
        call(r.idx);
      } catch (e) {
        error = e as Error;
      }
      const child = collect(r.name, registrations);
      child.error = error;
      g.children.set(r.idx, child);
    }
    return g;
  };
  const rootGroup = collect("", registrations);

  const result: SuiteResult = { name: suite, passed: 0, failed: 0, failures: [] };
  const pad = (depth: number) => "  ".repeat(depth);
  const tryAll = (idxs: number[]): Error | null => {
    for (const idx of idxs) {
      try {
        call(idx);
      } catch (e) {
        return e as Error;
      }
    }
    return null;
  };
  const record = (path: string[], ok: boolean, depth: number, error?: string) => {
    const name = path[path.length - 1];
    if (ok) result.passed++;
    else {
      result.failed++;
      result.failures.push({ test: path.join(" > "), error: error ?? "" });
    }
    out(`${pad(depth)}${ok ? "✔" : "✘"} ${name}`);
    for (const l of logs) out(`${pad(depth + 2)}${l}`);
    if (!ok && error) out(`${pad(depth + 2)}${error}`);
  };
  /** Fails every test of a group (a failed beforeAll or describe body). */
  const failAll = (g: Group, path: string[], depth: number, error: string) => {
    for (const r of g.items) {
      if (r.role === "test") {
        logs = [];
        record([...path, r.name], false, depth, error);
      } else if (r.role === "describe") {
        out(`${pad(depth)}${r.name}:`);
        failAll(g.children.get(r.idx)!, [...path, r.name], depth + 1, error);
      }
    }
  };
  const run = (g: Group, path: string[], depth: number, beforeEach: number[], afterEach: number[]) => {
    const hooks = (role: Role) => g.items.filter((r) => r.role === role).map((r) => r.idx);
    const be = [...beforeEach, ...hooks("beforeEach")];
    const ae = [...hooks("afterEach"), ...afterEach];
    if (g.error) return failAll(g, path, depth, `describe body failed: ${g.error.message}`);
    logs = [];
    const beforeAllError = tryAll(hooks("beforeAll"));
    if (beforeAllError) {
      const where = path.length ? `of "${path.join(" > ")}"` : "of the file";
      failAll(g, path, depth, `beforeAll hook ${where} failed: ${beforeAllError.message}`);
    } else {
      for (const r of g.items) {
        if (r.role === "describe") {
          out(`${pad(depth)}${r.name}:`);
          run(g.children.get(r.idx)!, [...path, r.name], depth + 1, be, ae);
        } else if (r.role === "test") {
          logs = [];
          let error: string | undefined;
          const beforeError = tryAll(be);
          if (beforeError) error = `beforeEach hook failed: ${beforeError.message}`;
          else {
            let thrown: Error | null = null;
            try {
              call(r.idx);
            } catch (e) {
              thrown = e as Error;
            }
            if (r.shouldFail && !thrown) error = "Expected test to fail but it passed successfully!";
            else if (!r.shouldFail && thrown) error = thrown.message;
          }
          const afterError = tryAll(ae);
          if (afterError && !error) error = `afterEach hook failed: ${afterError.message}`;
          record([...path, r.name], !error, depth, error);
        }
      }
    }
    logs = [];
    const afterAllError = tryAll(hooks("afterAll"));
    if (afterAllError) {
      result.failed++;
      const test = `${path.length ? path.join(" > ") : "(file)"} afterAll`;
      result.failures.push({ test, error: afterAllError.message });
      out(`${pad(depth)}✘ afterAll hook failed: ${afterAllError.message}`);
    }
  };
  run(rootGroup, [], 1, [], []);
  return result;
}
