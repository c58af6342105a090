// The built subgraph (`graph build` output): build/subgraph.yaml, the mapping
// wasm files, ABIs and schema.graphql.
import { existsSync, readFileSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { keccak256, stringToHex, toEventSelector, type AbiEvent, type AbiFunction, type AbiParameter } from "viem";
import { parse as parseYaml } from "yaml";
import { parseSchema, type Schema } from "./schema.ts";

export interface EventHandler {
  /** Signature as written in the manifest, e.g. `Tipped(indexed address,uint256)`. */
  event: string;
  handler: string;
  receipt: boolean;
  abiEvent: AbiEvent;
  topic0: `0x${string}`;
  /** Optional topic1..3 filters from the manifest. */
  topics: (string[] | undefined)[];
}

/**
 * A block handler: every block, `polling` every N blocks, `once` at the start block, or `call`:
 * blocks in which the data source's contract is called (graph-node's BlockHandlerFilter).
 */
export interface BlockHandler {
  handler: string;
  filter?: { kind: "once" } | { kind: "polling"; every: number } | { kind: "call" };
}

/** A call handler: runs for each successful call of `function` to the data source's contract (from traces). */
export interface CallHandler {
  /** As written in the manifest, e.g. `register(string,uint256)`. */
  function: string;
  handler: string;
  /** First 4 bytes of keccak256(function), as graph-node matches it against the call input. */
  selector: `0x${string}`;
  abiFunction: AbiFunction;
}

export interface DataSource {
  kind: string;
  name: string;
  network: string;
  address?: `0x${string}`;
  startBlock: number;
  endBlock?: number;
  abiName: string;
  abis: Map<string, readonly unknown[]>;
  apiVersion: string;
  wasm: Uint8Array;
  wasmFile: string;
  eventHandlers: EventHandler[];
  blockHandlers: BlockHandler[];
  callHandlers: CallHandler[];
  /** Call handlers or a `call` block filter: the data source needs traces. */
  needsTraces: boolean;
  /** `file/ipfs` templates: the handler that gets the file's bytes. */
  fileHandler?: string;
  /** `mapping.entities`: enforced for file data sources only, as graph-node does. */
  entities: string[];
  unsupported: string[];
  context?: Record<string, { type: string; data: unknown }>;
}

export interface Manifest {
  dir: string;
  buildDir: string;
  schema: Schema;
  dataSources: DataSource[];
  templates: DataSource[];
  /** Raw bytes that identify this build (for the deployment id). */
  fingerprint: (string | Uint8Array)[];
}

type Raw = Record<string, any>;

/** Canonical parameter type with `indexed` as the manifest writes it. */
function canonicalType(p: AbiParameter): string {
  if (p.type.startsWith("tuple")) {
    const inner = (p as { components: readonly AbiParameter[] }).components.map(canonicalType).join(",");
    return `(${inner})${p.type.slice(5)}`;
  }
  return p.type;
}

export function manifestSignature(e: AbiEvent): string {
  return `${e.name}(${e.inputs.map((i) => (i.indexed ? "indexed " : "") + canonicalType(i)).join(",")})`;
}

function findEvent(abi: readonly unknown[], signature: string, where: string): AbiEvent {
  const wanted = signature.replace(/\s+/g, " ").replace(/, /g, ",").trim();
  const events = abi.filter((x): x is AbiEvent => (x as AbiEvent).type === "event");
  const hit = events.find((e) => manifestSignature(e) === wanted);
  if (!hit) {
    const known = events.map(manifestSignature).join(", ") || "none";
    throw new Error(`${where}: event '${signature}' not found in ABI (events: ${known})`);
  }
  return hit;
}

/**
 * The ABI function a call handler names, as graph-node finds it (contract_function_with_signature):
 * non-view functions only, matched on `name(type,...)`.
 */
function findFunction(abi: readonly unknown[], signature: string, where: string, abiName: string): AbiFunction {
  const wanted = signature.replace(/\s+/g, "");
  const hit = abi.find(
    (x): x is AbiFunction =>
      (x as AbiFunction).type === "function" &&
      ["payable", "nonpayable"].includes((x as AbiFunction).stateMutability) &&
      `${(x as AbiFunction).name}(${(x as AbiFunction).inputs.map(canonicalType).join(",")})` === wanted,
  );
  if (!hit)
    throw new Error(`Function with the signature "${signature}" not found in contract "${abiName}" of ${where}`);
  return hit;
}

function loadDataSource(raw: Raw, buildDir: string, isTemplate: boolean): DataSource {
  const where = `data source '${raw.name}'`;
  const mapping = raw.mapping ?? {};
  const abis = new Map<string, readonly unknown[]>();
  for (const a of mapping.abis ?? []) {
    const file = join(buildDir, a.file);
    if (!existsSync(file)) throw new Error(`${where}: ABI file missing: ${file}`);
    const json = JSON.parse(readFileSync(file, "utf8"));
    abis.set(a.name, Array.isArray(json) ? json : json.abi);
  }
  const isFile = String(raw.kind).startsWith("file/");
  const abiName = raw.source?.abi;
  const abi = isFile ? [] : abis.get(abiName);
  if (!abi) throw new Error(`${where}: ABI '${abiName}' is not listed under mapping.abis`);
  const wasmFile = join(buildDir, mapping.file);
  if (!existsSync(wasmFile)) throw new Error(`${where}: mapping wasm missing: ${wasmFile} (run \`graph build\`)`);
  const eventHandlers: EventHandler[] = (mapping.eventHandlers ?? []).map((h: Raw) => {
    const abiEvent = findEvent(abi, h.event, where);
    return {
      event: h.event,
      handler: h.handler,
      receipt: h.receipt === true,
      abiEvent,
      topic0: toEventSelector(abiEvent),
      topics: [h.topic1, h.topic2, h.topic3].map((t) => (t ? (Array.isArray(t) ? t : [t]).map(String) : undefined)),
    };
  });
  const unsupported: string[] = [];
  const callHandlers: CallHandler[] = ((mapping.callHandlers ?? []) as Raw[]).map((h) => ({
    function: String(h.function),
    handler: h.handler,
    selector: keccak256(stringToHex(String(h.function))).slice(0, 10) as `0x${string}`,
    abiFunction: findFunction(abi, String(h.function), where, abiName),
  }));
  const blockHandlers: BlockHandler[] = [];
  for (const h of (mapping.blockHandlers ?? []) as Raw[]) {
    const kind = h.filter?.kind;
    if (kind === undefined) blockHandlers.push({ handler: h.handler });
    else if (kind === "once" || kind === "call") blockHandlers.push({ handler: h.handler, filter: { kind } });
    else if (kind === "polling")
      blockHandlers.push({ handler: h.handler, filter: { kind, every: Number(h.filter.every) } });
    else unsupported.push(`blockHandlers with filter kind ${kind}`);
  }
  if (!["ethereum", "ethereum/contract", "file/ipfs"].includes(raw.kind)) unsupported.push(`kind ${raw.kind}`);
  if (isFile && !isTemplate)
    unsupported.push(`a ${raw.kind} data source outside templates (graph-node only creates them from templates)`);
  return {
    kind: raw.kind,
    name: raw.name,
    network: raw.network,
    address: isTemplate ? undefined : (raw.source?.address?.toLowerCase() as `0x${string}` | undefined),
    startBlock: Number(raw.source?.startBlock ?? 0),
    endBlock: raw.source?.endBlock !== undefined ? Number(raw.source.endBlock) : undefined,
    abiName,
    abis,
    apiVersion: String(mapping.apiVersion),
    wasm: readFileSync(wasmFile),
    wasmFile,
    eventHandlers,
    blockHandlers,
    callHandlers,
    needsTraces: callHandlers.length > 0 || blockHandlers.some((h) => h.filter?.kind === "call"),
    fileHandler: isFile ? String(mapping.handler) : undefined,
    entities: ((mapping.entities ?? []) as unknown[]).map(String),
    unsupported,
    context: raw.context,
  };
}

/** Loads `<dir>/build/subgraph.yaml` (or `<dir>/subgraph.yaml` if `dir` is the build dir). */
export function loadManifest(dir: string): Manifest {
  const root = resolve(dir);
  const file = basename(root) === "build" ? join(root, "subgraph.yaml") : join(root, "build", "subgraph.yaml");
  if (!existsSync(file)) {
    throw new Error(`built subgraph manifest not found: ${file} (run \`graph codegen && graph build\` in ${root})`);
  }
  const buildDir = dirname(file);
  const text = readFileSync(file, "utf8");
  const raw = parseYaml(text) as Raw;
  const schemaFile = join(buildDir, raw.schema?.file ?? "schema.graphql");
  if (!existsSync(schemaFile)) throw new Error(`schema file missing: ${schemaFile}`);
  const schemaText = readFileSync(schemaFile, "utf8");
  const dataSources = (raw.dataSources ?? []).map((d: Raw) => loadDataSource(d, buildDir, false));
  const templates = (raw.templates ?? []).map((d: Raw) => loadDataSource(d, buildDir, true));
  if (dataSources.length === 0) throw new Error(`${file}: no dataSources`);
  for (const ds of dataSources) {
    if (!ds.apiVersion.startsWith("0.0.") || Number(ds.apiVersion.split(".")[2]) < 5) {
      throw new Error(`data source '${ds.name}': apiVersion ${ds.apiVersion} is not supported (need >= 0.0.5)`);
    }
  }
  return {
    dir: root,
    buildDir,
    schema: parseSchema(schemaText),
    dataSources,
    templates,
    fingerprint: [text, schemaText, ...dataSources.map((d: DataSource) => d.wasm)],
  };
}
