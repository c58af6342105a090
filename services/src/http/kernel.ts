/** Small helpers shared by the Node HTTP servers of this module. */
import type { IncomingMessage, Server, ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { Readable } from "node:stream";
import { InvalidInputError, UploadTooLargeError } from "../../../sdk/src/errors.ts";

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
  const text = JSON.stringify(body);
  res.writeHead(status, {
    ...headers,
    "content-type": "application/json; charset=utf-8",
    "content-length": Buffer.byteLength(text),
  });
  res.end(text);
}

/**
 * Sends `{ error: { name, message } }`, the error shape of the IPFS service.
 *
 * @example
 * ```ts
 * sendError(res, 404, 'NotFoundError', 'bafy… was not found.')
 * ```
 */
export function sendError(
  res: ServerResponse,
  status: number,
  name: string,
  message: string,
  headers: Record<string, string> = {},
): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  sendJson(res, status, { error: { name, message } }, headers);
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
 * Starts listening and resolves with the base URL (`http://host:port`).
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
 * Closes a server and its idle keep-alive connections.
 *
 * @example
 * ```ts
 * await closeServer(server)
 * ```
 */
export async function closeServer(server: Server): Promise<void> {
  if (!server.listening) return;
  await new Promise<void>((resolve, reject) => {
    server.close((err) => {
      err === undefined ? resolve() : reject(err);
    });
    server.closeIdleConnections();
  });
}

/** An error a JSON API answers with its own status (and message) instead of 500. */
export class HttpError extends Error {
  readonly status: number;
  constructor(status: number, message: string) {
    super(message);
    this.status = status;
  }
}

/**
 * Reads a small JSON body (413 past `limit` bytes, 400 if not JSON), keeping the raw text for
 * signature checks.
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
    if (size > limit) throw new HttpError(413, `Request body over ${limit} bytes.`);
    chunks.push(chunk);
  }
  const raw = Buffer.concat(chunks).toString("utf8");
  try {
    return { raw, body: JSON.parse(raw) };
  } catch {
    throw new HttpError(400, "The body is not JSON.");
  }
}
