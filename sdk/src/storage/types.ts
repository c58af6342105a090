/**
 * The storage shapes every backend shares, and `collect`: no IPFS library behind them (only
 * multiformats' `CID` type), so the root entry point and its type declarations can name them while
 * the UnixFS stack stays an optional install.
 */
import type { CID } from "multiformats/cid";

/** File bytes accepted by `add`: a buffer, a Blob/File, or a byte stream. */
export type FileContent = Uint8Array | Blob | Iterable<Uint8Array> | AsyncIterable<Uint8Array>;

/** One file of a directory, addressed by a relative slash-separated path. */
export interface FileEntry {
  path: string;
  content: FileContent;
}

/** Cumulative progress of one add call. */
export interface AddProgress {
  /** File bytes hashed and stored so far, over all files of this add. */
  bytes: number;
  /** The file the last processed chunk belongs to (`''` for a bare file). */
  path: string;
}

export interface AddOptions {
  onProgress?: (progress: AddProgress) => void;
  /**
   * `1` (the default): the CIDs of `ipfs add --cid-version=1` (raw leaves). `0`: those of a plain
   * `ipfs add` with kubo's defaults (CIDv0 `Qm…`, dag-pb leaves), e.g. to match older pins.
   */
  cidVersion?: 0 | 1;
  signal?: AbortSignal;
}

export interface AddedFile {
  /** Path inside the added directory (`''` for a bare file). */
  path: string;
  cid: CID;
  /** File size in bytes (not DAG size). */
  size: number;
}

export interface AddResult {
  /** The file CID for a bare file, the directory CID for a directory. */
  cid: CID;
  /** Every file added, in input order. */
  files: AddedFile[];
}

export interface CatOptions {
  /** Byte offset to start reading at. */
  offset?: number;
  /** Maximum number of bytes to read. */
  length?: number;
  signal?: AbortSignal;
}

/**
 * Concatenates a byte stream.
 *
 * @example
 * ```ts
 * const bytes = await collect(cat(store, cid))
 * ```
 */
export async function collect(source: AsyncIterable<Uint8Array> | Iterable<Uint8Array>): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  let length = 0;
  for await (const chunk of source) {
    chunks.push(chunk);
    length += chunk.byteLength;
  }
  if (chunks.length === 1 && chunks[0] !== undefined) return chunks[0];
  const out = new Uint8Array(length);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return out;
}
