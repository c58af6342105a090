/**
 * Kubo RPC backend over plain `fetch` (Kubo's published RPC API, no client library): adds through a
 * Kubo node with the same CID parameters as the embedded backend, and reads trustlessly — `cat`
 * fetches raw blocks with `/api/v0/block/get` and verifies each hash, so a compromised or buggy node
 * cannot feed wrong bytes.
 *
 * Endpoints used: `add`, `block/get`, `block/stat`, `pin/add` (all POST, as Kubo requires).
 */
import { CID } from "multiformats/cid";
import { classifyAddInput, type AddInput, type PinOptions, type StorageBackend } from "./backend.ts";
import { toCid, type CidOrPath } from "./cid.ts";
import { HarmonieError, NotFoundError, StorageBackendError } from "../errors.ts";
import { KUBO_ADD_PARAMS, type AddOptions, type AddResult, type AddedFile, type FileContent } from "./unixfs.ts";
import type { CatOptions } from "./unixfs-read.ts";
import { createVerifiedReader } from "./verified.ts";

export interface KuboBackendOptions {
  /** RPC API URL, e.g. `http://127.0.0.1:5001` (the default). */
  url?: string | URL;
  /** Headers sent with every RPC call, e.g. `{ authorization: "Basic …" }` for a protected API. */
  headers?: Record<string, string>;
  /** The `fetch` to use (default: the global one). */
  fetch?: typeof fetch;
  /** Whether `add` also pins (kubo's default). Default true. */
  pinOnAdd?: boolean;
}

/** One line of kubo's ndjson `add` answer: a progress line (`Bytes`) or a result (`Hash`). */
interface AddLine {
  Name?: string;
  Hash?: string;
  Bytes?: number;
  Size?: string;
  Message?: string;
  Type?: string;
}

/**
 * Creates a backend talking to a Kubo node over its RPC API.
 *
 * The CID options travel in kubo's own spelling (`cid-version`, `raw-leaves`, `chunker`):
 * go-ipfs-cmds silently ignores unknown keys such as camelCase `cidVersion`, which would quietly
 * yield CIDv0. File contents are sent as one multipart body (streams are read into a Blob first, so
 * the same code runs in browsers).
 *
 * @example
 * ```ts
 * const storage = createKuboBackend({ url: 'http://127.0.0.1:5001' })
 * const { cid } = await storage.add([{ path: 'metadata.json', content: json }])
 * ```
 */
export function createKuboBackend(options: KuboBackendOptions = {}): StorageBackend {
  const base = String(options.url ?? "http://127.0.0.1:5001").replace(/\/+$/, "");
  const name = `kubo ${base}`;
  const doFetch = options.fetch ?? globalThis.fetch;

  /** POSTs one RPC command; a non-2XX answer becomes kubo's `Message`. */
  async function rpc(
    command: string,
    query: Record<string, string | number | boolean | undefined>,
    init: { body?: FormData; signal?: AbortSignal } = {},
  ): Promise<Response> {
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries(query)) if (value !== undefined) params.set(key, String(value));
    let response: Response;
    try {
      response = await doFetch(`${base}/api/v0/${command}?${params}`, {
        method: "POST",
        headers: options.headers,
        body: init.body,
        signal: init.signal,
      });
    } catch (err) {
      if ((err as Error)?.name === "AbortError") throw err;
      throw new StorageBackendError(name, `${command} failed: ${(err as Error)?.message ?? String(err)}.`, {
        cause: err,
      });
    }
    if (!response.ok) {
      const text = await response.text().catch(() => "");
      let message = text.trim() || response.statusText;
      try {
        message = (JSON.parse(text) as { Message?: string }).Message ?? message;
      } catch {
        // plain-text answer (404 page not found, 405 …): keep it as it is
      }
      throw Object.assign(new Error(message), { status: response.status });
    }
    return response;
  }

  const reader = createVerifiedReader(async (cid, { signal }) => {
    try {
      const response = await rpc("block/get", { arg: cid.toString() }, { signal });
      return new Uint8Array(await response.arrayBuffer());
    } catch (err) {
      throw kuboError(name, err, `Block ${cid.toString()}`);
    }
  });

  return {
    name,
    async add(input: AddInput, addOptions: AddOptions = {}): Promise<AddResult> {
      const classified = classifyAddInput(input);
      const wrap = classified.kind === "directory";
      const bytesPerFile = new Map<string, number>();
      const results: Array<{ path: string; cid: CID }> = [];
      try {
        const body = new FormData();
        if (wrap) {
          const dirs = new Set<string>();
          for (const [i, entry] of classified.entries.entries()) {
            // Parent directories first, as `ipfs add -r` sends them.
            const segments = entry.path.split("/");
            for (let depth = 1; depth < segments.length; depth++) {
              const dir = segments.slice(0, depth).join("/");
              if (dirs.has(dir)) continue;
              dirs.add(dir);
              body.append(
                `dir-${i}-${depth}`,
                new Blob([], { type: "application/x-directory" }),
                encodeURIComponent(dir),
              );
            }
            body.append(i === 0 ? "file" : `file-${i}`, await toBlob(entry.content), encodeURIComponent(entry.path));
          }
        } else {
          // A part needs a filename to be a file part; without wrapping it names only the result line.
          body.append("file", await toBlob(classified.content), "file");
        }
        const response = await rpc(
          "add",
          {
            "cid-version": addOptions.cidVersion ?? KUBO_ADD_PARAMS.cidVersion,
            "raw-leaves": (addOptions.cidVersion ?? KUBO_ADD_PARAMS.cidVersion) === 1 && KUBO_ADD_PARAMS.rawLeaves,
            chunker: `size-${KUBO_ADD_PARAMS.chunkSize}`,
            "wrap-with-directory": wrap,
            pin: options.pinOnAdd ?? true,
            // Always asked for: the per-file byte counts give exact file sizes.
            progress: true,
          },
          { body, signal: addOptions.signal },
        );
        for await (const line of ndjson<AddLine>(response)) {
          if (line.Type === "error") throw new Error(line.Message ?? "add failed");
          if (line.Hash !== undefined) {
            results.push({ path: line.Name ?? "", cid: CID.parse(line.Hash) });
          } else if (line.Bytes !== undefined) {
            bytesPerFile.set(line.Name ?? "", line.Bytes);
            let total = 0;
            for (const n of bytesPerFile.values()) total += n;
            addOptions.onProgress?.({ bytes: total, path: line.Name ?? "" });
          }
        }
      } catch (err) {
        throw kuboError(name, err, "add");
      }
      const root = results.at(-1);
      if (root === undefined) throw new StorageBackendError(name, "add returned no result; check the node logs.");
      const files: AddedFile[] = wrap
        ? classified.entries.map((entry) => {
            const found = results.find((r) => r.path === entry.path);
            if (found === undefined) throw new StorageBackendError(name, `add returned no CID for ${entry.path}.`);
            return { path: entry.path, cid: found.cid, size: bytesPerFile.get(entry.path) ?? 0 };
          })
        : [{ path: "", cid: root.cid, size: bytesPerFile.get(root.path) ?? bytesPerFile.get("") ?? 0 }];
      return { cid: root.cid, files };
    },
    cat(target: CidOrPath, catOptions?: CatOptions) {
      return reader.cat(target, catOptions);
    },
    async has(target: CidOrPath, hasOptions: { signal?: AbortSignal } = {}) {
      try {
        // offline: answer from the local repo instead of searching the network.
        await rpc("block/stat", { arg: toCid(target).toString(), offline: true }, { signal: hasOptions.signal });
        return true;
      } catch (err) {
        const mapped = kuboError(name, err, String(target));
        if (mapped instanceof NotFoundError) return false;
        throw mapped;
      }
    },
    async pin(target: CidOrPath, pinOptions: PinOptions = {}) {
      try {
        const response = await rpc(
          "pin/add",
          { arg: toCid(target).toString(), recursive: true, name: pinOptions.name },
          { signal: pinOptions.signal },
        );
        for await (const line of ndjson<AddLine>(response))
          if (line.Type === "error") throw new Error(line.Message ?? "pin failed");
      } catch (err) {
        throw kuboError(name, err, `pin ${String(target)}`);
      }
    },
  };
}

/** The lines of an ndjson body, parsed as they arrive. */
async function* ndjson<T>(response: Response): AsyncGenerator<T> {
  if (response.body === null) return;
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let buffered = "";
  try {
    while (true) {
      const { done, value } = await reader.read();
      buffered += decoder.decode(value, { stream: !done });
      let newline: number;
      while ((newline = buffered.indexOf("\n")) >= 0) {
        const line = buffered.slice(0, newline).trim();
        buffered = buffered.slice(newline + 1);
        if (line !== "") yield JSON.parse(line) as T;
      }
      if (done) break;
    }
    if (buffered.trim() !== "") yield JSON.parse(buffered) as T;
  } finally {
    reader.releaseLock();
  }
}

/** Any accepted content as a Blob, the one multipart part type every `fetch` can send. */
async function toBlob(content: FileContent): Promise<Blob> {
  if (content instanceof Blob) return content;
  if (content instanceof Uint8Array) return new Blob([content as Uint8Array<ArrayBuffer>]);
  const parts: Uint8Array<ArrayBuffer>[] = [];
  for await (const chunk of content as AsyncIterable<Uint8Array>) parts.push(chunk as Uint8Array<ArrayBuffer>);
  return new Blob(parts);
}

function kuboError(backend: string, err: unknown, what: string): Error {
  if (err instanceof HarmonieError || (err as Error)?.name === "AbortError") return err as Error;
  const message = (err as Error)?.message ?? String(err);
  const status = (err as { status?: number }).status;
  // Kubo answers a missing block with HTTP 500 and "… not found …"; a 404 is a wrong URL.
  if (status !== 404 && /not found|could not find/i.test(message))
    return new NotFoundError(what, `The Kubo node does not have it (${message}).`);
  return new StorageBackendError(
    backend,
    `${what} failed: ${message}. Check that the Kubo RPC API is reachable and allows this origin.`,
    { status, cause: err },
  );
}
