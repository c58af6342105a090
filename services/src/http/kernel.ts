/**
 * The HTTP kernel every HarmonieCORE server is built on: one error shape (`{ error: { name, message } }`,
 * see the SDK's `protocol/http.ts`), size-limited JSON and upload bodies, CORS, a per-client rate limit
 * on writes, `/health`, a `listen` that rejects on a busy port, and a graceful close.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { Readable } from "node:stream";
import {
  InvalidCidError,
  InvalidInputError,
  NotFoundError,
  SignInError,
  UploadTooLargeError,
} from "../../../sdk/src/errors.ts";
import type { ServiceError, ServiceErrorBody, ServiceErrorName } from "../../../sdk/src/protocol/http.ts";
import { createRateLimiter, type RateLimitOptions } from "./rate-limit.ts";

export type { RateLimitOptions } from "./rate-limit.ts";

/** A failure a service answers with its own status and stable name instead of a 500. */
export class HttpError extends Error {
  readonly status: number;
  readonly errorName: ServiceErrorName;
  readonly details: Pick<ServiceError, "limitBytes" | "retryAfterSeconds">;
  readonly headers: Record<string, string>;
  constructor(
    status: number,
    errorName: ServiceErrorName,
    message: string,
    options: { details?: HttpError["details"]; headers?: Record<string, string>; cause?: unknown } = {},
  ) {
    super(message, { cause: options.cause });
    this.name = "HttpError";
    this.status = status;
    this.errorName = errorName;
    this.details = options.details ?? {};
    this.headers = options.headers ?? {};
  }
}

/** The SDK's own errors as answers; anything else is a 500 whose detail stays in the operator's log. */
export function httpErrorOf(error: unknown): HttpError | undefined {
  if (error instanceof HttpError) return error;
  if (error instanceof InvalidCidError || error instanceof InvalidInputError)
    return new HttpError(400, error.name as ServiceErrorName, error.message);
  if (error instanceof NotFoundError) return new HttpError(404, "NotFoundError", error.message);
  if (error instanceof UploadTooLargeError)
    return new HttpError(413, "UploadTooLargeError", error.message, {
      details: { limitBytes: error.limitBytes },
      headers: { connection: "close" },
    });
  if (error instanceof SignInError) return new HttpError(401, "SignInError", error.message);
  if (error instanceof URIError)
    return new HttpError(400, "BadRequest", "The path contains malformed percent-encoding.");
  return undefined;
}

/**
 * Sends a JSON body with the given status.
 *
 * @example
 * ```ts
 * sendJson(res, 200, { ok: true })
 * ```
 */
export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  if (body === undefined) {
    res.writeHead(status, headers).end();
    return;
  }
  const text = JSON.stringify(body);
  res.writeHead(status, {
    ...headers,
    "content-type": "application/json; charset=utf-8",
    "content-length": Buffer.byteLength(text),
  });
  res.end(text);
}

/**
 * Sends the one error shape. Once a body is streaming, the connection is cut instead.
 *
 * @example
 * ```ts
 * sendError(res, new HttpError(404, 'NotFoundError', 'bafy… was not found.'))
 * ```
 */
export function sendError(res: ServerResponse, error: HttpError): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const body: ServiceErrorBody = { error: { name: error.errorName, message: error.message, ...error.details } };
  sendJson(res, error.status, body, error.headers);
}

/**
 * Streams the request body, failing with UploadTooLargeError past `limit` bytes.
 *
 * @example
 * ```ts
 * for await (const chunk of limitedBody(req, 1_000_000)) hash.update(chunk)
 * ```
 */
export async function* limitedBody(req: IncomingMessage, limit: number): AsyncGenerator<Uint8Array> {
  const declared = Number(req.headers["content-length"] ?? Number.NaN);
  if (declared > limit) throw new UploadTooLargeError(limit, declared);
  let received = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    received += chunk.byteLength;
    if (received > limit) throw new UploadTooLargeError(limit);
    yield new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength);
  }
}

/**
 * Parses a multipart/form-data body (size-limited) with the platform's FormData parser.
 *
 * @example
 * ```ts
 * const form = await readMultipart(req, 50 * 1024 * 1024)
 * ```
 */
export async function readMultipart(req: IncomingMessage, limit: number): Promise<FormData> {
  const contentType = req.headers["content-type"] ?? "";
  const body = Readable.toWeb(Readable.from(limitedBody(req, limit))) as ReadableStream<Uint8Array>;
  try {
    return await new Response(body, { headers: { "content-type": contentType } }).formData();
  } catch (err) {
    // The limiter's error arrives wrapped by the body reader.
    const cause = findCause(err, UploadTooLargeError);
    if (cause !== undefined) throw cause;
    throw new InvalidInputError(
      `The multipart body could not be parsed (${(err as Error).message}); send multipart/form-data with one file part per file.`,
      { cause: err },
    );
  }
}

function findCause<T>(err: unknown, type: new (...args: never[]) => T): T | undefined {
  for (let e: unknown = err, depth = 0; e != null && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    if (e instanceof type) return e;
  }
  return undefined;
}

/**
 * Reads a small JSON body (413 `BodyTooLarge` past `limit` bytes, 400 `BadRequest` if not JSON),
 * keeping the raw text for signature checks.
 *
 * @example
 * ```ts
 * const { body } = await readJson(req)
 * ```
 */
export async function readJson(req: IncomingMessage, limit = 16 * 1024): Promise<{ raw: string; body: unknown }> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit)
      throw new HttpError(413, "BodyTooLarge", `Request body over ${limit} bytes.`, {
        details: { limitBytes: limit },
        headers: { connection: "close" },
      });
    chunks.push(chunk);
  }
  const raw = Buffer.concat(chunks).toString("utf8");
  try {
    return { raw, body: JSON.parse(raw) };
  } catch {
    throw new HttpError(400, "BadRequest", "The body is not JSON.");
  }
}

/**
 * Starts listening and resolves with the base URL (`http://host:port`); a busy port (EADDRINUSE) or
 * a host it cannot bind rejects instead of becoming an uncaught exception.
 *
 * @example
 * ```ts
 * const url = await listen(server, 0, '127.0.0.1')
 * ```
 */
export async function listen(server: Server, port: number, host: string): Promise<string> {
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const shownHost = address.family === "IPv6" ? `[${address.address}]` : address.address;
  return `http://${shownHost}:${address.port}`;
}

/**
 * Closes a server gracefully: no new connections, idle keep-alive ones closed at once, requests in
 * flight given `graceMs` to finish before their connections are cut.
 *
 * @example
 * ```ts
 * await closeServer(server)
 * ```
 */
export async function closeServer(server: Server, graceMs = 5_000): Promise<void> {
  if (!server.listening) return;
  const closed = new Promise<void>((resolve, reject) => {
    server.close((err) => {
      err === undefined ? resolve() : reject(err);
    });
  });
  server.closeIdleConnections();
  const timer = setTimeout(() => server.closeAllConnections(), graceMs);
  timer.unref();
  try {
    await closed;
  } finally {
    clearTimeout(timer);
  }
}

export interface CorsOptions {
  /** Allowed browser origins; `*` (default) for any. */
  origins?: "*" | readonly string[];
  methods?: readonly string[];
  headers?: readonly string[];
  expose?: readonly string[];
}

/** Sets the CORS headers when the request comes from an allowed origin. */
export function applyCors(req: IncomingMessage, res: ServerResponse, cors: CorsOptions = {}): void {
  const origins = cors.origins ?? "*";
  const origin = req.headers.origin;
  if (origins === "*") res.setHeader("access-control-allow-origin", "*");
  else if (origin !== undefined && origins.includes(origin)) {
    res.setHeader("access-control-allow-origin", origin);
    res.setHeader("vary", "Origin");
  } else return;
  res.setHeader("access-control-allow-methods", (cors.methods ?? ["GET", "POST", "OPTIONS"]).join(", "));
  res.setHeader("access-control-allow-headers", (cors.headers ?? ["Content-Type", "Authorization"]).join(", "));
  res.setHeader("access-control-expose-headers", ["Retry-After", ...(cors.expose ?? [])].join(", "));
}

/** A JSON answer; a route that streams its own response returns nothing instead. */
export interface Reply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export interface HttpServiceOptions {
  /** Names the service in `/health` and in log lines. */
  name: string;
  /** The routes; throw an HttpError (or an SDK error) to refuse. `/health` and OPTIONS are answered before. */
  route: (req: IncomingMessage, res: ServerResponse, url: URL) => Promise<Reply | void>;
  /** Extra `/health` fields, or a whole answer (e.g. 503 when a dependency is down). Default `{ ok: true }`. */
  health?: () => Promise<Reply> | Reply;
  cors?: CorsOptions;
  /** Per-client limit on writes (every method but GET, HEAD, OPTIONS). None by default. */
  rateLimit?: RateLimitOptions;
  /** Maps a service's own failures to answers before the kernel's mapping (e.g. a contract error → 404). */
  classify?: (error: unknown) => HttpError | undefined;
  /** Where unexpected failures are logged (the client sees only `InternalError`). Default console.error. */
  log?: (line: string) => void;
  /** The client address for rate limits; the socket's by default. */
  clientOf?: (req: IncomingMessage) => string;
}

/** URLs in log lines keep their origin only: RPC providers put API keys in the path or query. */
export const redactUrls = (text: string) => text.replace(/\b((?:https?|wss?):\/\/[^/\s"']+)[^\s"']*/g, "$1/…");

/**
 * The request handler of a JSON service: CORS and preflight, `/health`, the write rate limit, the
 * routes, and every failure as the one error shape.
 *
 * @example
 * ```ts
 * const handler = createHttpHandler({ name: 'keys', route: async (req, res, url) => ({ status: 200, body: { ok: 1 } }) })
 * ```
 */
export function createHttpHandler(options: HttpServiceOptions): (req: IncomingMessage, res: ServerResponse) => void {
  const limiter = options.rateLimit === undefined ? undefined : createRateLimiter(options.rateLimit);
  const log = options.log ?? ((line: string) => console.error(line));
  const clientOf = options.clientOf ?? ((req: IncomingMessage) => req.socket.remoteAddress ?? "unknown");

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://service.invalid");
    const method = req.method ?? "GET";
    if (method === "OPTIONS") return sendJson(res, 204, undefined, { "access-control-max-age": "600" });
    if (url.pathname === "/health" && (method === "GET" || method === "HEAD")) {
      const reply = (await options.health?.()) ?? { status: 200, body: { ok: true } };
      return sendJson(res, reply.status, { service: options.name, ...(reply.body as object) }, reply.headers);
    }
    if (limiter !== undefined && method !== "GET" && method !== "HEAD") {
      const decision = limiter.take(clientOf(req));
      if (!decision.allowed) {
        const { retryAfterSeconds } = decision;
        throw new HttpError(
          429,
          "RateLimited",
          `Too many requests from this address; retry in ${retryAfterSeconds} s.`,
          {
            details: { retryAfterSeconds },
            headers: { "retry-after": String(retryAfterSeconds) },
          },
        );
      }
    }
    const reply = await options.route(req, res, url);
    if (reply !== undefined) sendJson(res, reply.status, reply.body, reply.headers);
  }

  return (req, res) => {
    applyCors(req, res, options.cors);
    handle(req, res).catch((error: unknown) => {
      const known = options.classify?.(error) ?? httpErrorOf(error);
      if (known !== undefined) return sendError(res, known);
      log(
        `${options.name}: ${req.method} ${req.url?.split("?")[0]} failed: ${redactUrls(String((error as Error)?.stack ?? error))}`,
      );
      sendError(res, new HttpError(500, "InternalError", "The service failed; the operator's log has the details."));
    });
  };
}

export interface RunningService {
  readonly server: Server;
  /** Base URL once listening, e.g. `http://127.0.0.1:8080`. */
  readonly url: string;
  close: () => Promise<void>;
}

/**
 * Creates the server and listens (127.0.0.1 and any free port by default).
 *
 * @example
 * ```ts
 * const { url, close } = await startHttpService({ name: 'keys', route }, { port: 8790 })
 * ```
 */
export async function startHttpService(
  options: HttpServiceOptions,
  bind: { port?: number; host?: string } = {},
): Promise<RunningService> {
  const server = createServer(createHttpHandler(options));
  const url = await listen(server, bind.port ?? 0, bind.host ?? "127.0.0.1");
  return { server, url, close: () => closeServer(server) };
}
