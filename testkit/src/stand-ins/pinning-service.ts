/**
 * STAND-IN for an IPFS Pinning Service (API spec v1.x), for tests only.
 *
 * Implements the published endpoints with their status codes, `Failure`
 * bodies and bearer-token check: `POST /pins` (202), `GET /pins` (filters
 * cid, name+match, status, before, after, limit, meta; only `pinned` when
 * no filter), `GET /pins/{id}`, `POST /pins/{id}` (replace, 202),
 * `DELETE /pins/{id}` (202).
 *
 * Pin requests start `queued`; a background job then "retrieves" the DAG —
 * here by reading the `origin` blockstore given at start-up, which stands in
 * for bitswap from `Pin.origins` — verifying every block, and ends
 * `pinned`, or `failed` with `info.status_details`.
 */
import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { MemoryBlockstore } from "blockstore-core/memory";
import type { Blockstore } from "interface-blockstore";
import { dagBlocks } from "../../../sdk/src/storage/car.ts";
import { toCid } from "../../../sdk/src/storage/cid.ts";
import type { Pin, PinStatus } from "../../../sdk/src/storage/pinning-service.ts";
import { verifyBlock } from "../../../sdk/src/storage/verified.ts";
import { closeServer, listen, sendJson } from "../../../services/src/http/kernel.ts";

export interface PinningServiceStandIn {
  /** Base URL to use as the client's `endpoint`. */
  url: string;
  /** Blocks the service has retrieved and keeps. */
  blockstore: MemoryBlockstore;
  pins: Map<string, PinStatus>;
  close: () => Promise<void>;
}

/**
 * Starts the stand-in on 127.0.0.1 and a free port.
 *
 * @example
 * ```ts
 * const service = await startPinningServiceStandIn({ accessToken: 'secret', origin: localBlockstore })
 * ```
 */
export async function startPinningServiceStandIn(options: {
  accessToken: string;
  origin: Pick<Blockstore, "get">;
  retrievalDelayMs?: number;
}): Promise<PinningServiceStandIn> {
  const blockstore = new MemoryBlockstore();
  const pins = new Map<string, PinStatus>();
  const jobs = new Set<Promise<void>>();
  let lastCreated = 0;

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (err instanceof BadRequest) fail(res, 400, "BAD_REQUEST", err.message);
      else fail(res, 500, "INTERNAL_SERVER_ERROR", (err as Error).message);
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (req.headers.authorization !== `Bearer ${options.accessToken}`)
      return fail(res, 401, "UNAUTHORIZED", "Access token is missing or invalid");
    const url = new URL(req.url ?? "/", "http://pins.invalid");
    const id = /^\/pins\/([^/]+)$/.exec(url.pathname)?.[1];
    if (url.pathname === "/pins" && req.method === "GET") return sendJson(res, 200, list(url.searchParams));
    if (url.pathname === "/pins" && req.method === "POST") return sendJson(res, 202, create(await readPin(req)));
    if (id === undefined) return fail(res, 404, "NOT_FOUND", "The specified resource was not found");
    const existing = pins.get(decodeURIComponent(id));
    if (existing === undefined) return fail(res, 404, "NOT_FOUND", `No pin request ${id}`);
    if (req.method === "GET") return sendJson(res, 200, existing);
    if (req.method === "DELETE") {
      pins.delete(existing.requestid);
      res.writeHead(202).end();
      return;
    }
    if (req.method === "POST") {
      const replacement = create(await readPin(req));
      pins.delete(existing.requestid);
      return sendJson(res, 202, replacement);
    }
    fail(res, 405, "METHOD_NOT_ALLOWED", `${req.method} is not supported on /pins/{requestid}`);
  }

  function create(pin: Pin): PinStatus {
    // `created` must be unique: pagination uses it as a cursor.
    lastCreated = Math.max(Date.now(), lastCreated + 1);
    const status: PinStatus = {
      requestid: randomUUID(),
      status: "queued",
      created: new Date(lastCreated).toISOString(),
      pin,
      delegates: ["/ip4/127.0.0.1/tcp/4001/p2p/12D3KooWStandInPinningServiceDelegate"],
    };
    pins.set(status.requestid, status);
    const job = retrieve(status).finally(() => jobs.delete(job));
    jobs.add(job);
    return structuredClone(status);
  }

  async function retrieve(status: PinStatus): Promise<void> {
    await new Promise((resolve) => setTimeout(resolve, options.retrievalDelayMs ?? 20));
    status.status = "pinning";
    try {
      for await (const block of dagBlocks(options.origin, toCid(status.pin.cid), "all")) {
        await verifyBlock(block.cid, block.bytes);
        await blockstore.put(block.cid, block.bytes);
      }
      status.status = "pinned";
      status.info = { status_details: "retrieved from origins" };
    } catch (err) {
      status.status = "failed";
      status.info = { status_details: `could not retrieve the DAG: ${(err as Error).message}` };
    }
  }

  function list(query: URLSearchParams): { count: number; results: PinStatus[] } {
    const many = (key: string): string[] =>
      query
        .getAll(key)
        .flatMap((v) => v.split(","))
        .filter((v) => v !== "");
    const cids = many("cid");
    const statuses = many("status");
    const name = query.get("name");
    const match = query.get("match") ?? "exact";
    const before = query.get("before");
    const after = query.get("after");
    const meta = query.get("meta");
    const metaFilter = meta === null ? undefined : (JSON.parse(meta) as Record<string, string>);
    const limit = Math.min(1000, Math.max(1, Number(query.get("limit") ?? "10")));
    const noFilter =
      cids.length === 0 && statuses.length === 0 && name === null && before === null && after === null && meta === null;
    const effectiveStatuses = noFilter ? ["pinned"] : statuses;
    const matches = [...pins.values()]
      .filter(
        (p) =>
          (cids.length === 0 || cids.includes(p.pin.cid)) &&
          (effectiveStatuses.length === 0 || effectiveStatuses.includes(p.status)) &&
          (name === null || matchName(p.pin.name ?? "", name, match)) &&
          (before === null || p.created < new Date(before).toISOString()) &&
          (after === null || p.created > new Date(after).toISOString()) &&
          (metaFilter === undefined || Object.entries(metaFilter).every(([k, v]) => p.pin.meta?.[k] === v)),
      )
      .sort((a, b) => b.created.localeCompare(a.created));
    return { count: matches.length, results: matches.slice(0, limit) };
  }

  const url = await listen(server, 0, "127.0.0.1");
  return {
    url,
    blockstore,
    pins,
    close: async () => {
      await Promise.allSettled([...jobs]);
      await closeServer(server);
    },
  };
}

async function readPin(req: IncomingMessage): Promise<Pin> {
  let text = "";
  for await (const chunk of req) text += String(chunk);
  let pin: Pin;
  try {
    pin = JSON.parse(text) as Pin;
  } catch {
    throw new BadRequest("Body is not JSON");
  }
  if (typeof pin?.cid !== "string") throw new BadRequest("Pin.cid is required");
  try {
    toCid(pin.cid);
  } catch {
    throw new BadRequest(`Pin.cid "${pin.cid}" is not a CID`);
  }
  if (pin.name !== undefined && (typeof pin.name !== "string" || pin.name.length > 255))
    throw new BadRequest("Pin.name must be a string of at most 255 characters");
  if (
    pin.origins !== undefined &&
    (!Array.isArray(pin.origins) || pin.origins.length > 20 || new Set(pin.origins).size !== pin.origins.length)
  )
    throw new BadRequest("Pin.origins must hold at most 20 unique multiaddrs");
  if (pin.meta !== undefined && Object.values(pin.meta).some((v) => typeof v !== "string"))
    throw new BadRequest("Pin.meta values must be strings");
  return pin;
}

class BadRequest extends Error {}

function matchName(value: string, wanted: string, match: string): boolean {
  switch (match) {
    case "iexact":
      return value.toLowerCase() === wanted.toLowerCase();
    case "partial":
      return value.includes(wanted);
    case "ipartial":
      return value.toLowerCase().includes(wanted.toLowerCase());
    default:
      return value === wanted;
  }
}

function fail(res: ServerResponse, status: number, reason: string, details: string): void {
  if (res.headersSent) return void res.destroy();
  sendJson(res, status, { error: { reason, details } });
}
