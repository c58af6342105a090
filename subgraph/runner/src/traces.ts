// Call traces for call handlers and `call` block handler filters. graph-node reads them with
// Parity's `trace_filter` (chain/ethereum/src/ethereum_adapter.rs) and keeps only successful CALL
// frames with at least 4 bytes of input (EthereumCall::try_from_trace). Local nodes often lack
// `trace_filter`: Hardhat's EDR serves `debug_traceTransaction` only, geth `debug_traceBlockByNumber`.
// The runner uses the first of the three the RPC answers, each reduced to the same flat list of
// calls in Parity's order (a transaction's frames depth first, as `traceAddress` orders them).
import { hex, Rpc, RpcError } from "./rpc.ts";

export type TraceMethod = "trace_filter" | "debug_traceBlockByNumber" | "debug_traceTransaction";

/** One successful or failed call frame, normalised from either trace format. */
export interface CallTrace {
  blockNumber: number;
  blockHash: string;
  transactionHash: string;
  transactionIndex: number;
  from: string;
  to: string;
  value: string;
  gasUsed: string;
  input: string;
  output: string;
  /** Set for a frame that failed (reverted, out of gas...): graph-node skips those. */
  error?: string;
}

/** The message graph-node fails a deployment with when no provider has traces (chain/ethereum/src/network.rs). */
export const NO_TRACES_GRAPH_NODE =
  "A matching Ethereum network with NodeCapabilities { archive: false, traces: true } was not found.";

/** The RPC serves no trace method: call handlers and `call` block filters cannot run. */
export class TracesUnavailable extends Error {}

export function tracesUnavailable(rpcUrl: string, what: string): TracesUnavailable {
  return new TracesUnavailable(
    `${what} need call traces, but the RPC at ${rpcUrl} serves none of trace_filter, debug_traceBlockByNumber or ` +
      `debug_traceTransaction (with the callTracer). graph-node fails such a subgraph the same way on a chain ` +
      `without traces: "${NO_TRACES_GRAPH_NODE}"`,
  );
}

/** Whether an RPC error says the method itself does not exist (not that its arguments were wrong). */
export function isMissingMethod(e: unknown): boolean {
  if (!(e instanceof RpcError)) return false;
  if (e.code === -32601) return true;
  return /\bmethod\b.*\b(not supported|not found|does not exist|is not available|not available|unsupported|not implemented)\b|unsupported method|unknown method/i.test(
    e.message,
  );
}

/**
 * The first trace method the node answers, or null. Probes are harmless requests: an empty
 * `trace_filter`, tracing the latest block, tracing an unknown transaction (which fails with
 * "not found" when the method exists).
 */
export async function detectTraceMethod(rpc: Rpc): Promise<TraceMethod | null> {
  const latest = hex(await rpc.blockNumber());
  const probes: [TraceMethod, unknown[]][] = [
    [
      "trace_filter",
      [{ fromBlock: latest, toBlock: latest, toAddress: ["0x0000000000000000000000000000000000000000"] }],
    ],
    ["debug_traceBlockByNumber", [latest, { tracer: "callTracer" }]],
    ["debug_traceTransaction", ["0x" + "00".repeat(32), { tracer: "callTracer" }]],
  ];
  for (const [method, params] of probes) {
    try {
      await rpc.call(method, params);
      return method;
    } catch (e) {
      if (isMissingMethod(e)) continue;
      if (e instanceof RpcError) return method; // the method exists; the probe's arguments did not fit
      throw e;
    }
  }
  return null;
}

interface ParityTrace {
  action: { callType?: string; from: string; to: string; value?: string; input?: string };
  result?: { gasUsed?: string; output?: string } | null;
  error?: string;
  type: string;
  blockHash: string;
  blockNumber: number | string;
  transactionHash?: string | null;
  transactionPosition?: number | string | null;
}

interface CallFrame {
  type: string;
  from: string;
  to?: string;
  value?: string;
  gasUsed?: string;
  input?: string;
  output?: string;
  error?: string;
  calls?: CallFrame[];
}

const CALL_TYPES = new Set(["CALL", "STATICCALL", "DELEGATECALL", "CALLCODE"]);

/** A callTracer tree as Parity's flat list: the frame, then its sub-calls depth first. */
function flatten(
  frame: CallFrame,
  base: Omit<CallTrace, "from" | "to" | "value" | "gasUsed" | "input" | "output" | "error">,
  out: CallTrace[],
): void {
  if (CALL_TYPES.has(frame.type.toUpperCase()) && frame.to) {
    out.push({
      ...base,
      from: frame.from.toLowerCase(),
      to: frame.to.toLowerCase(),
      value: frame.value ?? "0x0",
      gasUsed: frame.gasUsed ?? "0x0",
      input: frame.input ?? "0x",
      output: frame.output ?? "0x",
      ...(frame.error ? { error: frame.error } : {}),
    });
  }
  for (const c of frame.calls ?? []) flatten(c, base, out);
}

/** The blocks' hashes and transaction hashes (for the debug_* methods), as `eth_getBlockByNumber` returns them. */
export interface BlockTxs {
  number: number;
  hash: string;
  transactions: string[];
}

/** Requests per HTTP batch when tracing transaction by transaction. */
const BATCH = 100;

/**
 * Every call frame of blocks [from, to] (both trace formats reduced to `CallTrace`, in block and
 * Parity order). `toAddress` narrows `trace_filter` like graph-node does; the debug methods trace
 * every transaction of the range and need `blocks` (with their transaction hashes).
 */
export async function fetchCalls(
  rpc: Rpc,
  method: TraceMethod,
  from: number,
  to: number,
  toAddress: string[] | undefined,
  blocks: () => Promise<BlockTxs[]>,
): Promise<CallTrace[]> {
  const out: CallTrace[] = [];
  if (method === "trace_filter") {
    const traces = await rpc.call<ParityTrace[]>("trace_filter", [
      { fromBlock: hex(from), toBlock: hex(to), ...(toAddress ? { toAddress } : {}) },
    ]);
    for (const t of traces) {
      if (t.type !== "call" || t.transactionPosition == null || !t.transactionHash) continue;
      out.push({
        blockNumber: Number(t.blockNumber),
        blockHash: t.blockHash,
        transactionHash: t.transactionHash,
        transactionIndex: Number(t.transactionPosition),
        from: t.action.from.toLowerCase(),
        to: t.action.to.toLowerCase(),
        value: t.action.value ?? "0x0",
        gasUsed: t.result?.gasUsed ?? "0x0",
        input: t.action.input ?? "0x",
        output: t.result?.output ?? "0x",
        ...(t.error || !t.result ? { error: t.error ?? "no result" } : {}),
      });
    }
    return out;
  }
  const list = (await blocks()).filter((b) => b.transactions.length);
  if (method === "debug_traceBlockByNumber") {
    for (let i = 0; i < list.length; i += BATCH) {
      const chunk = list.slice(i, i + BATCH);
      const results = await rpc.batch<{ txHash?: string; result?: CallFrame; error?: string }[]>(
        chunk.map((b) => ["debug_traceBlockByNumber", [hex(b.number), { tracer: "callTracer" }]]),
      );
      chunk.forEach((b, j) =>
        results[j].forEach((r, index) => {
          if (!r.result)
            throw new RpcError(
              `debug_traceBlockByNumber: block ${b.number} transaction ${index}: ${r.error ?? "no trace"}`,
            );
          flatten(
            r.result,
            {
              blockNumber: b.number,
              blockHash: b.hash,
              transactionHash: r.txHash ?? b.transactions[index],
              transactionIndex: index,
            },
            out,
          );
        }),
      );
    }
    return out;
  }
  const txs = list.flatMap((b) => b.transactions.map((hash, index) => ({ b, hash, index })));
  for (let i = 0; i < txs.length; i += BATCH) {
    const chunk = txs.slice(i, i + BATCH);
    const frames = await rpc.batch<CallFrame>(
      chunk.map((t) => ["debug_traceTransaction", [t.hash, { tracer: "callTracer" }]]),
    );
    chunk.forEach((t, j) =>
      flatten(
        frames[j],
        { blockNumber: t.b.number, blockHash: t.b.hash, transactionHash: t.hash, transactionIndex: t.index },
        out,
      ),
    );
  }
  return out;
}
