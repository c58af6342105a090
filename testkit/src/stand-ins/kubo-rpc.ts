/**
 * STAND-IN for a Kubo daemon's RPC API, for tests only: no kubo binary can
 * run on this machine. It implements exactly the endpoints the Kubo backend
 * uses, with kubo's wire behaviour, over an in-process blockstore:
 *
 * - `POST /api/v0/add` — multipart body as kubo-rpc-client sends it
 *   (`file`, `file-1`… parts, URI-encoded filenames); query options
 *   `cid-version` (default 0), `raw-leaves` (default true iff cid-version=1),
 *   `chunker` (`size-N`, default size-262144), `wrap-with-directory`,
 *   `progress`, `pin` (default true). Like go-ipfs-cmds, unknown options
 *   (e.g. camelCase `cidVersion`) are ignored. Answers ndjson
 *   `{Name,Bytes}` progress lines and `{Name,Hash,Size}` results.
 * - `POST /api/v0/cat?arg=<path>[&offset&length]`
 * - `POST /api/v0/block/get?arg=<cid>`
 * - `POST /api/v0/block/stat?arg=<cid>` → `{Key,Size}`
 * - `POST /api/v0/pin/add?arg=<cid>` → `{Pins:[cid]}`
 *
 * Errors are kubo's shape: HTTP 500 `{Message,Code:0,Type:"error"}`; unknown
 * commands 404; non-POST 405. Every request is recorded in `requests`.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { MemoryBlockstore } from "blockstore-core/memory";
import type { Blockstore } from "interface-blockstore";
import { importer, type ImportCandidate } from "ipfs-unixfs-importer";
import { fixedSize } from "ipfs-unixfs-importer/chunker";
import { balanced } from "ipfs-unixfs-importer/layout";
import { getBlock } from "../../../sdk/src/storage/car.ts";
import { parseIpfsPath } from "../../../sdk/src/storage/cid.ts";
import { assertDagComplete } from "../../../sdk/src/storage/embedded.ts";
import { toByteSource } from "../../../sdk/src/storage/unixfs.ts";
import { cat } from "../../../sdk/src/storage/unixfs-read.ts";
import { closeServer, listen, readMultipart } from "../../../services/src/http/kernel.ts";

export interface KuboRpcStandIn {
  /** RPC base URL to give kubo-rpc-client, e.g. `http://127.0.0.1:5xxxx`. */
  url: string;
  blockstore: Blockstore;
  /** Every request received: command path and raw query. */
  requests: Array<{ command: string; query: URLSearchParams }>;
  pins: Set<string>;
  close: () => Promise<void>;
}

/**
 * Starts the stand-in on 127.0.0.1 and a free port.
 *
 * @example
 * ```ts
 * const kubo = await startKuboRpcStandIn()
 * const storage = createKuboBackend({ url: kubo.url })
 * ```
 */
export async function startKuboRpcStandIn(options: { blockstore?: Blockstore } = {}): Promise<KuboRpcStandIn> {
  const blockstore = options.blockstore ?? new MemoryBlockstore();
  const requests: KuboRpcStandIn["requests"] = [];
  const pins = new Set<string>();

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://kubo.invalid");
    const command = url.pathname.replace(/^\/api\/v0\//, "");
    requests.push({ command, query: url.searchParams });
    if (!url.pathname.startsWith("/api/v0/") || !(command in handlers)) {
      res.writeHead(404, { "content-type": "text/plain" }).end("404 page not found");
      return;
    }
    if (req.method !== "POST") {
      res.writeHead(405, { "content-type": "text/plain" }).end("405 - Method Not Allowed");
      return;
    }
    (handlers[command] as Handler)(req, res, url.searchParams).catch((err: unknown) => {
      if (res.headersSent) return void res.destroy();
      res
        .writeHead(500, { "content-type": "application/json" })
        .end(JSON.stringify({ Message: (err as Error).message, Code: 0, Type: "error" }));
    });
  });

  type Handler = (req: IncomingMessage, res: ServerResponse, query: URLSearchParams) => Promise<void>;
  const handlers: Record<string, Handler> = {
    async add(req, res, query) {
      const cidVersion = query.get("cid-version") === "1" ? 1 : 0;
      const rawLeaves = query.has("raw-leaves") ? query.get("raw-leaves") === "true" : cidVersion === 1;
      const chunker = query.get("chunker") ?? "size-262144";
      const chunkSize = /^size-(\d+)$/.exec(chunker)?.[1];
      if (chunkSize === undefined)
        throw new Error(`chunker "${chunker}" is not supported by this stand-in (only size-N)`);
      const wrap = query.get("wrap-with-directory") === "true";
      const progress = query.get("progress") === "true";
      const pin = query.get("pin") !== "false";

      const form = await readMultipart(req, Number.MAX_SAFE_INTEGER);
      const candidates: ImportCandidate[] = [];
      for (const [field, value] of form.entries()) {
        if (typeof value === "string") continue;
        const path = decodeURIComponent(value.name);
        if (field.startsWith("dir")) candidates.push({ path });
        else candidates.push({ path: path === "" ? undefined : path, content: toByteSource(value) });
      }
      if (candidates.length === 0) throw new Error("file argument 'path' is required");
      res.writeHead(200, { "content-type": "application/json", "x-chunked-output": "1" });
      const perFile = new Map<string, bigint>();
      let last = "";
      for await (const entry of importer(candidates, blockstore, {
        cidVersion,
        rawLeaves,
        chunker: fixedSize({ chunkSize: Number(chunkSize) }),
        layout: balanced({ maxChildrenPerNode: 174 }),
        wrapWithDirectory: wrap,
        onProgress: (event) => {
          if (!progress || event.type !== "unixfs:importer:progress:file:write") return;
          const name = event.detail.path ?? "";
          perFile.set(name, event.detail.bytesWritten);
          res.write(`${JSON.stringify({ Name: name, Bytes: Number(event.detail.bytesWritten) })}\n`);
        },
      })) {
        // kubo names an unnamed file by its CID and the wrapping directory "".
        const name = entry.path ?? entry.cid.toString();
        res.write(`${JSON.stringify({ Name: name, Hash: entry.cid.toString(), Size: String(entry.size) })}\n`);
        last = entry.cid.toString();
      }
      if (pin && last !== "") pins.add(last);
      res.end();
    },
    async cat(_req, res, query) {
      const target = requireArg(query);
      const offset = query.has("offset") ? Number(query.get("offset")) : undefined;
      const length = query.has("length") ? Number(query.get("length")) : undefined;
      const stream = cat(blockstore, target, { offset, length });
      const first = await stream.next(); // errors before headers become kubo errors
      res.writeHead(200, { "content-type": "text/plain", "x-stream-output": "1" });
      if (first.done !== true) res.write(first.value);
      for await (const chunk of stream) res.write(chunk);
      res.end();
    },
    async "block/get"(_req, res, query) {
      const cid = parseIpfsPath(requireArg(query)).cid;
      const bytes = await blockOrKuboError(blockstore, cid);
      res.writeHead(200, { "content-type": "text/plain", "x-stream-output": "1" }).end(bytes);
    },
    async "block/stat"(_req, res, query) {
      const cid = parseIpfsPath(requireArg(query)).cid;
      const bytes = await blockOrKuboError(blockstore, cid);
      res
        .writeHead(200, { "content-type": "application/json" })
        .end(JSON.stringify({ Key: cid.toString(), Size: bytes.byteLength }));
    },
    async "pin/add"(_req, res, query) {
      const cid = parseIpfsPath(requireArg(query)).cid;
      await assertDagComplete(blockstore, cid).catch(() => {
        throw new Error(`pin: block was not found locally (offline): ipld: could not find ${cid.toString()}`);
      });
      pins.add(cid.toString());
      res
        .writeHead(200, { "content-type": "application/json", "x-chunked-output": "1" })
        .end(`${JSON.stringify({ Pins: [cid.toString()] })}\n`);
    },
  };

  const url = await listen(server, 0, "127.0.0.1");
  return { url, blockstore, requests, pins, close: async () => closeServer(server) };
}

function requireArg(query: URLSearchParams): string {
  const arg = query.get("arg");
  if (arg === null) throw new Error('argument "ipfs-path" is required');
  return arg;
}

async function blockOrKuboError(
  blockstore: Blockstore,
  cid: ReturnType<typeof parseIpfsPath>["cid"],
): Promise<Uint8Array> {
  try {
    return await getBlock(blockstore, cid);
  } catch {
    throw new Error(`block was not found locally (offline): ipld: could not find ${cid.toString()}`);
  }
}
