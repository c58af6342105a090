/**
 * Client of the IPFS Pinning Service API (v1.x spec: `POST/GET /pins`,
 * `GET/POST/DELETE /pins/{requestid}`, `Authorization: Bearer <token>`),
 * and a backend wrapper that adds locally and pins remotely.
 */
import type { AddInput, PinOptions, StorageBackend } from "./backend.ts";
import { toCid, type CidOrPath } from "./cid.ts";
import { InvalidInputError, NotFoundError, StorageBackendError } from "../errors.ts";
import type { AddOptions } from "./unixfs.ts";
import type { CatOptions } from "./unixfs-read.ts";

export type PinState = "queued" | "pinning" | "pinned" | "failed";

/** `Pin` object of the spec. */
export interface Pin {
  cid: string;
  name?: string;
  /** Multiaddrs known to provide the data (e.g. your own node). */
  origins?: string[];
  meta?: Record<string, string>;
}

/** `PinStatus` object of the spec. */
export interface PinStatus {
  requestid: string;
  status: PinState;
  /** RFC 3339 timestamp. */
  created: string;
  pin: Pin;
  /** Multiaddrs the service wants you to connect to for the transfer. */
  delegates: string[];
  info?: Record<string, string>;
}

export interface PinResults {
  count: number;
  results: PinStatus[];
}

export interface ListPinsQuery {
  cid?: string[];
  name?: string;
  match?: "exact" | "iexact" | "partial" | "ipartial";
  status?: PinState[];
  before?: string | Date;
  after?: string | Date;
  limit?: number;
  meta?: Record<string, string>;
}

export interface PinningServiceClient {
  readonly endpoint: string;
  addPin: (pin: Pin, options?: { signal?: AbortSignal }) => Promise<PinStatus>;
  listPins: (query?: ListPinsQuery, options?: { signal?: AbortSignal }) => Promise<PinResults>;
  getPin: (requestid: string, options?: { signal?: AbortSignal }) => Promise<PinStatus>;
  replacePin: (requestid: string, pin: Pin, options?: { signal?: AbortSignal }) => Promise<PinStatus>;
  removePin: (requestid: string, options?: { signal?: AbortSignal }) => Promise<void>;
  /** Polls `getPin` until `pinned`; throws on `failed` or timeout. */
  waitForPin: (requestid: string, options?: WaitOptions) => Promise<PinStatus>;
}

export interface WaitOptions {
  /** Default 1000 ms. */
  intervalMs?: number;
  /** Default 120 000 ms. */
  timeoutMs?: number;
  signal?: AbortSignal;
}

export interface PinningServiceClientOptions {
  /** Service base URL, e.g. `https://api.pinning.example/psa` (no trailing `/pins`). */
  endpoint: string | URL;
  accessToken: string;
  fetch?: typeof globalThis.fetch;
}

/**
 * Creates a Pinning Service API client.
 *
 * @example
 * ```ts
 * const pins = createPinningServiceClient({ endpoint: 'https://pins.example/psa', accessToken: token })
 * const status = await pins.addPin({ cid: trackCid.toString(), name: 'Night Drive' })
 * await pins.waitForPin(status.requestid)
 * ```
 */
export function createPinningServiceClient(options: PinningServiceClientOptions): PinningServiceClient {
  const endpoint = String(options.endpoint).replace(/\/+$/, "");
  const doFetch = options.fetch ?? globalThis.fetch.bind(globalThis);
  const backend = `pinning service ${endpoint}`;

  async function call<T>(
    method: string,
    path: string,
    body: unknown,
    signal: AbortSignal | undefined,
    expected: number[],
  ): Promise<T> {
    let response: Response;
    try {
      response = await doFetch(`${endpoint}${path}`, {
        method,
        signal,
        headers: {
          authorization: `Bearer ${options.accessToken}`,
          accept: "application/json",
          ...(body === undefined ? {} : { "content-type": "application/json" }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch (err) {
      if ((err as Error)?.name === "AbortError") throw err;
      throw new StorageBackendError(
        backend,
        `could not reach the service (${(err as Error).message}); check the endpoint URL.`,
        { cause: err },
      );
    }
    if (expected.includes(response.status)) {
      return response.status === 202 && method === "DELETE" ? (undefined as T) : ((await response.json()) as T);
    }
    throw await failure(response, `${method} ${path}`);
  }

  async function failure(response: Response, what: string): Promise<Error> {
    const body = (await response.json().catch(() => undefined)) as
      { error?: { reason?: string; details?: string } } | undefined;
    const reason = body?.error?.reason ?? `HTTP ${response.status}`;
    const details = body?.error?.details === undefined ? "" : ` (${body.error.details})`;
    if (response.status === 404)
      return new NotFoundError(`${what} on ${endpoint}`, `The service answered ${reason}${details}.`);
    const advice: Record<number, string> = {
      400: "Fix the request fields listed above.",
      401: "The access token is missing, invalid or revoked; create a new one at the pinning provider.",
      409: "The account has insufficient funds; top it up at the provider.",
    };
    return new StorageBackendError(
      backend,
      `${what} was refused: ${reason}${details}. ${advice[response.status] ?? "Retry later or contact the provider."}`,
      { status: response.status },
    );
  }

  const client: PinningServiceClient = {
    endpoint,
    addPin: async (pin, o) => call<PinStatus>("POST", "/pins", checkPin(pin), o?.signal, [200, 202]),
    listPins: async (query = {}, o) => call<PinResults>("GET", `/pins${listQuery(query)}`, undefined, o?.signal, [200]),
    getPin: async (id, o) => call<PinStatus>("GET", `/pins/${encodeURIComponent(id)}`, undefined, o?.signal, [200]),
    replacePin: async (id, pin, o) =>
      call<PinStatus>("POST", `/pins/${encodeURIComponent(id)}`, checkPin(pin), o?.signal, [200, 202]),
    removePin: async (id, o) => {
      await call<undefined>("DELETE", `/pins/${encodeURIComponent(id)}`, undefined, o?.signal, [200, 202]);
    },
    async waitForPin(id, o = {}) {
      const deadline = Date.now() + (o.timeoutMs ?? 120_000);
      while (true) {
        const status = await client.getPin(id, { signal: o.signal });
        if (status.status === "pinned") return status;
        if (status.status === "failed") {
          throw new StorageBackendError(
            backend,
            `pinning ${status.pin.cid} failed: ${status.info?.status_details ?? "no details given"}. Make sure the content is reachable from the origins you passed.`,
          );
        }
        if (Date.now() >= deadline) {
          throw new StorageBackendError(
            backend,
            `pin ${id} is still "${status.status}" after ${o.timeoutMs ?? 120_000} ms; keep your node online and check again later with getPin().`,
          );
        }
        await sleep(o.intervalMs ?? 1000, o.signal);
      }
    },
  };
  return client;
}

/**
 * Wraps a backend so `pin` also requests a remote pin (and by default waits
 * for it); add, cat and has stay local.
 *
 * @example
 * ```ts
 * const storage = withRemotePinning(createKuboBackend({ url }), pins, { origins: [myNodeMultiaddr] })
 * const track = await addTrackPackage(storage, input)
 * await storage.pin(track.cid, { name: input.metadata.title })
 * ```
 */
export function withRemotePinning(
  local: StorageBackend,
  service: PinningServiceClient,
  options: { origins?: string[]; meta?: Record<string, string>; wait?: false | WaitOptions } = {},
): StorageBackend {
  return {
    name: `${local.name} + ${service.endpoint}`,
    add: async (input: AddInput, o?: AddOptions) => local.add(input, o),
    cat: (target: CidOrPath, o?: CatOptions) => local.cat(target, o),
    has: async (cid, o) => local.has(cid, o),
    async pin(target: CidOrPath, o: PinOptions = {}) {
      const cid = toCid(target);
      await local.pin(cid, o);
      const status = await service.addPin(
        {
          cid: cid.toString(),
          ...(o.name === undefined ? {} : { name: o.name }),
          ...(options.origins === undefined ? {} : { origins: options.origins }),
          ...(options.meta === undefined ? {} : { meta: options.meta }),
        },
        { signal: o.signal },
      );
      if (options.wait !== false) await service.waitForPin(status.requestid, { ...options.wait, signal: o.signal });
    },
  };
}

function checkPin(pin: Pin): Pin {
  toCid(pin.cid);
  if (pin.name !== undefined && pin.name.length > 255)
    throw new InvalidInputError("Pin name is longer than 255 characters; shorten it.");
  if ((pin.origins?.length ?? 0) > 20) throw new InvalidInputError("At most 20 origins may be given for a pin.");
  return pin;
}

function listQuery(query: ListPinsQuery): string {
  const params = new URLSearchParams();
  for (const cid of query.cid ?? []) params.append("cid", cid);
  if (query.name !== undefined) params.set("name", query.name);
  if (query.match !== undefined) params.set("match", query.match);
  for (const status of query.status ?? []) params.append("status", status);
  if (query.before !== undefined) params.set("before", new Date(query.before).toISOString());
  if (query.after !== undefined) params.set("after", new Date(query.after).toISOString());
  if (query.limit !== undefined) params.set("limit", String(query.limit));
  if (query.meta !== undefined) params.set("meta", JSON.stringify(query.meta));
  const text = params.toString();
  return text === "" ? "" : `?${text}`;
}

async function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  signal?.throwIfAborted();
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener(
      "abort",
      () => {
        clearTimeout(timer);
        reject(signal.reason);
      },
      { once: true },
    );
  });
}
