/**
 * HTTP service for the embedded store (Node only).
 *
 * Routes:
 * - `GET|HEAD /ipfs/<cid>[/path]` — Trustless Gateway: `?format=raw` (or
 *   `Accept: application/vnd.ipld.raw`) returns the block; `?format=car`
 *   (or `Accept: application/vnd.ipld.car`) a CARv1 with `dag-scope`
 *   all|entity|block, `order=dfs; dups=n`. Without a format: file bytes with
 *   a content type (extension or magic bytes; never HTML), single `Range`
 *   support for audio seeking, and a JSON listing for directories.
 * - `POST /upload` — multipart/form-data (one part per file; more than one
 *   part, or `?wrap=true`, makes a directory) or a raw body (one file).
 *   Size-limited (413) and rate-limited per client address (429 + Retry-After).
 * - `POST /pin/<cid>` — checks the DAG is complete and records the pin.
 *
 * - `GET /health` — `{ ok, service: "ipfs" }`.
 *
 * Wire shapes and error names: the SDK's `protocol/ipfs.ts`. Binds 127.0.0.1 by default; CORS allows
 * the configured origins.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { CID } from "multiformats/cid";
import { exportCar, getBlock, resolvePathBlocks, type DagScope } from "../../../sdk/src/storage/car.ts";
import { parseIpfsPath } from "../../../sdk/src/storage/cid.ts";
import type { EmbeddedBackend } from "../../../sdk/src/storage/embedded.ts";
import { InvalidInputError } from "../../../sdk/src/errors.ts";
import type { PinResponse, UploadResponse } from "../../../sdk/src/protocol/ipfs.ts";
import type { AddResult, FileEntry } from "../../../sdk/src/storage/unixfs.ts";
import { cat, collect, list, resolve } from "../../../sdk/src/storage/unixfs-read.ts";
import {
  closeServer,
  createHttpHandler,
  HttpError,
  limitedBody,
  listen,
  readMultipart,
  sendJson,
} from "../http/kernel.ts";
import type { RateLimitOptions } from "../http/rate-limit.ts";

export interface IpfsServiceOptions {
  /** Where content lives; usually `createFsBackend(dataDir)`. */
  backend: EmbeddedBackend;
  /** Default 127.0.0.1 (loopback only). */
  host?: string;
  /** Default 0 (any free port). */
  port?: number;
  /** Largest accepted upload body, default 100 MiB. */
  maxUploadBytes?: number;
  /** Per-client limit on POST requests, default 30 per minute. */
  rateLimit?: RateLimitOptions;
  /** Allowed CORS origins; default `'*'`. */
  corsOrigins?: "*" | readonly string[];
}

export interface IpfsService {
  readonly server: Server;
  /** Base URL once listening, e.g. `http://127.0.0.1:8080`. */
  readonly url: string;
  close: () => Promise<void>;
}

const IMMUTABLE = "public, max-age=29030400, immutable";
const RAW_TYPE = "application/vnd.ipld.raw";
const CAR_TYPE = "application/vnd.ipld.car";

/**
 * Starts the service and resolves once it listens.
 *
 * @example
 * ```ts
 * const service = await startIpfsService({ backend: await createFsBackend('./data'), port: 8080 })
 * console.log(service.url)
 * ```
 */
export async function startIpfsService(options: IpfsServiceOptions): Promise<IpfsService> {
  const server = createServer(createIpfsRequestHandler(options));
  const url = await listen(server, options.port ?? 0, options.host ?? "127.0.0.1");
  return { server, url, close: async () => closeServer(server) };
}

/**
 * The request handler alone, to mount in an existing `node:http` server.
 *
 * @example
 * ```ts
 * http.createServer(createIpfsRequestHandler({ backend })).listen(8080, '127.0.0.1')
 * ```
 */
export function createIpfsRequestHandler(
  options: IpfsServiceOptions,
): (req: IncomingMessage, res: ServerResponse) => void {
  const maxUploadBytes = options.maxUploadBytes ?? 100 * 1024 * 1024;
  const { backend } = options;
  return createHttpHandler({
    name: "ipfs",
    cors: {
      origins: options.corsOrigins ?? "*",
      methods: ["GET", "HEAD", "POST", "OPTIONS"],
      headers: ["Content-Type", "Range", "Accept", "If-None-Match"],
      expose: ["Content-Range", "Content-Length", "Etag", "X-Ipfs-Path", "X-Ipfs-Roots"],
    },
    rateLimit: options.rateLimit ?? { max: 30, windowMs: 60_000 },
    route: async (req, res, url) => {
      const method = req.method ?? "GET";
      if (url.pathname.startsWith("/ipfs/") && (method === "GET" || method === "HEAD"))
        return serveGateway(req, res, url, backend);
      if (url.pathname === "/upload" || url.pathname.startsWith("/pin/")) {
        if (method !== "POST")
          throw new HttpError(405, "MethodNotAllowed", `${url.pathname} accepts POST only.`, {
            headers: { allow: "POST, OPTIONS" },
          });
        if (url.pathname === "/upload")
          return { status: 200, body: serialiseAdd(await handleUpload(req, url, backend, maxUploadBytes)) };
        const cid = parseIpfsPath(decodeURIComponent(url.pathname.slice("/pin/".length))).cid;
        await backend.pin(cid);
        return { status: 200, body: { pinned: cid.toString() } satisfies PinResponse };
      }
      throw new HttpError(
        404,
        "RouteNotFound",
        `No route for ${method} ${url.pathname}. Use GET /ipfs/<cid>[/path], POST /upload or POST /pin/<cid>.`,
      );
    },
  });
}

async function handleUpload(
  req: IncomingMessage,
  url: URL,
  backend: EmbeddedBackend,
  limit: number,
): Promise<AddResult> {
  const contentType = req.headers["content-type"] ?? "";
  if (!contentType.startsWith("multipart/form-data")) {
    // Raw body: stream straight into the importer, one file.
    return backend.add(limitedBody(req, limit));
  }
  const form = await readMultipart(req, limit);
  const entries: FileEntry[] = [];
  for (const value of form.values()) {
    if (typeof value === "string") continue;
    entries.push({ path: value.name, content: value });
  }
  if (entries.length === 0)
    throw new InvalidInputError("The multipart upload has no file part; send each file as a part with a filename.");
  if (entries.length === 1 && url.searchParams.get("wrap") !== "true")
    return backend.add((entries[0] as FileEntry).content);
  return backend.add(entries);
}

function serialiseAdd(result: AddResult): UploadResponse {
  return {
    cid: result.cid.toString(),
    files: result.files.map((f) => ({ path: f.path, cid: f.cid.toString(), size: f.size })),
  };
}

async function serveGateway(
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  backend: EmbeddedBackend,
): Promise<void> {
  const rawPath = url.pathname.slice("/ipfs/".length);
  const [cidPart = "", ...segments] = rawPath.split("/");
  const path = segments
    .filter((s) => s !== "")
    .map((s) => decodeURIComponent(s))
    .join("/");
  const { cid } = parseIpfsPath(cidPart);
  const target = path === "" ? cid.toString() : `${cid.toString()}/${path}`;
  const head = req.method === "HEAD";
  const format = url.searchParams.get("format") ?? formatFromAccept(req.headers.accept);
  const common = { "x-content-type-options": "nosniff", "cache-control": IMMUTABLE, "x-ipfs-path": `/ipfs/${target}` };

  if (format === "raw") {
    if (path !== "")
      throw new InvalidInputError(
        "Raw block requests take a bare CID (/ipfs/<cid>?format=raw); use ?format=car to fetch a path.",
      );
    const bytes = await getBlock(backend.blockstore, cid);
    const etag = `"${cid.toString()}.raw"`;
    if (notModified(req, res, etag)) return;
    res.writeHead(200, {
      ...common,
      etag,
      "content-type": RAW_TYPE,
      "content-length": bytes.byteLength,
      "content-disposition": `attachment; filename="${cid.toString()}.bin"`,
    });
    res.end(head ? undefined : bytes);
    return;
  }

  if (format === "car") {
    const scope = parseScope(url.searchParams.get("dag-scope"));
    if ((url.searchParams.get("car-version") ?? "1") !== "1")
      throw new InvalidInputError("Only CAR version 1 is served (car-version=1).");
    if ((url.searchParams.get("car-dups") ?? "n") !== "n") throw new InvalidInputError("Only car-dups=n is served.");
    if (!["dfs", "unk"].includes(url.searchParams.get("car-order") ?? "dfs"))
      throw new InvalidInputError("Only car-order=dfs is served.");
    const resolved = await resolvePathBlocks(backend.blockstore, target); // a missing root becomes 404 here
    const etag = `"${cid.toString()}.car.${scope}.${path}"`;
    if (notModified(req, res, etag)) return;
    res.writeHead(200, {
      ...common,
      etag,
      "content-type": `${CAR_TYPE}; version=1; order=dfs; dups=n`,
      "content-disposition": `attachment; filename="${cid.toString()}.car"`,
      "x-ipfs-roots": resolved.cids.map((c) => c.toString()).join(","),
    });
    if (head) return void res.end();
    // Once streaming, a missing child can only truncate the CAR (per spec).
    for await (const chunk of exportCar(backend.blockstore, target, { scope, resolved })) {
      if (!res.write(chunk)) await new Promise((resolve) => res.once("drain", resolve));
    }
    res.end();
    return;
  }

  if (format !== undefined)
    throw new InvalidInputError(`Unsupported format "${format}"; use raw or car, or omit it for file bytes.`);
  await serveFile(req, res, backend, cid, target, path, common);
}

async function serveFile(
  req: IncomingMessage,
  res: ServerResponse,
  backend: EmbeddedBackend,
  root: CID,
  target: string,
  path: string,
  common: Record<string, string>,
): Promise<void> {
  const entry = await resolve(backend.blockstore, target);
  const etag = `"${entry.cid.toString()}"`;
  if (notModified(req, res, etag)) return;
  if (entry.type === "directory") {
    const entries = await list(backend.blockstore, target);
    sendJson(
      res,
      200,
      {
        cid: entry.cid.toString(),
        path: `/ipfs/${target}`,
        entries: entries.map((e) => ({ name: e.name, cid: e.cid.toString(), size: e.size })),
      },
      { ...common, etag },
    );
    return;
  }
  const size = Number(entry.size);
  const first = await collect(cat(backend.blockstore, target, { length: 64 }));
  const headers: Record<string, string | number> = {
    ...common,
    etag,
    "accept-ranges": "bytes",
    "content-type": contentTypeFor(path === "" ? root.toString() : path, first),
  };
  const range = parseRange(req.headers.range, size);
  if (range === "invalid") {
    res.writeHead(416, { ...headers, "content-range": `bytes */${size}` }).end();
    return;
  }
  const offset = range?.start ?? 0;
  const length = range === undefined ? size : range.end - range.start + 1;
  if (range !== undefined) headers["content-range"] = `bytes ${range.start}-${range.end}/${size}`;
  res.writeHead(range === undefined ? 200 : 206, { ...headers, "content-length": length });
  if (req.method === "HEAD" || length === 0) return void res.end();
  for await (const chunk of cat(backend.blockstore, target, { offset, length })) {
    if (!res.write(chunk)) await new Promise((resolve) => res.once("drain", resolve));
  }
  res.end();
}

function formatFromAccept(accept: string | undefined): string | undefined {
  if (accept === undefined) return undefined;
  if (accept.includes(RAW_TYPE)) return "raw";
  if (accept.includes(CAR_TYPE)) return "car";
  return undefined;
}

function parseScope(value: string | null): DagScope {
  if (value === null) return "all";
  if (value === "all" || value === "entity" || value === "block") return value;
  throw new InvalidInputError(`dag-scope must be all, entity or block (got "${value}").`);
}

function notModified(req: IncomingMessage, res: ServerResponse, etag: string): boolean {
  if (req.headers["if-none-match"] !== etag) return false;
  res.writeHead(304, { etag, "cache-control": IMMUTABLE }).end();
  return true;
}

/** Single `bytes=` range; undefined when absent, 'invalid' when unsatisfiable. */
function parseRange(header: string | undefined, size: number): { start: number; end: number } | "invalid" | undefined {
  if (header === undefined) return undefined;
  const match = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (match === null) return undefined; // multi-range or junk: serve the whole file
  const [, from = "", to = ""] = match;
  if (from === "" && to === "") return "invalid";
  const start = from === "" ? Math.max(0, size - Number(to)) : Number(from);
  const end = from === "" || to === "" ? size - 1 : Math.min(Number(to), size - 1);
  if (start >= size || start > end) return "invalid";
  return { start, end };
}

const TYPES_BY_EXTENSION: Record<string, string> = {
  json: "application/json",
  txt: "text/plain; charset=utf-8",
  lrc: "text/plain; charset=utf-8",
  mp3: "audio/mpeg",
  flac: "audio/flac",
  wav: "audio/wav",
  ogg: "audio/ogg",
  opus: "audio/ogg",
  aac: "audio/aac",
  m4a: "audio/mp4",
  webm: "audio/webm",
  jpg: "image/jpeg",
  jpeg: "image/jpeg",
  png: "image/png",
  webp: "image/webp",
  avif: "image/avif",
  gif: "image/gif",
  enc: "application/octet-stream",
  car: CAR_TYPE,
};

/** Content type from the extension, else from magic bytes; HTML/SVG are never served as such. */
function contentTypeFor(name: string, head: Uint8Array): string {
  const extension = /\.([a-z0-9]+)$/i.exec(name)?.[1]?.toLowerCase();
  if (extension !== undefined && extension in TYPES_BY_EXTENSION) return TYPES_BY_EXTENSION[extension] as string;
  const ascii = new TextDecoder("latin1").decode(head.subarray(0, 12));
  if (ascii.startsWith("ID3") || (head[0] === 0xff && ((head[1] ?? 0) & 0xe0) === 0xe0)) return "audio/mpeg";
  if (ascii.startsWith("fLaC")) return "audio/flac";
  if (ascii.startsWith("OggS")) return "audio/ogg";
  if (ascii.startsWith("RIFF") && ascii.slice(8, 12) === "WAVE") return "audio/wav";
  if (ascii.startsWith("RIFF") && ascii.slice(8, 12) === "WEBP") return "image/webp";
  if (ascii.startsWith("\x89PNG")) return "image/png";
  if (head[0] === 0xff && head[1] === 0xd8) return "image/jpeg";
  return "application/octet-stream";
}
