// Programmatic entry point: load a built subgraph, open the store, index, serve queries.
import { basename, resolve } from "node:path";
import { openDb, type Db } from "./db.ts";
import { QueryEngine } from "./graphql.ts";
import { Indexer, type Progress } from "./indexer.ts";
import { FileMonitor, IpfsGateway } from "./ipfs.ts";
import { loadManifest } from "./manifest.ts";
import { Rpc } from "./rpc.ts";
import { serve } from "./server.ts";
import { deploymentId, Store } from "./store.ts";

export interface RunnerOptions {
  /** Subgraph directory containing build/ (output of `graph build`). */
  subgraph: string;
  /** JSON-RPC URL of the chain. */
  rpc: string;
  /** PGlite data directory; in memory when omitted (ignored with databaseUrl). */
  dataDir?: string;
  /** Real PostgreSQL instead of PGlite (defaults to $DATABASE_URL). */
  databaseUrl?: string;
  /** Subgraph name in the URL /subgraphs/name/<name>; defaults to the directory name. */
  name?: string;
  host?: string;
  /** HTTP port (default 8000; 0 picks a free one). */
  port?: number;
  pollMs?: number;
  /** Maximum block range per eth_getLogs. */
  maxRange?: number;
  /**
   * IPFS gateway for file data sources (`kind: file/ipfs` templates), e.g. the project's IPFS service
   * `http://127.0.0.1:8080`: files are read from `<url>/ipfs/<cid>[/<path>]`.
   */
  ipfs?: string;
  /**
   * Lets mappings call `ipfs.cat` / `ipfs.getBlock` (graph-node's GRAPH_ALLOW_NON_DETERMINISTIC_IPFS;
   * default: that environment variable). Off, as on hosted graph-nodes: they fail the handler.
   */
  allowNonDeterministicIpfs?: boolean;
  /** Timeout of one IPFS request (graph-node: GRAPH_IPFS_TIMEOUT, 60 s). */
  ipfsTimeoutMs?: number;
  /** Backoff between attempts at a missing file (graph-node: 5 s doubling up to GRAPH_FDS_MAX_BACKOFF, 600 s). */
  ipfsBackoffMs?: { min: number; max: number };
  log?: (line: string) => void;
  onProgress?: (p: Progress) => void;
}

export interface Runner {
  url: string;
  deployment: string;
  store: Store;
  indexer: Indexer;
  /** Resolves once block `n` is indexed and queryable. */
  waitForBlock(n: number, timeoutMs?: number): Promise<void>;
  /** Runs a GraphQL query in-process (same semantics as the HTTP endpoint). */
  query(query: string, variables?: Record<string, unknown>): Promise<any>;
  stop(): Promise<void>;
}

export async function startRunner(options: RunnerOptions): Promise<Runner> {
  const log = options.log ?? ((l: string) => console.error(l));
  const manifest = loadManifest(options.subgraph);
  const name = options.name ?? basename(resolve(options.subgraph));
  const rpc = new Rpc(options.rpc);
  // Fail early and clearly when the chain is not there.
  await rpc.blockNumber();
  const allowCat =
    options.allowNonDeterministicIpfs ?? /^(1|true)$/i.test(process.env.GRAPH_ALLOW_NON_DETERMINISTIC_IPFS ?? "");
  if (allowCat && !options.ipfs)
    throw new Error("non-deterministic IPFS (ipfs.cat) needs an IPFS gateway: pass --ipfs <url>");
  const gateway = options.ipfs ? new IpfsGateway(options.ipfs, options.ipfsTimeoutMs ?? 60_000) : undefined;
  const monitor = gateway
    ? new FileMonitor(gateway, {
        minBackoffMs: options.ipfsBackoffMs?.min ?? 5_000,
        maxBackoffMs: options.ipfsBackoffMs?.max ?? 600_000,
        log,
      })
    : undefined;

  const db: Db = await openDb({
    databaseUrl: options.databaseUrl ?? process.env.DATABASE_URL,
    dataDir: options.dataDir,
  });
  let indexer: Indexer | undefined;
  let server: Awaited<ReturnType<typeof serve>>["server"] | undefined;
  try {
    // Entity types file data sources may write live in causality regions (graph-node: the
    // `entities` of offchain templates).
    const regionTypes = manifest.templates.filter((t) => t.kind === "file/ipfs").flatMap((t) => t.entities);
    const store = new Store(
      db,
      manifest.schema,
      "sg_" + name.replace(/[^A-Za-z0-9_]/g, "_").toLowerCase(),
      regionTypes.filter((t) => manifest.schema.entities.has(t)),
    );
    const deployment = deploymentId(manifest.fingerprint);
    const { reset } = await store.init(deployment, { postponeAttributeIndexes: true });
    if (reset) log(`build changed since the data was indexed: starting over (deployment ${deployment})`);
    const engine = new QueryEngine(store);
    // graph-node starts a deployment at the block before its lowest start block.
    const starts = manifest.dataSources.map((d) => d.startBlock);
    const earliestBlock = Math.max(0, (starts.length ? Math.min(...starts) : 0) - 1);
    indexer = new Indexer(manifest, store, rpc, {
      pollMs: options.pollMs ?? 500,
      maxRange: options.maxRange ?? 500,
      log,
      onProgress: options.onProgress,
      ipfs: gateway && monitor ? { gateway, monitor, allowCat } : undefined,
    });
    const idx = indexer;
    // Like graph-node at deployment start: call handlers need an RPC with traces.
    const traced = manifest.dataSources.filter((d) => d.needsTraces).map((d) => `'${d.name}'`);
    if (traced.length)
      await idx.traceMethod(`data source ${traced.join(", ")} (call handlers or \`call\` block filters)`);
    // Queries answer from the committed head as soon as the server is up (a restart serves at once).
    idx.head = await store.head();
    const handle = (body: { query?: unknown; variables?: unknown; operationName?: unknown }) =>
      engine.run(body, { head: idx.head, deployment, hasIndexingErrors: idx.fatal !== null, name, earliestBlock });
    const served = await serve({
      host: options.host ?? "127.0.0.1",
      port: options.port ?? 8000,
      name,
      deployment,
      handle,
    });
    server = served.server;
    const running = idx.run();
    return {
      url: served.url,
      deployment,
      store,
      indexer: idx,
      waitForBlock: (n, timeoutMs) => idx.waitFor(() => (idx.head?.number ?? -1) >= n, timeoutMs),
      query: (query, variables) => handle({ query, variables }),
      async stop() {
        idx.stop();
        monitor?.stop();
        await running.catch(() => {});
        await new Promise<void>((r) => served.server.close(() => r()));
        served.server.closeAllConnections?.();
        await db.close();
      },
    };
  } catch (e) {
    indexer?.stop();
    monitor?.stop();
    server?.close();
    await db.close().catch(() => {});
    throw e;
  }
}
