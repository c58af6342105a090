// Follows the chain over JSON-RPC and runs the event handlers, block range by
// block range; each range is committed atomically with the cursor.
import { decodeAbiParameters, type AbiParameter } from "viem";
import { decodeFast, fastDecodable } from "./abi.ts";
import {
  isDynamic,
  writeBlock,
  writeCall,
  writeEvent,
  type RpcBlock,
  type RpcLog,
  type RpcReceipt,
  type RpcTransaction,
} from "./ethereum.ts";
import {
  graphHostFunctions,
  MappingRuntime,
  MappingAbort,
  runWithRetries,
  LEVELS,
  UnimplementedHostFunction,
  type HostContext,
  type Instance,
} from "./host.ts";
import type { BlockHandler, CallHandler, DataSource, EventHandler, Manifest } from "./manifest.ts";
import { hex, Rpc, RpcError } from "./rpc.ts";
import {
  detectTraceMethod,
  fetchCalls,
  tracesUnavailable,
  TracesUnavailable,
  type BlockTxs,
  type CallTrace,
  type TraceMethod,
} from "./traces.ts";
import { isSafeMultihash, parseContentPath, type FileMonitor, type IpfsGateway } from "./ipfs.ts";
import { IsolatedStore } from "./offchain.ts";
import type { BlockPtr, DynamicDataSource, Store } from "./store.ts";
import type { Entity, Value } from "./values.ts";

export interface IndexerOptions {
  pollMs: number;
  /** Maximum blocks per eth_getLogs request. */
  maxRange: number;
  log: (line: string) => void;
  onProgress?: (p: Progress) => void;
  /** IPFS for file data sources (and `ipfs.cat` when `allowCat`, graph-node's GRAPH_ALLOW_NON_DETERMINISTIC_IPFS). */
  ipfs?: { gateway: IpfsGateway; monitor: FileMonitor; allowCat: boolean };
}

export interface Progress {
  head: number;
  chainHead: number;
  blocks: number;
  events: number;
  elapsedMs: number;
  /** Where the time went since the start: waiting for the RPC (what prefetching did not hide), handlers, store commits. */
  phases: Phases;
}

export interface Phases {
  rpcWaitMs: number;
  handlersMs: number;
  /** Waiting for commits: what writing one while the next range's handlers run did not hide. */
  commitMs: number;
}

/** A handler failure, reported with the handler, block and transaction. */
export class HandlerError extends Error {
  readonly handler: string;
  readonly block: number;
  constructor(handler: string, block: number, tx: string, cause: Error) {
    super(`handler '${handler}' failed at block ${block} (tx ${tx}): ${cause.message}`);
    this.handler = handler;
    this.block = block;
  }
}

interface Source {
  ds: DataSource;
  runtime: MappingRuntime;
  ctx: HostContext | null;
  inst: Instance | null;
  /** The host context of its chain triggers, made once (see `Indexer.#chainContext`). */
  chain?: ChainCall;
}

/** A chain trigger's host context and the trigger's fields its closures read. */
interface ChainCall {
  bn: number;
  /** `bn` as an RPC block tag (eth_call & co. at the trigger's block). */
  blockTag: string;
  handler: string;
  /** Data sources the trigger's handler creates (emptied when it re-runs). */
  created: Target[];
  createdFiles: DynamicDataSource[];
  /** The manifest data source's context. */
  context: Entity;
  ctx: HostContext;
}

/** The context of a template's data source created without one. */
const EMPTY_CONTEXT: Entity = {};

/** What logs are matched against: a manifest data source, or one created from a template. */
interface Target {
  src: Source;
  address?: string;
  startBlock: number;
  endBlock?: number;
  dyn?: DynamicDataSource;
}

/**
 * An event, call or block trigger. In a block, graph-node runs `once` block handlers first, then
 * events and calls by transaction (a transaction's events before its calls, events by log index,
 * calls in trace order), then the other block handlers, then `call`-filtered block handlers
 * (chain/ethereum/src/trigger.rs, `impl Ord for EthereumTrigger`; ethereum_adapter.rs).
 */
type Trigger =
  | { type: "log"; bn: number; log: RpcLog; src: Source; handler: EventHandler; dyn?: DynamicDataSource }
  | { type: "call"; bn: number; call: CallTrace; src: Source; handler: CallHandler; dyn?: DynamicDataSource }
  | { type: "block"; bn: number; phase: 0 | 2 | 3; src: Source; handler: BlockHandler; dyn?: DynamicDataSource };
interface Fetched {
  triggers: Trigger[];
  blocks: Map<number, RpcBlock>;
  txs: Map<string, RpcTransaction>;
  receipts: Map<string, RpcReceipt>;
  headBlock: RpcBlock;
  /**
   * A prefetched range's poll (see `run`): the hash of the block before it (the previous range's
   * last block, null when the chain lacks it) and the chain head, answered in the batch of its blocks.
   */
  check?: { number: number; hash: string | null; chainHead: number };
}

/** Triggers per block range the indexer aims at while catching up (`Indexer.#adapt`). */
const RANGE_EVENTS = 2_000;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Handlers yield to the event loop this often (ms): triggers run one after another as microtasks,
 * which hold back I/O, so without it the prefetch of the next range would wait for this range's
 * handlers at each of its steps (its logs' response, then its blocks' and receipts' requests).
 */
const YIELD_MS = 4;
/** Lets pending I/O run; resolves with the time of the next yield. */
const yieldToEventLoop = () => new Promise<number>((r) => setImmediate(() => r(performance.now() + YIELD_MS)));

function contextEntity(raw: DataSource["context"]): Entity {
  const e: Entity = {};
  for (const [k, { type, data }] of Object.entries(raw ?? {})) {
    const v: Value | undefined =
      type === "String"
        ? { kind: "String", value: String(data) }
        : type === "Int"
          ? { kind: "Int", value: Number(data) }
          : type === "Int8"
            ? { kind: "Int8", value: BigInt(data as string) }
            : type === "BigInt"
              ? { kind: "BigInt", value: BigInt(data as string) }
              : type === "Bool"
                ? { kind: "Bool", value: Boolean(data) }
                : undefined;
    if (v) e[k] = v;
  }
  return e;
}

export class Indexer {
  readonly rpc: Rpc;
  readonly store: Store;
  readonly manifest: Manifest;
  readonly opts: IndexerOptions;
  #sources: Source[];
  /** Templates by name (compiled when first used). */
  #templates = new Map<string, Source>();
  /** Committed dynamic data sources, and those created in the range being indexed. */
  #dynamic: Target[] = [];
  #created: Target[] = [];
  /** File data sources (committed, and created in the range being indexed). */
  #files: DynamicDataSource[] = [];
  #createdFiles: DynamicDataSource[] = [];
  /** The next file data source's causality region (graph-node numbers them from 1). */
  #nextRegion = 1;
  #stopped = false;
  /** Blocks per range now: adapted to the chain's density (see `#adapt`), never above `#cap`. */
  #range: number;
  /** The most blocks per range: `maxRange`, lowered when the provider refuses a range's size. */
  #cap: number;
  /** The RPC's trace method, once detected (null: it has none). */
  #traceMethod: TraceMethod | null | undefined;
  /** Set when a handler failed: indexing stops, queries keep working. */
  fatal: Error | null = null;
  /** The last committed block (what queries see). */
  head: BlockPtr | null = null;
  /** The last handled range's block: ahead of `head` while that range's commit is in flight. */
  #handled: BlockPtr | null = null;
  /** The commit of the last handled range, written while the next range's handlers run (catching up). */
  #flushing: Promise<void> | null = null;
  chainHead = 0;
  #listeners = new Set<() => void>();
  readonly phases: Phases = { rpcWaitMs: 0, handlersMs: 0, commitMs: 0 };

  constructor(manifest: Manifest, store: Store, rpc: Rpc, opts: IndexerOptions) {
    this.manifest = manifest;
    this.store = store;
    this.rpc = rpc;
    this.opts = opts;
    this.#cap = opts.maxRange;
    // Slow start: a dense chain's first range must not hold all of its events (see `#adapt`).
    this.#range = Math.min(opts.maxRange, 16);
    this.#sources = manifest.dataSources.map((ds) => this.#compile(ds));
  }

  /** The committed dynamic data sources (created from ethereum templates), in creation order. */
  get dataSources(): DynamicDataSource[] {
    return this.#dynamic.map((t) => t.dyn!);
  }

  /** The committed file data sources, in creation order (`doneAt`: the block their file was handled at). */
  get fileDataSources(): DynamicDataSource[] {
    return [...this.#files];
  }

  #isFileTemplate(name: string): boolean {
    return this.manifest.templates.find((t) => t.name === name)?.kind === "file/ipfs";
  }

  /** Splits stored data sources into chain targets and file data sources; polls for files not handled yet. */
  #loadDataSources(list: DynamicDataSource[]): void {
    this.#dynamic = list.filter((d) => !this.#isFileTemplate(d.template)).map((d) => this.#dynamicTarget(d));
    this.#files = list.filter((d) => this.#isFileTemplate(d.template));
    this.#nextRegion = Math.max(0, ...this.#files.map((d) => d.region ?? 0)) + 1;
    for (const d of this.#files) this.#monitor(d);
  }

  /** Asks the IPFS monitor for a file data source's file, unless it was handled. */
  #monitor(d: DynamicDataSource): void {
    if (d.doneAt != null || !this.opts.ipfs) return;
    const path = parseContentPath(d.address);
    if (isSafeMultihash(path.cid)) this.opts.ipfs.monitor.add(path);
  }

  #template(name: string): Source {
    let src = this.#templates.get(name);
    if (!src) {
      const ds = this.manifest.templates.find((t) => t.name === name);
      if (!ds)
        throw new MappingAbort(
          `Failed to create data source from name \`${name}\`: No template with this name available. Available names: ${this.manifest.templates.map((t) => t.name).join(", ")}.`,
        );
      if (ds.unsupported.length)
        throw new UnimplementedHostFunction(
          `data source template '${name}' uses features graph-runner does not implement: ${ds.unsupported.join(", ")}`,
        );
      src = this.#compile(ds);
      this.#templates.set(name, src);
    }
    return src;
  }

  #dynamicTarget(d: DynamicDataSource): Target {
    return { src: this.#template(d.template), address: d.address, startBlock: d.block, dyn: d };
  }

  /** Manifest data sources and the dynamic ones known now. */
  #targets(): Target[] {
    return [
      ...this.#sources.map((src) => ({
        src,
        address: src.ds.address,
        startBlock: src.ds.startBlock,
        endBlock: src.ds.endBlock,
      })),
      ...this.#dynamic,
    ];
  }

  #compile(ds: DataSource): Source {
    if (ds.unsupported.length) {
      throw new Error(
        `data source '${ds.name}' uses features graph-runner does not implement: ${ds.unsupported.join(", ")}`,
      );
    }
    // The host functions reach the source's current instance and context.
    const runtime = new MappingRuntime(
      ds.wasm,
      graphHostFunctions(
        () => src.inst!.mem,
        () => src.ctx!,
      ),
    );
    const src: Source = { ds, runtime, ctx: null, inst: null };
    const { missing } = runtime;
    if (missing.length) {
      throw new Error(
        `data source '${ds.name}' imports host functions graph-runner does not implement: ${missing.join(", ")}`,
      );
    }
    if (ds.fileHandler) {
      // graph-node gives file data sources no chain host functions (the docs' known issue).
      const eth = WebAssembly.Module.imports(runtime.module).find((i) =>
        ["ethereum.call", "ethereum.getBalance", "ethereum.hasCode"].includes(i.name),
      );
      if (eth)
        throw new Error(
          `data source template '${ds.name}': unknown import: \`${eth.module}::${eth.name}\` has not been defined`,
        );
    }
    const exported = WebAssembly.Module.exports(runtime.module);
    for (const h of [
      ...ds.eventHandlers,
      ...ds.blockHandlers,
      ...ds.callHandlers,
      ...(ds.fileHandler ? [{ handler: ds.fileHandler }] : []),
    ]) {
      if (!exported.some((e) => e.name === h.handler)) {
        throw new Error(`data source '${ds.name}': handler '${h.handler}' is not exported by ${ds.wasmFile}`);
      }
    }
    return src;
  }

  /** Resolves when `fn` is true after a commit (or rejects when indexing failed). */
  waitFor(fn: () => boolean, timeoutMs = 60_000): Promise<void> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () =>
          done(
            new Error(`timed out after ${timeoutMs} ms waiting for the indexer (head ${this.head?.number ?? "none"})`),
          ),
        timeoutMs,
      );
      const check = () => {
        if (this.fatal) done(this.fatal);
        else if (fn()) done();
      };
      const done = (err?: Error) => {
        clearTimeout(timer);
        this.#listeners.delete(check);
        err ? reject(err) : resolve();
      };
      this.#listeners.add(check);
      check();
    });
  }

  #notify(): void {
    for (const l of [...this.#listeners]) l();
  }

  stop(): void {
    this.#stopped = true;
  }

  /** Waits for the commit in flight, if any (throws its error). */
  async #settle(): Promise<void> {
    const f = this.#flushing;
    if (!f) return;
    try {
      await f;
    } finally {
      if (this.#flushing === f) this.#flushing = null;
    }
  }

  /**
   * The trace method call handlers read (detected once). Throws TracesUnavailable when the RPC has
   * none, naming `what` needs them.
   */
  async traceMethod(what = "call handlers and `call` block handler filters"): Promise<TraceMethod> {
    if (this.#traceMethod === undefined) this.#traceMethod = await detectTraceMethod(this.rpc);
    if (this.#traceMethod === null) throw tracesUnavailable(this.rpc.url, what);
    return this.#traceMethod;
  }

  async run(): Promise<void> {
    this.head = await this.store.head();
    this.#loadDataSources(await this.store.dataSources());
    const started = Date.now();
    let blocks = 0;
    let events = 0;
    let prefetch: { from: number; to: number; data: Promise<Fetched | null> } | null = null;
    while (!this.#stopped) {
      try {
        const handled = this.#handled ?? this.head;
        // Catching up, the range after `handled` was prefetched with the poll: the chain head and
        // `handled`'s block, fetched in the batch of its blocks, after its logs (so after the data it
        // brings, as a poll here would be). Otherwise (or on a mismatch) poll here.
        let polled = false;
        if (handled && prefetch?.from === handled.number + 1) {
          const waited = performance.now();
          const check = (await prefetch.data.catch(() => null))?.check;
          this.phases.rpcWaitMs += performance.now() - waited;
          if (check?.number === handled.number && check.hash === handled.hash) {
            this.chainHead = check.chainHead;
            polled = true;
          } else if (check) prefetch = null;
        }
        if (!polled) {
          this.chainHead = await this.rpc.blockNumber();
          if (handled && (await this.#reorged(handled))) {
            prefetch = null;
            continue;
          }
        }
        const start = Math.min(...this.manifest.dataSources.map((d) => d.startBlock));
        const from = handled ? handled.number + 1 : start;
        if (from > this.chainHead) {
          await this.#settle();
          this.#notify();
          await sleep(this.opts.pollMs);
          continue;
        }
        // A prefetched range is used as it was asked for, even if the range size changed since.
        const to: number = prefetch?.from === from ? prefetch.to : Math.min(this.chainHead, from + this.#range - 1);
        // While catching up, fetch the next range while this one's handlers run.
        const mine = prefetch?.from === from && prefetch.to === to ? prefetch.data : undefined;
        prefetch = null;
        if (to < this.chainHead) {
          const next: { from: number; to: number; data: Promise<Fetched | null> } = {
            from: to + 1,
            to: Math.min(this.chainHead, to + this.#range),
            data: this.#fetchRange(to + 1, Math.min(this.chainHead, to + this.#range), this.#targets(), true),
          };
          next.data.catch(() => {}); // errors surface when (if) it is used
          prefetch = next;
        }
        // Catching up, this range's commit is written while the next one's handlers run.
        const r = await this.#indexRange(from, to, mine, to < this.chainHead);
        if (r === null) {
          prefetch = null;
          continue; // range shrunk or chain moved under us: retry
        }
        // New data sources: the next range must ask for their logs too.
        if (r.created) prefetch = null;
        if (r.head >= this.chainHead && this.store.indexesPostponed) {
          const t = performance.now();
          await this.#settle();
          await this.store.createPostponedIndexes();
          this.phases.commitMs += performance.now() - t;
        }
        blocks += r.head - from + 1;
        events += r.events;
        this.#adapt(r.head - from + 1, r.events);
        this.opts.onProgress?.({
          head: r.head,
          chainHead: this.chainHead,
          blocks,
          events,
          elapsedMs: Date.now() - started,
          phases: { ...this.phases },
        });
        this.#notify();
      } catch (e) {
        prefetch = null;
        // Start again from the committed head: a failed commit's range and the ranges after it are gone.
        const failed = await this.#settle().then(
          () => null,
          (err: Error) => err,
        );
        this.#handled = null;
        if (this.#stopped) break;
        if (e instanceof HandlerError || e instanceof TracesUnavailable) {
          this.fatal = e;
          this.opts.log(`indexing stopped: ${e.message}`);
          this.#notify();
          return;
        }
        this.opts.log(`error: ${(failed ?? (e as Error)).message}; retrying in ${this.opts.pollMs} ms`);
        await sleep(Math.max(this.opts.pollMs, 200));
        try {
          this.#loadDataSources(await this.store.dataSources());
        } catch {
          // The next attempt fails and retries too.
        }
      }
    }
    await this.#settle().catch(() => {});
  }

  /**
   * Sizes the next ranges so that each holds about RANGE_EVENTS triggers: the next range's logs are
   * fetched while this one's handlers run, which hides the RPC only if one range does not hold the
   * whole backlog, and a sparse chain still gets long ranges (doubling up to the cap).
   */
  #adapt(blocks: number, events: number): void {
    const fit = events > 0 ? Math.floor((blocks * RANGE_EVENTS) / events) : Infinity;
    this.#range = Math.max(1, Math.min(this.#cap, this.#range * 2, fit));
  }

  /** Checks the committed head against the chain; on mismatch rolls back to the common ancestor. */
  async #reorged(head: BlockPtr): Promise<boolean> {
    const block = await this.rpc.block(head.number);
    if (block && block.hash === head.hash) return false;
    await this.#settle();
    let ancestor: BlockPtr | null = null;
    for (const b of await this.store.recentBlocks()) {
      const onChain = await this.rpc.block(b.number);
      if (onChain && onChain.hash === b.hash) {
        ancestor = b;
        break;
      }
    }
    this.opts.log(
      `reorg detected at block ${head.number}: rolling back to ${ancestor ? ancestor.number : "the start block"}`,
    );
    await this.store.rollback(ancestor);
    this.head = ancestor;
    this.#handled = null;
    this.#loadDataSources(await this.store.dataSources());
    return true;
  }

  /**
   * Indexes [from, to]; returns the number of events and the block committed, or null if
   * the range must be retried. A block whose handlers create data sources is, like
   * graph-node does, scanned again for the new data sources' triggers (repeatedly, breadth
   * first), and the range ends there, so that the next range asks for their logs.
   */
  async #indexRange(
    from: number,
    to: number,
    prefetched?: Promise<Fetched | null>,
    overlap = false,
  ): Promise<{ events: number; head: number; created: boolean } | null> {
    const waited = performance.now();
    const data = await (prefetched ?? this.#fetchRange(from, to, this.#targets()));
    const handling = performance.now();
    this.phases.rpcWaitMs += handling - waited;
    if (!data) return null;
    const { triggers, blocks, txs, receipts } = data;
    let headBlock = data.headBlock;
    // A full read cache is emptied between ranges, once no commit is in flight.
    if (this.store.cacheFull) await this.#settle();
    this.store.discard();
    this.#created = [];
    this.#createdFiles = [];
    let ready = new Map<string, Uint8Array>();
    let events = 0;
    let yieldAt = performance.now() + YIELD_MS;
    try {
      let i = 0;
      while (i < triggers.length) {
        const bn = triggers[i].bn;
        const block = blocks.get(bn)!;
        const firstNew = this.#created.length;
        for (; i < triggers.length && triggers[i].bn === bn; i++, events++) {
          const t = triggers[i];
          await this.#runTrigger(t, block, txs, receipts);
          if (performance.now() >= yieldAt) yieldAt = await yieldToEventLoop();
        }
        if (this.#created.length === firstNew) continue;
        // The block again, for the data sources its handlers created (and theirs, and so on).
        for (let done = firstNew; done < this.#created.length;) {
          const fresh = this.#created.slice(done);
          done = this.#created.length;
          const again = await this.#fetchRange(bn, bn, fresh);
          if (!again || again.headBlock.hash !== block.hash) return null;
          for (const [h, tx] of again.txs) txs.set(h, tx);
          for (const [h, r] of again.receipts) receipts.set(h, r);
          for (const t of again.triggers) {
            await this.#runTrigger(t, block, txs, receipts);
            events++;
          }
        }
        headBlock = block;
        break;
      }
      const head = ptr(headBlock);
      // Files found since the last commit: handled after the range's chain triggers, at its last block
      // (graph-node handles the offchain triggers that are ready after each block's onchain ones).
      ready = this.opts.ipfs?.monitor.take() ?? ready;
      await this.#runFiles(ready, head.number);
      for (const b of blocks.values()) if (Number(b.number) <= head.number) this.store.noteBlock(ptr(b));
      for (const t of this.#created) this.store.noteDataSource(t.dyn!);
      for (const d of this.#createdFiles) this.store.noteDataSource(d);
      const committing = performance.now();
      this.phases.handlersMs += committing - handling;
      // The previous range first (a failure of its commit fails this range too).
      await this.#settle();
      // The next range's targets (a failed commit reloads them from the store, see `run`).
      this.#dynamic.push(...this.#created);
      this.#files.push(...this.#createdFiles);
      for (const d of this.#createdFiles) this.#monitor(d);
      const commit = this.store.commit(head).then(() => {
        this.head = head;
        this.#notify();
      });
      this.#handled = head;
      if (overlap) {
        commit.catch(() => {}); // surfaces in #settle
        this.#flushing = commit;
      } else await commit;
      this.phases.commitMs += performance.now() - committing;
      return { events, head: head.number, created: this.#created.length > 0 };
    } catch (e) {
      // Nothing may be in flight while the batch is dropped; a failed previous commit fails this range.
      const failed = await this.#settle().then(
        () => null,
        (err: Error) => err,
      );
      this.store.discard();
      this.#created = [];
      this.#createdFiles = [];
      if (ready.size) this.opts.ipfs?.monitor.restore(ready);
      ready = new Map();
      if (failed) throw failed;
      // Like graph-node (block by block), keep the blocks before a failing one.
      if (e instanceof HandlerError && e.block > from) await this.#indexRange(from, e.block - 1);
      throw e;
    }
  }

  /**
   * Fetches a range's logs, blocks, transactions and receipts. Null: retry (range too big or chain
   * moved). `poll`: also the block before `from` and the chain head, in the batch of its blocks.
   */
  async #fetchRange(from: number, to: number, targets: Target[], poll = false): Promise<Fetched | null> {
    const sources = targets.filter((t) => to >= t.startBlock && (t.endBlock === undefined || from <= t.endBlock));
    const addresses = sources.map((t) => t.address);
    const topic0s = [...new Set(sources.flatMap((t) => t.src.ds.eventHandlers.map((h) => h.topic0)))];
    let logs: RpcLog[] = [];
    if (topic0s.length) {
      try {
        logs = await this.rpc.logs({
          fromBlock: from,
          toBlock: to,
          address: addresses.includes(undefined) ? undefined : (addresses as string[]),
          topics: [topic0s],
        });
      } catch (e) {
        // Providers cap the range or result size: halve and retry.
        if (to > from && /limit|range|too many|exceed|size/i.test((e as Error).message)) {
          this.#cap = this.#range = Math.max(1, Math.floor((to - from + 1) / 2));
          return null;
        }
        throw e;
      }
    }
    logs.sort((a, b) => Number(a.blockNumber) - Number(b.blockNumber) || Number(a.logIndex) - Number(b.logIndex));

    const triggers: Trigger[] = [];
    // Block handlers (graph-node's handler_for_block: the first matching handler of each kind).
    for (const target of sources) {
      const hs = target.src.ds.blockHandlers;
      if (!hs.length) continue;
      const once = hs.find((h) => h.filter?.kind === "once");
      const last = Math.min(to, target.endBlock ?? to);
      for (let bn = Math.max(from, target.startBlock); bn <= last; bn++) {
        if (once && bn === target.startBlock)
          triggers.push({ type: "block", bn, phase: 0, src: target.src, handler: once, dyn: target.dyn });
        const end = hs.find((h) =>
          h.filter === undefined
            ? true
            : h.filter.kind === "polling" && (bn - target.startBlock) % h.filter.every === 0,
        );
        if (end) triggers.push({ type: "block", bn, phase: 2, src: target.src, handler: end, dyn: target.dyn });
      }
    }
    for (const log of logs) {
      const bn = Number(log.blockNumber);
      for (const target of sources) {
        const src = target.src;
        if (bn < target.startBlock || (target.endBlock !== undefined && bn > target.endBlock)) continue;
        if (target.address && target.address !== log.address.toLowerCase()) continue;
        for (const handler of src.ds.eventHandlers) {
          if (handler.topic0 !== log.topics[0]) continue;
          if (
            handler.topics.some(
              (t, i) => t && !t.map((x) => x.toLowerCase()).includes((log.topics[i + 1] ?? "").toLowerCase()),
            )
          )
            continue;
          triggers.push({ type: "log", bn, log, src, handler, dyn: target.dyn });
        }
      }
    }

    const traced = sources.filter((t) => t.src.ds.needsTraces);
    if (traced.length) {
      try {
        triggers.push(...(await this.#callTriggers(from, to, traced)));
      } catch (e) {
        // Providers cap trace ranges too: halve and retry.
        if (
          to > from &&
          !(e instanceof TracesUnavailable) &&
          /limit|range|too many|exceed|size/i.test((e as Error).message)
        ) {
          this.#cap = this.#range = Math.max(1, Math.floor((to - from + 1) / 2));
          return null;
        }
        throw e;
      }
    }

    const phase = (t: Trigger) => (t.type === "block" ? t.phase : 1);
    const txIndex = (t: Trigger) =>
      t.type === "log" ? Number(t.log.transactionIndex) : t.type === "call" ? t.call.transactionIndex : 0;
    // Stable: events keep their log order, calls their trace order, block triggers their data source order.
    triggers.sort(
      (a, b) =>
        a.bn - b.bn ||
        phase(a) - phase(b) ||
        txIndex(a) - txIndex(b) ||
        Number(a.type === "call") - Number(b.type === "call"),
    );

    // Blocks with their transactions (one batch), the range's last block for the cursor, receipts if
    // asked for or to drop calls of failed transactions (graph-node: transaction_for_call_succeeded).
    const blockNumbers = [...new Set(triggers.map((t) => t.bn))];
    const receiptHashes = [
      ...new Set(
        triggers.flatMap((t) =>
          t.type === "log" && t.handler.receipt
            ? [t.log.transactionHash]
            : t.type === "call"
              ? [t.call.transactionHash]
              : [],
        ),
      ),
    ];
    const polls: [string, unknown[]][] =
      poll && from > 0
        ? [
            ["eth_getBlockByNumber", [hex(from - 1), false]],
            ["eth_blockNumber", []],
          ]
        : [];
    const [fetched, receiptList] = await Promise.all([
      this.rpc.batch<RpcBlock | null>([
        ...[...blockNumbers, to].map((n): [string, unknown[]] => ["eth_getBlockByNumber", [hex(n), true]]),
        ...polls,
      ]),
      this.rpc.receipts(receiptHashes),
    ]);
    let check: Fetched["check"];
    if (polls.length) {
      const chainHead = Number(fetched.pop() as unknown as string);
      check = { number: from - 1, hash: fetched.pop()?.hash ?? null, chainHead };
    }
    const headBlock = fetched.pop();
    if (!headBlock) return null;
    const blocks = new Map<number, RpcBlock>();
    fetched.forEach((b, i) => b && blocks.set(blockNumbers[i], b));
    // A log or trace whose block hash differs from the block we fetched means a reorg mid-range.
    if (triggers.some((t) => t.type === "log" && blocks.get(t.bn)?.hash !== t.log.blockHash)) return null;
    if (triggers.some((t) => t.type === "call" && blocks.get(t.bn)?.hash !== t.call.blockHash)) return null;
    if (triggers.some((t) => !blocks.has(t.bn))) return null;
    const txs = new Map<string, RpcTransaction>();
    for (const b of blocks.values()) for (const t of b.transactions) if (typeof t !== "string") txs.set(t.hash, t);
    const receipts = new Map<string, RpcReceipt>();
    receiptList.forEach((r, i) => r && receipts.set(receiptHashes[i], r));
    for (let i = triggers.length - 1; i >= 0; i--) {
      const t = triggers[i];
      if (t.type !== "call") continue;
      const receipt = receipts.get(t.call.transactionHash);
      if (!receipt) return null;
      if (receipt.status !== undefined && Number(receipt.status) === 0) triggers.splice(i, 1);
    }

    return { triggers, blocks, txs, receipts, headBlock, check };
  }

  /**
   * Call triggers and `call`-filtered block triggers of [from, to] for the data sources that need
   * traces, from the RPC's call traces and with graph-node's rules: successful CALL frames (any call
   * type) with a 4-byte selector, to the data source's address from its start block; the first call
   * handler whose selector matches; a call identical to the previous matching one dropped (the
   * trigger dedup in BlockWithTriggers::new); one `call` block trigger per block and called address.
   */
  async #callTriggers(from: number, to: number, targets: Target[]): Promise<Trigger[]> {
    const method = await this.traceMethod();
    const addresses = targets.map((t) => t.address);
    const toAddress =
      addresses.includes(undefined) || addresses.length > 100 ? undefined : [...new Set(addresses as string[])];
    const calls = await fetchCalls(this.rpc, method, from, to, toAddress, () => this.#blockTxs(from, to));
    const inRange = (t: Target, bn: number) => bn >= t.startBlock && (t.endBlock === undefined || bn <= t.endBlock);
    const out: Trigger[] = [];
    const called = new Set<string>();
    let previous: CallTrace | undefined;
    for (const call of calls) {
      if (call.error || call.input.length < 10) continue;
      const matching = targets.filter((t) => inRange(t, call.blockNumber) && (!t.address || t.address === call.to));
      if (!matching.length) continue;
      const selector = call.input.slice(0, 10).toLowerCase();
      const handled = matching.flatMap((t) => {
        const handler = t.src.ds.callHandlers.find((h) => h.selector === selector);
        return handler ? [{ t, handler }] : [];
      });
      if (handled.length) {
        if (!previous || !sameCall(previous, call)) {
          for (const { t, handler } of handled)
            out.push({ type: "call", bn: call.blockNumber, call, src: t.src, handler, dyn: t.dyn });
        }
        previous = call;
      }
      const key = `${call.blockNumber}:${call.to}`;
      if (called.has(key)) continue;
      for (const t of matching) {
        const handler = t.address ? t.src.ds.blockHandlers.find((h) => h.filter?.kind === "call") : undefined;
        if (!handler) continue;
        called.add(key);
        out.push({ type: "block", bn: call.blockNumber, phase: 3, src: t.src, handler, dyn: t.dyn });
      }
    }
    return out;
  }

  /** Hashes and transaction hashes of blocks [from, to] (the debug_* trace methods trace each transaction). */
  async #blockTxs(from: number, to: number): Promise<BlockTxs[]> {
    const out: BlockTxs[] = [];
    for (let start = from; start <= to; start += 200) {
      const ns: number[] = [];
      for (let n = start; n <= Math.min(to, start + 199); n++) ns.push(n);
      const list = await this.rpc.blocks(ns, false);
      list.forEach((b, i) => {
        if (!b) throw new RpcError(`block ${ns[i]} not found`);
        out.push({ number: ns[i], hash: b.hash, transactions: b.transactions as string[] });
      });
    }
    return out;
  }

  /** `ipfs.cat` / `ipfs.getBlock` for mappings, when non-deterministic IPFS is allowed. */
  #ipfsCat(): HostContext["ipfs"] {
    const ipfs = this.opts.ipfs;
    if (!ipfs?.allowCat) return undefined;
    return {
      cat: async (link, raw) => {
        try {
          return await ipfs.gateway.cat(parseContentPath(link), raw);
        } catch (e) {
          this.opts.log(`[info] Failed ipfs.cat, returning \`null\`: ${link}: ${(e as Error).message}`);
          return null;
        }
      },
    };
  }

  /**
   * A file data source from `dataSource.create*` of a file template, or null when graph-node would
   * ignore it: an invalid CID, or a duplicate (same template, file and context) of one that exists.
   */
  #fileDataSource(
    template: string,
    params: string[],
    context: Entity | null,
    block: number,
    pending: DynamicDataSource[],
  ): DynamicDataSource | null {
    if (!this.opts.ipfs) {
      throw new Error(
        `file data source template '${template}' needs IPFS: start graph-runner with --ipfs <gateway URL> (graph-node fetches files from its IPFS node)`,
      );
    }
    if (!params.length)
      throw new MappingAbort(`Failed to create data source from template \`${template}\`: source parameter is missing`);
    let path;
    try {
      path = parseContentPath(params[0]);
    } catch (e) {
      this.opts.log(`[warning] block ${block}: file data source '${template}' ignored: ${(e as Error).message}`);
      return null;
    }
    const key = contextKey(context);
    if (
      [...this.#files, ...this.#createdFiles, ...pending].some(
        (d) => d.template === template && d.address === path.text && contextKey(d.context) === key,
      )
    ) {
      this.opts.log(
        `[warning] block ${block}: no runtime host created, there is already a runtime host instantiated for this data source (name ${template}, /ipfs/${path.text})`,
      );
      return null;
    }
    if (!isSafeMultihash(path.cid))
      this.opts.log(
        `[warning] block ${block}: file data source '${template}': CID multihash ${path.cid.hash} is not allowed, so graph-node never fetches /ipfs/${path.text}`,
      );
    return { template, address: path.text, context, block, doneAt: null };
  }

  /** Runs the handlers of the file data sources whose file arrived, at `block`. */
  async #runFiles(ready: Map<string, Uint8Array>, block: number): Promise<void> {
    const handled = new Set<DynamicDataSource>();
    for (const [path, bytes] of ready) {
      for (const d of [...this.#files, ...this.#createdFiles]) {
        if (d.address !== path || d.doneAt != null || handled.has(d)) continue;
        handled.add(d);
        await this.#runFile(d, bytes, block);
      }
    }
  }

  /**
   * One file data source's handler with the file's bytes, as graph-node runs it: against an empty
   * store, only the template's `entities`, no ethereum host functions, no on-chain data sources; its
   * writes go to its causality region at `block`, and it is marked done.
   */
  async #runFile(d: DynamicDataSource, bytes: Uint8Array, block: number): Promise<void> {
    const tpl = this.manifest.templates.find((t) => t.name === d.template)!;
    const src = this.#template(d.template);
    const handler = tpl.fileHandler!;
    const isolated = new IsolatedStore(this.store.schema, tpl.name, tpl.entities);
    let created: DynamicDataSource[] = [];
    src.ctx = {
      store: isolated,
      block,
      dataSource: {
        name: tpl.name,
        addressBytes: new Uint8Array(Buffer.from(d.address, "utf8")),
        network: this.manifest.dataSources[0]?.network ?? "",
        context: d.context ?? {},
        abis: tpl.abis,
        apiVersion: tpl.apiVersion,
      },
      ipfs: this.#ipfsCat(),
      createDataSource: (template, params, context) => {
        if (!this.#isFileTemplate(template))
          throw new MappingAbort(
            "Attempted to create on-chain data source in offchain data source handler. This is not yet supported.",
          );
        const f = this.#fileDataSource(template, params, context, block, created);
        if (f) created.push(f);
      },
      log: (level, message) =>
        this.opts.log(`[${LEVELS[level] ?? level}] ${tpl.name}.${handler} block ${block}: ${message}`),
    };
    const where = `none: file data source /ipfs/${d.address}`;
    try {
      await runWithRetries(isolated, block, () => {
        created = [];
        const inst = src.runtime.instance((i) => (src.inst = i));
        (inst.exports[handler] as (p: number) => void)(inst.mem.writeBytes(bytes));
      });
      this.store.writeOffchain(isolated.writes, block, d.region ?? 0);
    } catch (e) {
      if (e instanceof RpcError) throw e;
      throw new HandlerError(handler, block, where, e as Error);
    } finally {
      src.inst = null;
    }
    this.store.noteDone(d, block);
    for (const f of created) this.#createdFiles.push({ ...f, region: this.#nextRegion++ });
  }

  /**
   * The host context of a source's chain triggers: made once per source (its closures read the
   * trigger's block and handler from it), the trigger's fields set before each (see #runTrigger).
   */
  #chainContext(src: Source): ChainCall {
    if (src.chain) return src.chain;
    const call: ChainCall = {
      bn: 0,
      blockTag: "0x0",
      handler: "",
      created: [],
      createdFiles: [],
      context: contextEntity(src.ds.context),
      ctx: undefined as unknown as HostContext,
    };
    call.ctx = {
      store: this.store,
      block: 0,
      dataSource: {
        name: src.ds.name,
        address: src.ds.address,
        network: src.ds.network,
        context: call.context,
        abis: src.ds.abis,
        apiVersion: src.ds.apiVersion,
      },
      ipfs: this.#ipfsCat(),
      createDataSource: (template, params, context) => {
        if (this.#isFileTemplate(template)) {
          const f = this.#fileDataSource(template, params, context, call.bn, call.createdFiles);
          if (f) call.createdFiles.push(f);
          return;
        }
        if (!params.length) throw new MappingAbort(`dataSource.create(${template}): no parameters`);
        const d: DynamicDataSource = { template, address: params[0].toLowerCase(), context, block: call.bn };
        call.created.push(this.#dynamicTarget(d));
      },
      ethCall: async (to, data) => {
        const blockTag = call.blockTag;
        try {
          return await this.rpc.call<string>("eth_call", [{ to, data }, blockTag]);
        } catch (e) {
          if (/revert/i.test((e as Error).message)) return null;
          throw e;
        }
      },
      ethGetBalance: async (address) => BigInt(await this.rpc.call<string>("eth_getBalance", [address, call.blockTag])),
      ethGetCode: (address) => this.rpc.call<string>("eth_getCode", [address, call.blockTag]),
      log: (level, message) =>
        this.opts.log(`[${LEVELS[level] ?? level}] ${src.ds.name}.${call.handler} block ${call.bn}: ${message}`),
    };
    return (src.chain = call);
  }

  async #runTrigger(
    trigger: Trigger,
    block: RpcBlock,
    txs: Map<string, RpcTransaction>,
    receipts: Map<string, RpcReceipt>,
  ): Promise<void> {
    const { src, handler, dyn, bn } = trigger;
    let tx: RpcTransaction | undefined;
    let values: unknown[] = [];
    let outputs: unknown[] = [];
    if (trigger.type === "log") {
      tx = txs.get(trigger.log.transactionHash);
      if (!tx) throw new Error(`transaction ${trigger.log.transactionHash} not found`);
      values = decodeLog(trigger.handler, trigger.log);
    } else if (trigger.type === "call") {
      const { call } = trigger;
      tx = txs.get(call.transactionHash);
      if (!tx) throw new Error(`transaction ${call.transactionHash} not found`);
      const fn = trigger.handler.abiFunction;
      try {
        values = [...decodeAbiParameters(fn.inputs, ("0x" + call.input.slice(10)) as `0x${string}`)];
      } catch (e) {
        // graph-node: "Failed parsing inputs, skipping" (a warning, the call is not handled).
        this.opts.log(
          `[warning] ${src.ds.name}.${handler.handler} block ${bn}: Failed parsing inputs, skipping: ${(e as Error).message.split("\n")[0]}`,
        );
        return;
      }
      try {
        outputs = [...decodeAbiParameters(fn.outputs, call.output as `0x${string}`)];
      } catch {
        throw new HandlerError(
          handler.handler,
          bn,
          call.transactionHash,
          new Error(
            `Decoding function outputs for the call ${trigger.handler.function} failed, raw output: ${call.output}`,
          ),
        );
      }
    }
    const call = this.#chainContext(src);
    call.bn = bn;
    call.blockTag = hex(bn);
    call.handler = handler.handler;
    call.ctx.block = bn;
    call.ctx.dataSource.address = dyn ? dyn.address : src.ds.address;
    call.ctx.dataSource.context = dyn ? (dyn.context ?? EMPTY_CONTEXT) : call.context;
    src.ctx = call.ctx;
    try {
      await runWithRetries(this.store, bn, () => {
        // A re-run starts over (the arrays are new only when the last run filled them).
        if (call.created.length) call.created = [];
        if (call.createdFiles.length) call.createdFiles = [];
        const inst = src.runtime.instance((i) => (src.inst = i));
        const arg =
          trigger.type === "log"
            ? writeEvent(inst.mem, {
                log: trigger.log,
                block,
                transaction: tx!,
                receipt: trigger.handler.receipt ? (receipts.get(trigger.log.transactionHash) ?? null) : null,
                inputs: trigger.handler.abiEvent.inputs,
                values,
              })
            : trigger.type === "call"
              ? writeCall(inst.mem, {
                  to: trigger.call.to,
                  from: trigger.call.from,
                  block,
                  transaction: tx!,
                  inputs: trigger.handler.abiFunction.inputs,
                  inputValues: values,
                  outputs: trigger.handler.abiFunction.outputs,
                  outputValues: outputs,
                })
              : writeBlock(inst.mem, block);
        (inst.exports[handler.handler] as (p: number) => void)(arg);
      });
      if (call.created.length) {
        this.#created.push(...call.created);
        call.created = [];
      }
      if (call.createdFiles.length) {
        for (const f of call.createdFiles) this.#createdFiles.push({ ...f, region: this.#nextRegion++ });
        call.createdFiles = [];
      }
    } catch (e) {
      if (e instanceof RpcError) throw e; // not the mapping's fault: retried by the run loop
      const txHash =
        trigger.type === "log"
          ? trigger.log.transactionHash
          : trigger.type === "call"
            ? trigger.call.transactionHash
            : "none: block handler";
      throw new HandlerError(handler.handler, bn, txHash, e as Error);
    } finally {
      src.inst = null;
    }
  }
}

/** A handler's event inputs split into topics and data, computed once per handler. */
const layouts = new WeakMap<
  EventHandler,
  { indexed: number[]; data: number[]; dataTypes: AbiParameter[]; fast: boolean }
>();

/**
 * A log's values in input order, as viem's strict `decodeEventLog` decodes them (indexed
 * dynamic values are their topic hash) without deriving the event selector again per log.
 */
function decodeLog(handler: EventHandler, log: RpcLog): unknown[] {
  const inputs = handler.abiEvent.inputs;
  let layout = layouts.get(handler);
  if (!layout) {
    const indexed: number[] = [];
    const data: number[] = [];
    inputs.forEach((p, i) => ((p as { indexed?: boolean }).indexed ? indexed : data).push(i));
    layout = { indexed, data, dataTypes: data.map((i) => inputs[i]), fast: fastDecodable(inputs) };
    layouts.set(handler, layout);
  }
  if (log.topics.length !== layout.indexed.length + 1) {
    throw new Error(
      `log ${log.transactionHash}:${Number(log.logIndex)} has ${log.topics.length - 1} indexed values, ${handler.event} expects ${layout.indexed.length}`,
    );
  }
  const values: unknown[] = new Array(inputs.length);
  layout.indexed.forEach((i, t) => {
    const topic = log.topics[t + 1] as `0x${string}`;
    if (isDynamic(inputs[i])) values[i] = topic;
    else values[i] = ((layout.fast && decodeFast([inputs[i]], topic)) || decodeAbiParameters([inputs[i]], topic))[0];
  });
  if (layout.data.length) {
    const decoded =
      (layout.fast && decodeFast(layout.dataTypes, log.data)) ||
      decodeAbiParameters(layout.dataTypes, log.data as `0x${string}`);
    layout.data.forEach((i, j) => (values[i] = decoded[j]));
  }
  return values;
}

/** A data source context as a comparable string (graph-node's duplicate check compares contexts). */
function contextKey(e: Entity | null): string {
  if (e === null) return "null";
  return JSON.stringify(
    Object.keys(e)
      .sort()
      .map((k) => [k, e[k]]),
    (_, v) => (typeof v === "bigint" ? `${v}n` : v instanceof Uint8Array ? Buffer.from(v).toString("hex") : v),
  );
}

/** Two call frames graph-node would see as the same trigger (EthereumCall's derived equality). */
function sameCall(a: CallTrace, b: CallTrace): boolean {
  return (
    a.blockNumber === b.blockNumber &&
    a.transactionHash === b.transactionHash &&
    a.transactionIndex === b.transactionIndex &&
    a.from === b.from &&
    a.to === b.to &&
    BigInt(a.value) === BigInt(b.value) &&
    BigInt(a.gasUsed) === BigInt(b.gasUsed) &&
    a.input === b.input &&
    a.output === b.output
  );
}

function ptr(b: RpcBlock): BlockPtr {
  return { number: Number(b.number), hash: b.hash, timestamp: Number(b.timestamp), parentHash: b.parentHash };
}
