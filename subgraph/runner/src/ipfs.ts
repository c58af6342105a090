// IPFS for file data sources and (when allowed) `ipfs.cat`: content paths parsed like graph-node's
// ContentPath (graph/src/ipfs/content_path.rs), files read from an IPFS HTTP gateway as graph-node's
// gateway client does (`GET <gateway>/ipfs/<cid>[/<path>]`, graph/src/ipfs/gateway_client.rs), and a
// polling monitor that retries missing files with an exponential backoff, like graph-node's
// (core/src/polling_monitor/mod.rs: at least 5 s, at most GRAPH_FDS_MAX_BACKOFF = 600 s).

const B58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
const B32 = "abcdefghijklmnopqrstuvwxyz234567";

function base58Decode(s: string): Uint8Array | null {
  let n = 0n;
  for (const ch of s) {
    const d = B58.indexOf(ch);
    if (d < 0) return null;
    n = n * 58n + BigInt(d);
  }
  const bytes: number[] = [];
  while (n > 0n) {
    bytes.unshift(Number(n & 0xffn));
    n >>= 8n;
  }
  for (const ch of s) {
    if (ch !== "1") break;
    bytes.unshift(0);
  }
  return Uint8Array.from(bytes);
}

function base32Decode(s: string): Uint8Array | null {
  let bits = 0;
  let value = 0;
  const out: number[] = [];
  for (const ch of s.toLowerCase()) {
    const d = B32.indexOf(ch);
    if (d < 0) return null;
    value = (value << 5) | d;
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return Uint8Array.from(out);
}

function base32Encode(bytes: Uint8Array): string {
  let bits = 0;
  let value = 0;
  let out = "";
  for (const b of bytes) {
    value = (value << 8) | b;
    bits += 8;
    while (bits >= 5) {
      out += B32[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += B32[(value << (5 - bits)) & 31];
  return out;
}

function varint(bytes: Uint8Array, at: number): [number, number] | null {
  let n = 0;
  let shift = 0;
  for (let i = at; i < bytes.length && i < at + 9; i++) {
    n += (bytes[i] & 0x7f) * 2 ** shift;
    if ((bytes[i] & 0x80) === 0) return [n, i + 1];
    shift += 7;
  }
  return null;
}

export interface Cid {
  /** The canonical text: base58btc for v0, base32 (lower case) for v1, as graph-node prints a CID. */
  text: string;
  /** The multihash function code. */
  hash: number;
}

/** Parses a CID (v0, or v1 in base32, base58btc or base16), or returns null. */
export function parseCid(s: string): Cid | null {
  if (s.length === 46 && s.startsWith("Qm")) {
    const bytes = base58Decode(s);
    if (!bytes || bytes.length !== 34 || bytes[0] !== 0x12 || bytes[1] !== 0x20) return null;
    return { text: s, hash: 0x12 };
  }
  const base = s[0];
  const body = s.slice(1);
  const bytes =
    base === "b" || base === "B"
      ? base32Decode(body)
      : base === "z"
        ? base58Decode(body)
        : (base === "f" || base === "F") && /^[0-9a-fA-F]*$/.test(body) && body.length % 2 === 0
          ? Uint8Array.from(Buffer.from(body, "hex"))
          : null;
  if (!bytes) return null;
  const version = varint(bytes, 0);
  if (!version || version[0] !== 1) return null;
  const codec = varint(bytes, version[1]);
  const code = codec && varint(bytes, codec[1]);
  const length = code && varint(bytes, code[1]);
  if (!length || length[1] + length[0] !== bytes.length) return null;
  return { text: "b" + base32Encode(bytes), hash: code[0] };
}

/** Multihashes graph-node accepts for file data sources (core/src/polling_monitor/ipfs_service.rs). */
const SAFE_MULTIHASHES = new Set([
  0x0, 0x12, 0x13, 0x17, 0x16, 0x15, 0x14, 0x1a, 0x1b, 0x1c, 0x1d, 0xb220, 0xb240, 0xb260, 0x1e,
]);

export function isSafeMultihash(cid: Cid): boolean {
  return SAFE_MULTIHASHES.has(cid.hash);
}

/** A parsed `<cid>[/<path>]`. */
export interface ContentPath {
  cid: Cid;
  path?: string;
  /** `<cid>[/<path>]` with the canonical CID: what `dataSource.stringParam()` returns. */
  text: string;
}

/**
 * graph-node's ContentPath::new: `<CID>[/<path>]`, `/ipfs/<CID>[/<path>]`, `ipfs://<CID>[/<path>]`,
 * `http[s]://…/ipfs/<CID>[/<path>]` or `…?arg=<CID>[/<path>]`. Throws with graph-node's reason.
 */
export function parseContentPath(input: string): ContentPath {
  let s = input.trim();
  if (s === "") throw new Error(`'${input}' is not a valid IPFS content path: content path is empty`);
  if (s.startsWith("http://") || s.startsWith("https://")) {
    let url: URL;
    try {
      url = new URL(s);
    } catch {
      throw new Error(`'${input}' is not a valid IPFS content path: input is not a valid URL`);
    }
    const arg = url.searchParams.get("arg");
    s =
      arg ?? (url.pathname.includes("/ipfs/") ? url.pathname.slice(url.pathname.indexOf("/ipfs/") + 6) : url.pathname);
  }
  s = s.replace(/^\/+|\/+$/g, "");
  for (const prefix of ["ipfs/", "ipfs://"]) if (s.startsWith(prefix)) s = s.slice(prefix.length);
  const slash = s.indexOf("/");
  const cidText = slash < 0 ? s : s.slice(0, slash);
  const path = slash < 0 ? "" : s.slice(slash + 1);
  const cid = parseCid(cidText);
  if (!cid) throw new Error(`'${input}' is not a valid IPFS content path: invalid CID`);
  if (path.includes("?")) throw new Error(`'${input}' is not a valid IPFS content path: query parameters not allowed`);
  return { cid, path: path || undefined, text: path ? `${cid.text}/${path}` : cid.text };
}

/** GRAPH_MAX_IPFS_FILE_BYTES' default: 25 MiB. */
export const MAX_FILE_BYTES = 25 * 1024 * 1024;

/** Reads files from an IPFS HTTP gateway (a trustless or a full gateway, e.g. the project's IPFS service). */
export class IpfsGateway {
  readonly url: string;
  readonly timeoutMs: number;
  constructor(url: string, timeoutMs: number) {
    this.url = url.replace(/\/+$/, "");
    this.timeoutMs = timeoutMs;
  }

  #url(p: ContentPath, raw: boolean): string {
    const path = p.path ? "/" + p.path.split("/").map(encodeURIComponent).join("/") : "";
    return `${this.url}/ipfs/${p.cid.text}${path}${raw ? "?format=raw" : ""}`;
  }

  /** The file's bytes; throws when the gateway does not answer 200 in time or the file is too large. */
  async cat(p: ContentPath, raw = false): Promise<Uint8Array> {
    const res = await fetch(this.#url(p, raw), {
      signal: AbortSignal.timeout(this.timeoutMs),
      headers: raw ? { accept: "application/vnd.ipld.raw" } : {},
    });
    if (!res.ok) {
      await res.body?.cancel();
      throw new Error(`${this.url} answered HTTP ${res.status} for /ipfs/${p.text}`);
    }
    const length = Number(res.headers.get("content-length") ?? 0);
    if (length > MAX_FILE_BYTES) {
      await res.body?.cancel();
      throw new Error(`/ipfs/${p.text} is ${length} bytes, more than the ${MAX_FILE_BYTES} graph-node reads`);
    }
    const bytes = new Uint8Array(await res.arrayBuffer());
    if (bytes.length > MAX_FILE_BYTES)
      throw new Error(`/ipfs/${p.text} is ${bytes.length} bytes, more than the ${MAX_FILE_BYTES} graph-node reads`);
    return bytes;
  }
}

export interface MonitorOptions {
  /** First retry delay (graph-node: 5 s); doubles up to `maxBackoffMs`. */
  minBackoffMs: number;
  /** graph-node: GRAPH_FDS_MAX_BACKOFF, 600 s. */
  maxBackoffMs: number;
  log: (line: string) => void;
}

/** Requests in flight at once (graph-node rate-limits to GRAPH_IPFS_REQUEST_LIMIT = 100 per second). */
const CONCURRENCY = 16;

/**
 * Polls the gateway for file data sources' files in the background: a file that is missing (or any
 * error) is asked for again after a backoff, forever, as graph-node does; a found file waits in
 * `ready` until the indexer takes it at its next block.
 */
export class FileMonitor {
  readonly gateway: IpfsGateway;
  readonly opts: MonitorOptions;
  #waiting = new Map<string, { path: ContentPath; attempts: number; timer?: NodeJS.Timeout }>();
  #queue: string[] = [];
  #inFlight = 0;
  #ready = new Map<string, Uint8Array>();
  #stopped = false;

  constructor(gateway: IpfsGateway, opts: MonitorOptions) {
    this.gateway = gateway;
    this.opts = opts;
  }

  /** Starts polling for `path` (once per path: several data sources may share a file). */
  add(path: ContentPath): void {
    if (this.#stopped || this.#waiting.has(path.text) || this.#ready.has(path.text)) return;
    this.#waiting.set(path.text, { path, attempts: 0 });
    this.#queue.push(path.text);
    this.#pump();
  }

  /** Files found since the last call, in the order they arrived. */
  take(): Map<string, Uint8Array> {
    const ready = this.#ready;
    this.#ready = new Map();
    return ready;
  }

  /** Puts files back (their block was not committed). */
  restore(files: Map<string, Uint8Array>): void {
    this.#ready = new Map([...files, ...this.#ready]);
  }

  /** Paths still being polled for. */
  get waiting(): string[] {
    return [...this.#waiting.keys()];
  }

  stop(): void {
    this.#stopped = true;
    for (const w of this.#waiting.values()) clearTimeout(w.timer);
    this.#waiting.clear();
    this.#queue = [];
  }

  #pump(): void {
    while (!this.#stopped && this.#inFlight < CONCURRENCY && this.#queue.length) {
      const key = this.#queue.shift()!;
      const w = this.#waiting.get(key);
      if (!w) continue;
      this.#inFlight++;
      this.gateway
        .cat(w.path)
        .then(
          (bytes) => {
            if (this.#stopped || !this.#waiting.has(key)) return;
            this.#waiting.delete(key);
            this.#ready.set(key, bytes);
          },
          (e: Error) => {
            if (this.#stopped || !this.#waiting.has(key)) return;
            if (w.attempts === 0)
              this.opts.log(`file data source: /ipfs/${key} not available yet (${e.message}); retrying with backoff`);
            const delay = Math.min(this.opts.maxBackoffMs, this.opts.minBackoffMs * 2 ** w.attempts);
            w.attempts++;
            w.timer = setTimeout(() => {
              this.#queue.push(key);
              this.#pump();
            }, delay);
            w.timer.unref();
          },
        )
        .finally(() => {
          this.#inFlight--;
          this.#pump();
        });
    }
  }
}
