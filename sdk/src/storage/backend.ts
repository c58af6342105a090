/**
 * The one interface every storage backend implements (embedded blockstore,
 * Kubo RPC node, remote pinning service, HTTP service), so track packages
 * and the dApp code never care where bytes live.
 */
import type { CidOrPath } from "./cid.ts";
import { InvalidInputError } from "../errors.ts";
import type { AddOptions, AddResult, CatOptions, FileContent, FileEntry } from "./types.ts";

/** A bare file (→ file CID) or a list of named files (→ directory CID). */
export type AddInput = FileContent | readonly FileEntry[];

export interface StorageBackend {
  /** Short human name used in error messages, e.g. `"kubo http://127.0.0.1:5001"`. */
  readonly name: string;
  /**
   * Adds content with kubo `ipfs add --cid-version=1` CIDs. A list of
   * `{ path, content }` entries becomes one directory; anything else is one file.
   */
  add: (input: AddInput, options?: AddOptions) => Promise<AddResult>;
  /** Streams the bytes of a file at `cid[/path]`. */
  cat: (target: CidOrPath, options?: CatOptions) => AsyncIterable<Uint8Array>;
  /** Whether the root block of `cid` is available on this backend right now. */
  has: (cid: CidOrPath, options?: { signal?: AbortSignal }) => Promise<boolean>;
  /** Keeps the whole DAG below `cid` stored (semantics per backend, see its docs). */
  pin: (cid: CidOrPath, options?: PinOptions) => Promise<void>;
}

/**
 * What reading a package needs: any backend, or a bare verified reader such as
 * `createTrustlessGatewayReader(url)` (which leaves upload code out of a browser bundle).
 */
export type StorageReader = Pick<StorageBackend, "cat">;

export interface PinOptions {
  /** Human-readable label, e.g. the track title (pinning services keep it). */
  name?: string;
  signal?: AbortSignal;
}

/**
 * Splits an {@link AddInput} into a directory listing or a single file.
 *
 * @example
 * ```ts
 * const input = classifyAddInput(files)
 * if (input.kind === 'directory') console.log(input.entries.length)
 * ```
 */
export function classifyAddInput(
  input: AddInput,
): { kind: "directory"; entries: readonly FileEntry[] } | { kind: "file"; content: FileContent } {
  if (Array.isArray(input) && input.length > 0 && input.every(isFileEntry))
    return { kind: "directory", entries: input };
  if (Array.isArray(input) && input.length === 0)
    throw new InvalidInputError(
      "Nothing to add: pass bytes, a Blob, or a non-empty list of { path, content } entries.",
    );
  return { kind: "file", content: input as FileContent };
}

function isFileEntry(value: unknown): value is FileEntry {
  return typeof value === "object" && value !== null && "path" in value && "content" in value;
}
