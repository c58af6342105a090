/**
 * UnixFS reads: files, paths and directories through any block source, with the SDK's typed
 * errors. Separate from the importer (./unixfs.ts) so read-only bundles stay small.
 */
import { exporter, type ReadableStorage, type UnixFSEntry } from "ipfs-unixfs-exporter";
import type { CID } from "multiformats/cid";
import { formatIpfsPath, parseIpfsPath, type CidOrPath } from "./cid.ts";
import { HarmonieError, InvalidInputError, NotFoundError } from "../errors.ts";
import { collect, type CatOptions } from "./types.ts";

export type { CatOptions } from "./types.ts";

/**
 * Streams the bytes of a UnixFS file (or raw block) at `cid[/path]`.
 *
 * @throws {NotFoundError} when a block or path segment is missing.
 * @throws {InvalidInputError} when the target is a directory.
 * @example
 * ```ts
 * const bytes = await collect(cat(store, `${dirCid}/metadata.json`))
 * ```
 */
export async function* cat(
  blockstore: ReadableStorage,
  target: CidOrPath,
  options: CatOptions = {},
): AsyncGenerator<Uint8Array> {
  const entry = await resolve(blockstore, target, options);
  if (entry.type === "directory") {
    throw new InvalidInputError(
      `${entry.path} is a directory; read a file inside it, e.g. ${entry.path}/metadata.json.`,
    );
  }
  if (entry.type === "object") throw new InvalidInputError(`${entry.path} is not a UnixFS file.`);
  try {
    yield* entry.content({ offset: options.offset, length: options.length, signal: options.signal });
  } catch (err) {
    throw translateError(err, entry.path);
  }
}

/**
 * Resolves `cid[/path]` to its UnixFS entry (file, directory or raw block).
 *
 * @example
 * ```ts
 * const entry = await resolve(store, `${dirCid}/audio.flac`)
 * if (entry.type === 'file') console.log(entry.size)
 * ```
 */
export async function resolve(
  blockstore: ReadableStorage,
  target: CidOrPath,
  options: { signal?: AbortSignal } = {},
): Promise<UnixFSEntry> {
  const path = formatIpfsPath(parseIpfsPath(target));
  try {
    return await exporter(path, blockstore, { signal: options.signal });
  } catch (err) {
    throw translateError(err, path);
  }
}

export interface DirectoryEntry {
  name: string;
  cid: CID;
  /** Size recorded in the directory link (cumulative DAG size, as kubo's `ipfs ls`). */
  size: number;
}

/**
 * Lists a UnixFS directory.
 *
 * @example
 * ```ts
 * for (const e of await list(store, dirCid)) console.log(e.name, e.cid.toString())
 * ```
 */
export async function list(
  blockstore: ReadableStorage,
  target: CidOrPath,
  options: { signal?: AbortSignal } = {},
): Promise<DirectoryEntry[]> {
  const entry = await resolve(blockstore, target, options);
  if (entry.type !== "directory") throw new InvalidInputError(`${entry.path} is a ${entry.type}, not a directory.`);
  const out = [];
  try {
    for await (const child of entry.entries({ signal: options.signal })) {
      out.push({ name: child.name, cid: child.cid, size: Number(child.size) });
    }
  } catch (err) {
    throw translateError(err, entry.path);
  }
  return out;
}

export { collect } from "./types.ts";

/** Maps library errors to the module's typed errors; ours pass through. */
export function translateError(err: unknown, target: string): Error {
  if (err instanceof HarmonieError) return err;
  const name = (err as { name?: string } | null)?.name;
  if (name === "NotFoundError" || name === "BadPathError") {
    return new NotFoundError(
      target,
      (err as Error).message === ""
        ? undefined
        : `(${(err as Error).message}) Check the CID and path, or add/pin the content first.`,
    );
  }
  if (name === "AbortError") return err as Error;
  return new HarmonieError(`Reading ${target} failed: ${(err as Error)?.message ?? String(err)}`, { cause: err });
}
