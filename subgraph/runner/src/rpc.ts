// Minimal JSON-RPC client with batching (one HTTP request for many calls).
import type { RpcBlock, RpcLog, RpcReceipt } from "./ethereum.ts";

export class RpcError extends Error {
  readonly code?: number;
  constructor(message: string, code?: number) {
    super(message);
    this.code = code;
  }
}

export class Rpc {
  readonly url: string;
  #id = 0;

  constructor(url: string) {
    this.url = url;
  }

  async #post(body: unknown): Promise<any> {
    let res: Response;
    const send = () =>
      fetch(this.url, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(body),
      });
    try {
      // A kept-alive connection the node (or a proxy) closed while idle fails at once: once more, on a
      // new connection (the runner only reads, so a repeated request changes nothing).
      res = await send().catch((e) => {
        const code = (e as { cause?: { code?: string } }).cause?.code;
        if (code === "UND_ERR_SOCKET" || code === "ECONNRESET") return send();
        throw e;
      });
    } catch (e) {
      throw new RpcError(
        `RPC unreachable at ${this.url}: ${(e as Error & { cause?: Error }).cause?.message ?? (e as Error).message}`,
      );
    }
    if (!res.ok) throw new RpcError(`RPC ${this.url} answered HTTP ${res.status}: ${(await res.text()).slice(0, 200)}`);
    return res.json();
  }

  async call<T>(method: string, params: unknown[] = []): Promise<T> {
    const r = await this.#post({ jsonrpc: "2.0", id: ++this.#id, method, params });
    if (r.error) throw new RpcError(`${method}: ${r.error.message}`, r.error.code);
    return r.result as T;
  }

  /** Several calls in one request; results in order. */
  async batch<T>(calls: [string, unknown[]][]): Promise<T[]> {
    if (calls.length === 0) return [];
    const base = this.#id;
    this.#id += calls.length;
    const out = await this.#post(
      calls.map(([method, params], i) => ({ jsonrpc: "2.0", id: base + i + 1, method, params })),
    );
    if (!Array.isArray(out)) throw new RpcError(`batch request failed: ${JSON.stringify(out).slice(0, 200)}`);
    const byId = new Map(out.map((r: any) => [r.id, r]));
    return calls.map(([method], i) => {
      const r = byId.get(base + i + 1);
      if (!r) throw new RpcError(`${method}: no response in batch`);
      if (r.error) throw new RpcError(`${method}: ${r.error.message}`, r.error.code);
      return r.result as T;
    });
  }

  blockNumber = async () => Number(await this.call<string>("eth_blockNumber"));
  block = (n: number, full = false) => this.call<RpcBlock | null>("eth_getBlockByNumber", [hex(n), full]);
  blocks = (ns: number[], full: boolean) =>
    this.batch<RpcBlock | null>(ns.map((n) => ["eth_getBlockByNumber", [hex(n), full]]));
  receipts = (hashes: string[]) => this.batch<RpcReceipt | null>(hashes.map((h) => ["eth_getTransactionReceipt", [h]]));
  logs = (filter: { fromBlock: number; toBlock: number; address?: string[]; topics?: (string[] | null)[] }) =>
    this.call<RpcLog[]>("eth_getLogs", [{ ...filter, fromBlock: hex(filter.fromBlock), toBlock: hex(filter.toBlock) }]);
}

export const hex = (n: number | bigint) => "0x" + n.toString(16);
