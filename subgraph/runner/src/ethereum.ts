// Ethereum data in AssemblyScript memory: graph-ts' ethereum.Event, Block,
// Transaction, TransactionReceipt, Log and ethereum.Value, laid out as
// graph-node writes them for apiVersion >= 0.0.7 (Event has `receipt`).
import type { AbiParameter } from "viem";
import { AscMemory, TypeId } from "./asc.ts";
import { bigIntFromSignedLE, bytesOfHex, hexOf, signedLEOfRpcQuantity } from "./numbers.ts";

// RPC shapes (hex quantities as returned by eth_* methods).
export interface RpcBlock {
  number: string;
  hash: string;
  parentHash: string;
  sha3Uncles: string;
  miner: string;
  stateRoot: string;
  transactionsRoot: string;
  receiptsRoot: string;
  gasUsed: string;
  gasLimit: string;
  timestamp: string;
  difficulty?: string;
  totalDifficulty?: string;
  size?: string;
  baseFeePerGas?: string;
  transactions: (RpcTransaction | string)[];
}
export interface RpcTransaction {
  hash: string;
  transactionIndex: string;
  from: string;
  to: string | null;
  value: string;
  gas: string;
  gasPrice?: string;
  input: string;
  nonce: string;
}
export interface RpcLog {
  address: string;
  topics: string[];
  data: string;
  blockHash: string;
  blockNumber: string;
  transactionHash: string;
  transactionIndex: string;
  logIndex: string;
  removed?: boolean;
}
export interface RpcReceipt {
  transactionHash: string;
  transactionIndex: string;
  blockHash: string;
  blockNumber: string;
  cumulativeGasUsed: string;
  gasUsed: string;
  contractAddress: string | null;
  logs: RpcLog[];
  status?: string;
  root?: string;
  logsBloom: string;
}

/** ethereum.ValueKind */
const EthKind = {
  Address: 0,
  FixedBytes: 1,
  Bytes: 2,
  Int: 3,
  Uint: 4,
  Bool: 5,
  String: 6,
  FixedArray: 7,
  Array: 8,
  Tuple: 9,
} as const;

const bigHex = (mem: AscMemory, hex: string | undefined | null) =>
  hex == null ? 0 : mem.writeBytes(signedLEOfRpcQuantity(hex));
const bytes = (mem: AscMemory, hex: string | undefined | null) => (hex == null ? 0 : mem.writeRpcHex(hex));

// Blocks, transactions and receipts are shared by their events: written once per module, then copied.
export function writeBlock(mem: AscMemory, b: RpcBlock): number {
  return mem.image(b, () => writeBlockObjects(mem, b));
}

function writeBlockObjects(mem: AscMemory, b: RpcBlock): number {
  return mem.writeObject(
    [
      bytes(mem, b.hash),
      bytes(mem, b.parentHash),
      bytes(mem, b.sha3Uncles),
      bytes(mem, b.miner),
      bytes(mem, b.stateRoot),
      bytes(mem, b.transactionsRoot),
      bytes(mem, b.receiptsRoot),
      bigHex(mem, b.number),
      bigHex(mem, b.gasUsed),
      bigHex(mem, b.gasLimit),
      bigHex(mem, b.timestamp),
      bigHex(mem, b.difficulty ?? "0x0"),
      bigHex(mem, b.totalDifficulty ?? "0x0"),
      bigHex(mem, b.size),
      bigHex(mem, b.baseFeePerGas),
    ],
    TypeId.EthereumBlock,
  );
}

function writeTransaction(mem: AscMemory, t: RpcTransaction): number {
  return mem.image(t, () =>
    mem.writeObject(
      [
        bytes(mem, t.hash),
        bigHex(mem, t.transactionIndex),
        bytes(mem, t.from),
        bytes(mem, t.to),
        bigHex(mem, t.value),
        bigHex(mem, t.gas),
        bigHex(mem, t.gasPrice ?? "0x0"),
        bytes(mem, t.input),
        bigHex(mem, t.nonce),
      ],
      TypeId.EthereumTransaction,
    ),
  );
}

function writeLog(mem: AscMemory, l: RpcLog): number {
  const removed = mem.alloc(4, TypeId.WrappedBool);
  mem.setU32(removed, l.removed ? 1 : 0);
  return mem.writeObject(
    [
      bytes(mem, l.address),
      mem.writeArray(
        l.topics.map((t) => bytes(mem, t)),
        TypeId.ArrayH256,
      ),
      bytes(mem, l.data),
      bytes(mem, l.blockHash),
      bigHex(mem, l.blockNumber),
      bytes(mem, l.transactionHash),
      bigHex(mem, l.transactionIndex),
      bigHex(mem, l.logIndex),
      0, // transactionLogIndex: not available from standard RPC (graph-node leaves it null too)
      0, // logType
      removed,
    ],
    TypeId.Log,
  );
}

function writeReceipt(mem: AscMemory, r: RpcReceipt): number {
  return mem.image(r, () =>
    mem.writeObject(
      [
        bytes(mem, r.transactionHash),
        bigHex(mem, r.transactionIndex),
        bytes(mem, r.blockHash),
        bigHex(mem, r.blockNumber),
        bigHex(mem, r.cumulativeGasUsed),
        bigHex(mem, r.gasUsed),
        bytes(mem, r.contractAddress),
        mem.writeArray(
          r.logs.map((l) => writeLog(mem, l)),
          TypeId.ArrayLog,
        ),
        bigHex(mem, r.status),
        bytes(mem, r.root),
        bytes(mem, r.logsBloom),
      ],
      TypeId.TransactionReceipt,
    ),
  );
}

/** Whether an ABI type is dynamic (an indexed value of it is only its keccak hash in the topic). */
export function isDynamic(p: AbiParameter): boolean {
  return p.type === "string" || p.type === "bytes" || p.type.endsWith("]") || p.type.startsWith("tuple");
}

/** Writes a decoded ABI value (viem's JS representation) as an ethereum.Value. */
export function writeEthValue(mem: AscMemory, p: AbiParameter, v: unknown): number {
  // Every payload here is a pointer or 0/1: the u32 write gives the same bytes as the u64 one.
  const e = (kind: number, payload: number) => mem.writeEnumU32(kind, payload, TypeId.EthereumValue);
  const t = p.type;
  const arr = t.endsWith("]") ? /^(.*)\[(\d*)\]$/.exec(t) : null;
  if (arr) {
    const inner = { ...p, type: arr[1] } as AbiParameter;
    const items = (v as unknown[]).map((x) => writeEthValue(mem, inner, x));
    return e(arr[2] === "" ? EthKind.Array : EthKind.FixedArray, mem.writeArray(items, TypeId.ArrayEthereumValue));
  }
  if (t === "tuple") {
    const comps = (p as { components: readonly AbiParameter[] }).components;
    const vals = Array.isArray(v) ? v : comps.map((c) => (v as Record<string, unknown>)[c.name!]);
    return e(
      EthKind.Tuple,
      mem.writeArray(
        comps.map((c, i) => writeEthValue(mem, c, vals[i])),
        TypeId.ArrayEthereumValue,
      ),
    );
  }
  // Bytes arrive as viem's hex, or as bytes from the fast event decoder (abi.ts).
  const raw = () => (v instanceof Uint8Array ? v : bytesOfHex(v as string));
  if (t === "address") return e(EthKind.Address, mem.writeBytes(raw()));
  if (t === "bool") return e(EthKind.Bool, v ? 1 : 0);
  if (t === "string") return e(EthKind.String, mem.writeString(v as string));
  if (t === "bytes") return e(EthKind.Bytes, mem.writeBytes(raw()));
  if (t.startsWith("bytes")) return e(EthKind.FixedBytes, mem.writeBytes(raw()));
  if (t.startsWith("int")) return e(EthKind.Int, mem.writeBigInt(BigInt(v as bigint)));
  if (t.startsWith("uint")) return e(EthKind.Uint, mem.writeBigInt(BigInt(v as bigint)));
  throw new Error(`unsupported ABI type ${t}`);
}

/** Reads an ethereum.Value into viem's JS representation for `type`. */
export function readEthValue(mem: AscMemory, ptr: number, p: AbiParameter): unknown {
  const { kind, payload, ptr: data } = mem.readEnum(ptr);
  switch (kind) {
    case EthKind.Address:
    case EthKind.FixedBytes:
    case EthKind.Bytes:
      return hexOf(mem.readBytes(data));
    case EthKind.Int:
    case EthKind.Uint:
      return bigIntFromSignedLE(mem.readBytes(data));
    case EthKind.Bool:
      return payload !== 0n;
    case EthKind.String:
      return mem.readString(data);
    case EthKind.FixedArray:
    case EthKind.Array: {
      const inner = { ...p, type: p.type.replace(/\[\d*\]$/, "") } as AbiParameter;
      return mem.readArray(data).map((q) => readEthValue(mem, q, inner));
    }
    case EthKind.Tuple: {
      const comps = (p as { components?: readonly AbiParameter[] }).components ?? [];
      return mem.readArray(data).map((q, i) => readEthValue(mem, q, comps[i]));
    }
    default:
      throw new Error(`unknown ethereum.Value kind ${kind}`);
  }
}

export interface EventInput {
  log: RpcLog;
  block: RpcBlock;
  transaction: RpcTransaction;
  receipt: RpcReceipt | null;
  inputs: readonly AbiParameter[];
  /** Decoded values in input order; indexed dynamic values are their topic hash. */
  values: unknown[];
}

export interface CallInput {
  to: string;
  from: string;
  block: RpcBlock;
  transaction: RpcTransaction;
  inputs: readonly AbiParameter[];
  inputValues: unknown[];
  outputs: readonly AbiParameter[];
  outputValues: unknown[];
}

/** Writes an ethereum.Call (graph-node's AscEthereumCall_0_0_3: to, from, block, transaction, inputs, outputs). */
export function writeCall(mem: AscMemory, c: CallInput): number {
  const params = (ps: readonly AbiParameter[], values: unknown[]) =>
    mem.writeArray(
      ps.map((p, i) =>
        mem.writeObject([mem.writeString(p.name ?? ""), writeEthValue(mem, p, values[i])], TypeId.EventParam),
      ),
      TypeId.ArrayEventParam,
    );
  return mem.writeObject(
    [
      bytes(mem, c.to),
      bytes(mem, c.from),
      writeBlock(mem, c.block),
      writeTransaction(mem, c.transaction),
      params(c.inputs, c.inputValues),
      params(c.outputs, c.outputValues),
    ],
    TypeId.EthereumCall,
  );
}

/** Writes an ethereum.Event and returns its pointer (the handler's argument). */
export function writeEvent(mem: AscMemory, ev: EventInput): number {
  const params = ev.inputs.map((input, i) => {
    const indexedHash = (input as { indexed?: boolean }).indexed && isDynamic(input);
    const value = indexedHash
      ? mem.writeEnumU32(EthKind.FixedBytes, mem.writeBytes(bytesOfHex(ev.values[i] as string)), TypeId.EthereumValue)
      : writeEthValue(mem, input, ev.values[i]);
    return mem.writeObject([mem.writeString(input.name ?? ""), value], TypeId.EventParam);
  });
  const logIndex = bigHex(mem, ev.log.logIndex);
  return mem.writeObject(
    [
      bytes(mem, ev.log.address),
      logIndex,
      logIndex, // transactionLogIndex: graph-node passes the log index too
      0, // logType: null
      writeBlock(mem, ev.block),
      writeTransaction(mem, ev.transaction),
      mem.writeArray(params, TypeId.ArrayEventParam),
      ev.receipt ? writeReceipt(mem, ev.receipt) : 0,
    ],
    TypeId.EthereumEvent,
  );
}
