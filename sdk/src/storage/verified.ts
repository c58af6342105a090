/**
 * Trustless reads: every block fetched from an untrusted source (gateway,
 * RPC node, CAR file) is hashed and compared to its CID before the UnixFS
 * exporter ever sees it. Tampered bytes raise ContentVerificationError.
 *
 * Over a Trustless Gateway a read first asks for the whole path as one CAR
 * (`dag-scope=entity`): one round trip for `<dir>/cover.png` instead of one
 * per block. Blocks the CAR lacks are fetched one by one (`format=raw`).
 */
import { CarBlockIterator } from "@ipld/car/iterator";
import * as dagPb from "@ipld/dag-pb";
import type { ReadableStorage } from "ipfs-unixfs-exporter";
import type { CID } from "multiformats/cid";
import * as raw from "multiformats/codecs/raw";
import { identity } from "multiformats/hashes/identity";
import { sha256 } from "multiformats/hashes/sha2";
import type { CidOrPath } from "./cid.ts";
import { ContentVerificationError, NotFoundError, StorageBackendError } from "../errors.ts";
import { formatIpfsPath, parseIpfsPath } from "./cid.ts";
import { cat, list, type CatOptions, type DirectoryEntry } from "./unixfs-read.ts";

/** Fetches the bytes of one block; the bytes are untrusted. */
export type BlockFetcher = (cid: CID, options: { signal?: AbortSignal }) => Promise<Uint8Array>;

/** Kubo's and bitswap's block size ceiling; larger answers are refused unread. */
export const MAX_BLOCK_BYTES = 2 * 1024 * 1024;

/**
 * Checks that `bytes` hash to `cid` (sha2-256 or identity; raw or dag-pb).
 *
 * @throws {ContentVerificationError} on a mismatch or an unsupported hash/codec.
 * @example
 * ```ts
 * await verifyBlock(cid, bytesFromAnywhere)
 * ```
 */
export async function verifyBlock(cid: CID, bytes: Uint8Array): Promise<void> {
  if (cid.code !== raw.code && cid.code !== dagPb.code) {
    throw new ContentVerificationError(
      cid.toString(),
      `codec 0x${cid.code.toString(16)} is not supported (only raw and dag-pb UnixFS)`,
    );
  }
  let digest: Uint8Array;
  if (cid.multihash.code === sha256.code) digest = (await sha256.digest(bytes)).digest;
  else if (cid.multihash.code === identity.code) digest = bytes;
  else
    throw new ContentVerificationError(
      cid.toString(),
      `hash function 0x${cid.multihash.code.toString(16)} is not supported (only sha2-256)`,
    );
  if (!equalBytes(digest, cid.multihash.digest)) {
    throw new ContentVerificationError(cid.toString(), "its bytes hash to a different digest");
  }
}

/**
 * A read-only blockstore that verifies every block it returns.
 *
 * @example
 * ```ts
 * const store = createVerifiedBlockstore(createTrustlessGatewayFetcher('https://gw.example'))
 * const bytes = await collect(cat(store, cid))
 * ```
 */
export function createVerifiedBlockstore(fetchBlock: BlockFetcher): ReadableStorage {
  return {
    async *get(cid: CID, options: { signal?: AbortSignal } = {}) {
      // Identity CIDs carry their bytes inline: nothing to fetch or trust.
      if (cid.multihash.code === identity.code) {
        yield cid.multihash.digest;
        return;
      }
      const bytes = await fetchBlock(cid, options);
      await verifyBlock(cid, bytes);
      yield bytes;
    },
  };
}

export interface GatewayFetcherOptions {
  fetch?: typeof globalThis.fetch;
  headers?: Record<string, string>;
}

/**
 * Fetches raw blocks from a Trustless Gateway (`GET /ipfs/<cid>?format=raw`).
 *
 * @example
 * ```ts
 * const fetchBlock = createTrustlessGatewayFetcher('http://127.0.0.1:8080')
 * ```
 */
export function createTrustlessGatewayFetcher(
  gateway: string | URL,
  options: GatewayFetcherOptions = {},
): BlockFetcher {
  const base = String(gateway).replace(/\/+$/, "");
  const doFetch = options.fetch ?? globalThis.fetch.bind(globalThis);
  return async (cid, { signal }) => {
    const url = `${base}/ipfs/${cid.toString()}?format=raw`;
    let response: Response;
    try {
      response = await doFetch(url, { headers: { ...options.headers, accept: "application/vnd.ipld.raw" }, signal });
    } catch (err) {
      if ((err as Error)?.name === "AbortError") throw err;
      throw new StorageBackendError(
        `gateway ${base}`,
        `could not reach the gateway (${(err as Error).message}); check the URL and that it is running.`,
        { cause: err },
      );
    }
    if (response.status === 404) {
      await response.body?.cancel();
      throw new NotFoundError(`Block ${cid.toString()}`, `The gateway ${base} does not have it.`);
    }
    if (!response.ok) {
      await response.body?.cancel();
      throw new StorageBackendError(`gateway ${base}`, `GET ${url} answered HTTP ${response.status}.`, {
        status: response.status,
      });
    }
    const declared = Number(response.headers.get("content-length") ?? "0");
    if (declared > MAX_BLOCK_BYTES) {
      await response.body?.cancel();
      throw new ContentVerificationError(
        cid.toString(),
        `the gateway announced ${declared} bytes, above the ${MAX_BLOCK_BYTES}-byte block limit`,
      );
    }
    const bytes = new Uint8Array(await response.arrayBuffer());
    if (bytes.byteLength > MAX_BLOCK_BYTES)
      throw new ContentVerificationError(cid.toString(), `the block is larger than ${MAX_BLOCK_BYTES} bytes`);
    return bytes;
  };
}

/** Read-only, verifying access to UnixFS content behind a gateway. */
export interface VerifiedReader {
  cat: (target: CidOrPath, options?: CatOptions) => AsyncGenerator<Uint8Array>;
  list: (target: CidOrPath, options?: { signal?: AbortSignal }) => Promise<DirectoryEntry[]>;
}

/**
 * A UnixFS reader over a Trustless Gateway that verifies every block. Each read fetches its path as
 * one CAR (`?format=car&dag-scope=entity`) and falls back to single blocks for whatever the CAR
 * did not carry (or when the gateway serves no CARs).
 *
 * @example
 * ```ts
 * const reader = createTrustlessGatewayReader('http://127.0.0.1:8080')
 * const metadata = JSON.parse(new TextDecoder().decode(await collect(reader.cat(`${trackCid}/metadata.json`))))
 * ```
 */
export function createTrustlessGatewayReader(
  gateway: string | URL,
  options: GatewayFetcherOptions = {},
): VerifiedReader {
  const fetchBlock = createTrustlessGatewayFetcher(gateway, options);
  const fetchCar = createTrustlessCarFetcher(gateway, options);
  /** A reader whose blocks come from `target`'s CAR first, then from single-block requests. */
  const prefetched = async (target: CidOrPath, signal?: AbortSignal) => {
    const blocks = await fetchCar(target, signal);
    return createVerifiedReader(async (cid, opts) => blocks.get(cid.toString()) ?? fetchBlock(cid, opts));
  };
  return {
    async *cat(target, catOptions = {}) {
      // A byte range needs only some leaves: fetch those one by one rather than the whole file.
      const ranged = catOptions.offset !== undefined || catOptions.length !== undefined;
      const reader = ranged ? createVerifiedReader(fetchBlock) : await prefetched(target, catOptions.signal);
      yield* reader.cat(target, catOptions);
    },
    list: async (target, listOptions) => (await prefetched(target, listOptions?.signal)).list(target, listOptions),
  };
}

/**
 * Fetches `cid[/path]` as a CAR with `dag-scope=entity` and returns its blocks by CID string, still
 * untrusted: the verified reader hashes each one when (and only if) it uses it. Gateway failures
 * give an empty map, and the caller falls back to single blocks.
 */
function createTrustlessCarFetcher(gateway: string | URL, options: GatewayFetcherOptions) {
  const base = String(gateway).replace(/\/+$/, "");
  const doFetch = options.fetch ?? globalThis.fetch.bind(globalThis);
  return async (target: CidOrPath, signal?: AbortSignal): Promise<Map<string, Uint8Array>> => {
    const blocks = new Map<string, Uint8Array>();
    let response: Response;
    try {
      const path = formatIpfsPath(parseIpfsPath(target)).split("/").map(encodeURIComponent).join("/");
      response = await doFetch(`${base}/ipfs/${path}?format=car&dag-scope=entity`, {
        headers: { ...options.headers, accept: "application/vnd.ipld.car" },
        signal,
      });
    } catch (err) {
      if ((err as Error)?.name === "AbortError") throw err;
      return blocks;
    }
    if (!response.ok || !response.body) {
      await response.body?.cancel();
      return blocks;
    }
    try {
      const car = await CarBlockIterator.fromIterable(response.body as unknown as AsyncIterable<Uint8Array>);
      for await (const { cid, bytes } of car) blocks.set(cid.toString(), bytes);
    } catch (err) {
      if ((err as Error)?.name === "AbortError") throw err;
      // A truncated or malformed CAR: keep what arrived, fetch the rest block by block.
    }
    return blocks;
  };
}

/**
 * A UnixFS reader over any block source, verifying every block.
 *
 * @example
 * ```ts
 * const reader = createVerifiedReader(async cid => untrustedStore.get(cid))
 * ```
 */
export function createVerifiedReader(fetchBlock: BlockFetcher): VerifiedReader {
  const store = createVerifiedBlockstore(fetchBlock);
  return {
    cat: (target, catOptions) => cat(store, target, catOptions),
    list: async (target, listOptions) => list(store, target, listOptions),
  };
}

/**
 * Reads a CAR stream and yields only blocks whose bytes match their CID.
 *
 * @throws {ContentVerificationError} at the first tampered block.
 * @example
 * ```ts
 * for await (const { cid, bytes } of verifiedCarBlocks(response.body)) await store.put(cid, bytes)
 * ```
 */
export async function* verifiedCarBlocks(
  car: AsyncIterable<Uint8Array>,
): AsyncGenerator<{ cid: CID; bytes: Uint8Array }> {
  const blocks = await CarBlockIterator.fromIterable(car);
  for await (const block of blocks) {
    await verifyBlock(block.cid as CID, block.bytes);
    yield { cid: block.cid as CID, bytes: block.bytes };
  }
}

function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.byteLength !== b.byteLength) return false;
  for (let i = 0; i < a.byteLength; i++) if (a[i] !== b[i]) return false;
  return true;
}
