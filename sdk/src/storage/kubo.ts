/**
 * Kubo RPC backend (kubo-rpc-client 7.1): adds through a Kubo node with
 * the same CID parameters as the embedded backend, and reads trustlessly —
 * `cat` fetches raw blocks with `/api/v0/block/get` and verifies each hash,
 * so a compromised or buggy node cannot feed wrong bytes.
 */
import { create, type KuboRPCClient } from "kubo-rpc-client";
import type { CID } from "multiformats/cid";
import { classifyAddInput, type AddInput, type PinOptions, type StorageBackend } from "./backend.ts";
import { toCid, type CidOrPath } from "./cid.ts";
import { HarmonieError, NotFoundError, StorageBackendError } from "../errors.ts";
import { KUBO_ADD_PARAMS, toByteSource, type AddOptions, type AddResult, type AddedFile } from "./unixfs.ts";
import type { CatOptions } from "./unixfs-read.ts";
import { createVerifiedReader } from "./verified.ts";

export interface KuboBackendOptions {
  /** RPC API URL, e.g. `http://127.0.0.1:5001`. */
  url?: string | URL;
  /** An already configured client (takes precedence over `url`). */
  client?: KuboRPCClient;
  /** Whether `add` also pins (kubo's default). Default true. */
  pinOnAdd?: boolean;
}

/**
 * Creates a backend talking to a Kubo node over its RPC API.
 *
 * The CID options travel in kubo's own spelling (`cid-version`,
 * `raw-leaves`, `chunker`): go-ipfs-cmds silently ignores unknown keys such
 * as camelCase `cidVersion`, which would quietly yield CIDv0.
 *
 * @example
 * ```ts
 * const storage = createKuboBackend({ url: 'http://127.0.0.1:5001' })
 * const { cid } = await storage.add([{ path: 'metadata.json', content: json }])
 * ```
 */
export function createKuboBackend(options: KuboBackendOptions): StorageBackend {
  const client = options.client ?? create({ url: String(options.url ?? "http://127.0.0.1:5001") });
  const name = `kubo ${String(options.url ?? "client")}`;
  const reader = createVerifiedReader(async (cid, { signal }) => {
    try {
      return await client.block.get(cid, { signal });
    } catch (err) {
      throw kuboError(name, err, `Block ${cid.toString()}`);
    }
  });

  return {
    name,
    async add(input: AddInput, addOptions: AddOptions = {}): Promise<AddResult> {
      const classified = classifyAddInput(input);
      const wrap = classified.kind === "directory";
      const source = wrap
        ? classified.entries.map((entry) => ({ path: entry.path, content: toByteSource(entry.content) }))
        : [{ content: toByteSource(classified.content) }];
      const bytesPerFile = new Map<string, number>();
      const params = {
        "cid-version": KUBO_ADD_PARAMS.cidVersion,
        "raw-leaves": KUBO_ADD_PARAMS.rawLeaves,
        chunker: `size-${KUBO_ADD_PARAMS.chunkSize}`,
        "wrap-with-directory": wrap,
        pin: options.pinOnAdd ?? true,
      };
      const results: Array<{ path: string; cid: CID }> = [];
      try {
        for await (const result of client.addAll(
          source as Parameters<KuboRPCClient["addAll"]>[0],
          {
            ...params,
            signal: addOptions.signal,
            // Always asked for: the per-file byte counts give exact file sizes.
            progress: (bytes: number, path?: string) => {
              bytesPerFile.set(path ?? "", bytes);
              let total = 0;
              for (const n of bytesPerFile.values()) total += n;
              addOptions.onProgress?.({ bytes: total, path: path ?? "" });
            },
          } as Parameters<KuboRPCClient["addAll"]>[1],
        )) {
          results.push({ path: result.path, cid: result.cid });
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
        await client.block.stat(toCid(target), { signal: hasOptions.signal, offline: true } as Parameters<
          KuboRPCClient["block"]["stat"]
        >[1]);
        return true;
      } catch (err) {
        const mapped = kuboError(name, err, String(target));
        if (mapped instanceof NotFoundError) return false;
        throw mapped;
      }
    },
    async pin(target: CidOrPath, pinOptions: PinOptions = {}) {
      try {
        await client.pin.add(toCid(target), { recursive: true, name: pinOptions.name, signal: pinOptions.signal });
      } catch (err) {
        throw kuboError(name, err, `pin ${String(target)}`);
      }
    },
  };
}

function kuboError(backend: string, err: unknown, what: string): Error {
  if (err instanceof HarmonieError || (err as Error)?.name === "AbortError") return err as Error;
  const message = (err as Error)?.message ?? String(err);
  if (/not found|could not find/i.test(message))
    return new NotFoundError(what, `The Kubo node does not have it (${message}).`);
  const status = (err as { response?: { status?: number } }).response?.status;
  return new StorageBackendError(
    backend,
    `${what} failed: ${message}. Check that the Kubo RPC API is reachable and allows this origin.`,
    { status, cause: err },
  );
}
