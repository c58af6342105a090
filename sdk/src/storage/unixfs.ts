/**
 * UnixFS add with kubo-identical CIDs (reads: ./unixfs-read.ts, kept apart so a reading browser
 * page does not carry the importer).
 *
 * `add` reproduces `ipfs add --cid-version=1` (kubo defaults): CIDv1, raw
 * leaves, fixed 256 KiB chunks, balanced DAG of at most 174 links per node,
 * and plain (non-HAMT) directories below kubo's 256 KiB sharding threshold.
 * A directory built with {@link addDirectory} has the CID that
 * `ipfs add -r --cid-version=1 <dir>` prints for `<dir>`, which equals the
 * wrapper CID of `ipfs add -w --cid-version=1 <dir>/*`.
 */
import { importer, type ImporterOptions, type WritableStorage, type ImportCandidate } from "ipfs-unixfs-importer";
import { fixedSize } from "ipfs-unixfs-importer/chunker";
import { balanced } from "ipfs-unixfs-importer/layout";
import { HarmonieError, InvalidInputError } from "../errors.ts";
import type { AddOptions, AddProgress, AddResult, AddedFile, FileContent, FileEntry } from "./types.ts";

/** The kubo `ipfs add --cid-version=1` parameters this module reproduces. */
export const KUBO_ADD_PARAMS = Object.freeze({
  cidVersion: 1,
  rawLeaves: true,
  chunkSize: 262_144,
  maxChildrenPerNode: 174,
  /** kubo's `Import.UnixFSHAMTDirectorySizeThreshold` default, estimated from link bytes. */
  hamtThresholdBytes: 262_144,
});

export type { FileContent, FileEntry, AddProgress, AddOptions, AddedFile, AddResult } from "./types.ts";

/**
 * Importer options equal to kubo's `ipfs add --cid-version=1` defaults (`cidVersion` 0: plain `ipfs add`).
 *
 * @example
 * ```ts
 * for await (const e of importer(source, blockstore, kuboImporterOptions())) console.log(e.cid)
 * ```
 */
export function kuboImporterOptions(
  onProgress?: (progress: AddProgress) => void,
  cidVersion: 0 | 1 = KUBO_ADD_PARAMS.cidVersion,
): ImporterOptions {
  return {
    cidVersion,
    // kubo: raw leaves by default with CIDv1 only.
    rawLeaves: cidVersion === 1 && KUBO_ADD_PARAMS.rawLeaves,
    reduceSingleLeafToSelf: true,
    chunker: fixedSize({ chunkSize: KUBO_ADD_PARAMS.chunkSize }),
    layout: balanced({ maxChildrenPerNode: KUBO_ADD_PARAMS.maxChildrenPerNode }),
    shardSplitThresholdBytes: KUBO_ADD_PARAMS.hamtThresholdBytes,
    shardSplitStrategy: "links-bytes",
    onProgress: onProgress === undefined ? undefined : progressAdapter(onProgress),
  };
}

/**
 * Adds one file and returns its CID (as `ipfs add --cid-version=1 file`).
 *
 * @example
 * ```ts
 * const { cid } = await addFile(new MemoryBlockstore(), new TextEncoder().encode('hello world\n'))
 * // cid = bafkreifjjcie6lypi6ny7amxnfftagclbuxndqonfipmb64f2km2devei4
 * ```
 */
export async function addFile(
  blockstore: WritableStorage,
  content: FileContent,
  options: AddOptions = {},
): Promise<AddResult> {
  const results = await runImporter([{ content: toByteSource(content) }], blockstore, options, false);
  const root = results.at(-1);
  if (root === undefined) throw new HarmonieError("The importer produced no block for this file.");
  return { cid: root.cid, files: [{ ...root, path: "" }] };
}

/**
 * Adds files as one UnixFS directory and returns the directory CID and each
 * file's CID (as `ipfs add -r --cid-version=1 <dir>`).
 *
 * @throws {InvalidInputError} on empty, absolute, duplicate or `..` paths.
 * @example
 * ```ts
 * const { cid, files } = await addDirectory(store, [
 *   { path: 'metadata.json', content: json },
 *   { path: 'audio.flac', content: audioBlob }
 * ])
 * ```
 */
export async function addDirectory(
  blockstore: WritableStorage,
  entries: readonly FileEntry[],
  options: AddOptions = {},
): Promise<AddResult> {
  const paths = entries.map((entry) => normaliseEntryPath(entry.path));
  const duplicate = paths.find((path, i) => paths.indexOf(path) !== i);
  if (duplicate !== undefined)
    throw new InvalidInputError(`Path "${duplicate}" appears twice; every file in a directory needs a unique path.`);

  const candidates: ImportCandidate[] = entries.map((entry, i) => ({
    path: paths[i],
    content: toByteSource(entry.content),
  }));
  const results = await runImporter(candidates, blockstore, options, true);
  const root = results.at(-1);
  if (root === undefined || root.path !== "")
    throw new HarmonieError("The importer did not produce a wrapping directory.");
  const byPath = new Map(results.map((result) => [result.path, result]));
  const files = paths.map((path) => {
    const found = byPath.get(path);
    if (found === undefined) throw new HarmonieError(`The importer produced no entry for "${path}".`);
    return found;
  });
  return { cid: root.cid, files };
}

async function runImporter(
  candidates: ImportCandidate[],
  blockstore: WritableStorage,
  options: AddOptions,
  wrapWithDirectory: boolean,
): Promise<AddedFile[]> {
  const importerOptions: ImporterOptions = {
    ...kuboImporterOptions(options.onProgress, options.cidVersion),
    wrapWithDirectory,
  };
  const results: AddedFile[] = [];
  for await (const entry of importer(candidates, blockstore, importerOptions)) {
    options.signal?.throwIfAborted();
    const size = entry.unixfs?.type === "file" ? Number(entry.unixfs.fileSize()) : Number(entry.size);
    results.push({ path: entry.path ?? "", cid: entry.cid, size });
  }
  return results;
}

/** Adapts the importer's per-file write events into one cumulative byte count. */
function progressAdapter(onProgress: (progress: AddProgress) => void): ImporterOptions["onProgress"] {
  const perFile = new Map<string, bigint>();
  let total = 0;
  return (event) => {
    if (event.type !== "unixfs:importer:progress:file:write") return;
    const path = event.detail.path ?? "";
    // With raw leaves every written leaf byte is a file byte.
    const delta = event.detail.bytesWritten - (perFile.get(path) ?? 0n);
    perFile.set(path, event.detail.bytesWritten);
    total += Number(delta);
    onProgress({ bytes: total, path });
  };
}

function normaliseEntryPath(path: string): string {
  const segments = path.split("/");
  if (path === "" || path.startsWith("/") || segments.some((s) => s === "" || s === "." || s === "..")) {
    throw new InvalidInputError(
      `Invalid file path "${path}": use a relative path like "audio.flac" or "stems/vocals.wav", without "..", empty segments or a leading "/".`,
    );
  }
  return path;
}

/** Turns any accepted content into what the importer consumes. */
export function toByteSource(content: FileContent): Uint8Array | Iterable<Uint8Array> | AsyncIterable<Uint8Array> {
  if (typeof Blob !== "undefined" && content instanceof Blob) return blobChunks(content);
  return content as Uint8Array | Iterable<Uint8Array> | AsyncIterable<Uint8Array>;
}

async function* blobChunks(blob: Blob): AsyncGenerator<Uint8Array> {
  // getReader() rather than async iteration: Safari's ReadableStream lacks it.
  const reader = blob.stream().getReader();
  try {
    while (true) {
      const { done, value } = await reader.read();
      if (done) return;
      yield value;
    }
  } finally {
    reader.releaseLock();
  }
}
