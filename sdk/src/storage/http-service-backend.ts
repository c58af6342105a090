/**
 * Browser-side backend for the HarmonieCORE IPFS service (`harmonie serve ipfs` in @harmonie/services;
 * wire shapes in ../protocol/ipfs.ts).
 *
 * Trustless both ways: `add` first computes the CIDs locally (this is where
 * progress is reported, as bytes hashed), uploads, and fails with
 * ContentVerificationError if the service answers different CIDs; `cat`
 * reads raw blocks from the service's trustless gateway and verifies each.
 */
import { BlackHoleBlockstore } from "blockstore-core/black-hole";
import { classifyAddInput, type AddInput, type PinOptions, type StorageBackend } from "./backend.ts";
import { toCid, type CidOrPath } from "./cid.ts";
import {
  ContentVerificationError,
  InvalidInputError,
  NotFoundError,
  StorageBackendError,
  UploadTooLargeError,
} from "../errors.ts";
import { serviceErrorOf } from "../protocol/http.ts";
import type { UploadResponse } from "../protocol/ipfs.ts";
import { addDirectory, addFile, type AddOptions, type AddResult, type FileContent } from "./unixfs.ts";
import { collect, type CatOptions } from "./unixfs-read.ts";
import { createTrustlessGatewayReader } from "./verified.ts";

export interface HttpServiceBackendOptions {
  /** Service base URL, e.g. `http://127.0.0.1:8080`. */
  url: string | URL;
  fetch?: typeof globalThis.fetch;
}

/**
 * Creates a backend that uploads to, and reads verifiably from, the IPFS service.
 *
 * @example
 * ```ts
 * const storage = createHttpServiceBackend({ url: 'http://127.0.0.1:8080' })
 * const track = await addTrackPackage(storage, input, { onProgress: p => setProgress(p.bytes) })
 * ```
 */
export function createHttpServiceBackend(options: HttpServiceBackendOptions): StorageBackend {
  const base = String(options.url).replace(/\/+$/, "");
  const doFetch = options.fetch ?? globalThis.fetch.bind(globalThis);
  const name = `IPFS service ${base}`;
  const reader = createTrustlessGatewayReader(base, { fetch: doFetch });

  async function post(path: string, body: BodyInit, signal?: AbortSignal): Promise<unknown> {
    let response: Response;
    try {
      response = await doFetch(`${base}${path}`, { method: "POST", body, signal });
    } catch (err) {
      if ((err as Error)?.name === "AbortError") throw err;
      throw new StorageBackendError(name, `could not reach the service (${(err as Error).message}); is it running?`, {
        cause: err,
      });
    }
    const json: unknown = await response.json().catch(() => undefined);
    if (response.ok) return json;
    const error = serviceErrorOf(json);
    const message = error?.message ?? `HTTP ${response.status}`;
    switch (error?.name) {
      case "UploadTooLargeError":
        throw new UploadTooLargeError(error.limitBytes ?? 0);
      case "NotFoundError":
        throw new NotFoundError(path, message);
      case "InvalidInputError":
      case "InvalidCidError":
      case "BadRequest":
        throw new InvalidInputError(message);
    }
    const retry = error?.retryAfterSeconds ?? response.headers.get("retry-after");
    throw new StorageBackendError(name, `${message}${retry == null ? "" : ` (retry after ${retry} s)`}`, {
      status: response.status,
    });
  }

  return {
    name,
    async add(input: AddInput, addOptions: AddOptions = {}): Promise<AddResult> {
      const classified = classifyAddInput(input);
      const form = new FormData();
      let expected: AddResult;
      if (classified.kind === "directory") {
        const entries = await Promise.all(
          classified.entries.map(async (e) => ({ path: e.path, content: await rereadable(e.content) })),
        );
        expected = await addDirectory(new BlackHoleBlockstore(), entries, addOptions);
        for (const e of entries) form.append("file", asBlob(e.content), e.path);
      } else {
        const content = await rereadable(classified.content);
        expected = await addFile(new BlackHoleBlockstore(), content, addOptions);
        form.append("file", asBlob(content), "file");
      }
      const query = classified.kind === "directory" ? "?wrap=true" : "";
      const answer = (await post(`/upload${query}`, form, addOptions.signal)) as Partial<UploadResponse> | undefined;
      if (answer?.cid !== expected.cid.toString()) {
        throw new ContentVerificationError(
          String(answer?.cid),
          `the service reported this CID for the upload but the local computation gives ${expected.cid.toString()}`,
        );
      }
      return expected;
    },
    cat: (target: CidOrPath, catOptions?: CatOptions) => reader.cat(target, catOptions),
    async has(target: CidOrPath, hasOptions: { signal?: AbortSignal } = {}) {
      const response = await doFetch(`${base}/ipfs/${toCid(target).toString()}?format=raw`, {
        method: "HEAD",
        signal: hasOptions.signal,
      });
      if (response.status === 404) return false;
      if (response.ok) return true;
      throw new StorageBackendError(name, `HEAD /ipfs/<cid> answered HTTP ${response.status}.`, {
        status: response.status,
      });
    },
    async pin(target: CidOrPath, pinOptions: PinOptions = {}) {
      await post(`/pin/${toCid(target).toString()}`, "", pinOptions.signal);
    },
  };
}

/** Content is read twice (hash, then upload): one-shot streams are buffered first. */
async function rereadable(content: FileContent): Promise<Uint8Array | Blob> {
  if (content instanceof Uint8Array) return content;
  if (typeof Blob !== "undefined" && content instanceof Blob) return content;
  return collect(content as AsyncIterable<Uint8Array>);
}

function asBlob(content: Uint8Array | Blob): Blob {
  return content instanceof Blob ? content : new Blob([content as Uint8Array<ArrayBuffer>]);
}
