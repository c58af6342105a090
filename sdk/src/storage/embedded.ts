/**
 * Embedded backend: UnixFS directly on a local blockstore. With
 * `MemoryBlockstore` it runs in browsers and tests; on Node, pass the
 * filesystem blockstore from `createFsBlockstore()` (the dev default).
 */
import { MemoryBlockstore } from "blockstore-core/memory";
import type { Blockstore } from "interface-blockstore";
import * as dagPb from "@ipld/dag-pb";
import type { CID } from "multiformats/cid";
import { classifyAddInput, type AddInput, type PinOptions, type StorageBackend } from "./backend.ts";
import { toCid, type CidOrPath } from "./cid.ts";
import { NotFoundError } from "../errors.ts";
import { addDirectory, addFile, type AddOptions, type AddResult } from "./unixfs.ts";
import { cat, collect, type CatOptions } from "./unixfs-read.ts";

/** The subset of a blockstore the embedded backend needs. */
export type EmbeddedBlockstore = Pick<Blockstore, "get" | "put" | "has">;

export interface EmbeddedBackend extends StorageBackend {
  readonly blockstore: EmbeddedBlockstore;
  /** CIDs pinned through this backend instance, in pin order. */
  pins: () => CID[];
}

/**
 * Creates a backend over a local blockstore (in memory unless one is given).
 *
 * `pin` walks the whole DAG and fails with NotFoundError if any block is
 * missing: the embedded store never garbage-collects, so "pinned" here
 * means "verified complete and recorded".
 *
 * @example
 * ```ts
 * const storage = createEmbeddedBackend() // or { blockstore: new FsBlockstore(dir) } to keep the blocks
 * const { cid } = await storage.add(new TextEncoder().encode('hello world\n'))
 * ```
 */
export function createEmbeddedBackend({
  blockstore = new MemoryBlockstore(),
  name = "embedded blockstore",
}: {
  blockstore?: EmbeddedBlockstore;
  name?: string;
} = {}): EmbeddedBackend {
  const pinned = new Map<string, CID>();
  return {
    name,
    blockstore,
    async add(input: AddInput, options?: AddOptions): Promise<AddResult> {
      const classified = classifyAddInput(input);
      return classified.kind === "directory"
        ? addDirectory(blockstore, classified.entries, options)
        : addFile(blockstore, classified.content, options);
    },
    cat(target: CidOrPath, options?: CatOptions) {
      return cat(blockstore, target, options);
    },
    async has(target: CidOrPath, options?: { signal?: AbortSignal }) {
      return blockstore.has(toCid(target), options);
    },
    async pin(target: CidOrPath, options?: PinOptions) {
      const cid = toCid(target);
      await assertDagComplete(blockstore, cid, options?.signal);
      pinned.set(cid.toString(), cid);
    },
    pins: () => [...pinned.values()],
  };
}

/**
 * Walks a raw/dag-pb DAG and throws NotFoundError at the first missing block.
 *
 * @example
 * ```ts
 * await assertDagComplete(blockstore, rootCid)
 * ```
 */
export async function assertDagComplete(
  blockstore: Pick<Blockstore, "get" | "has">,
  root: CID,
  signal?: AbortSignal,
): Promise<void> {
  const seen = new Set<string>();
  const stack: CID[] = [root];
  while (stack.length > 0) {
    signal?.throwIfAborted();
    const cid = stack.pop() as CID;
    const key = cid.toString();
    if (seen.has(key) || cid.multihash.code === 0x00) continue;
    seen.add(key);
    if (!(await blockstore.has(cid)))
      throw new NotFoundError(`Block ${key} (under ${root.toString()})`, "Add the complete content before pinning it.");
    if (cid.code !== dagPb.code) continue;
    const node = dagPb.decode(await collect(blockstore.get(cid)));
    for (let i = node.Links.length - 1; i >= 0; i--) stack.push((node.Links[i] as dagPb.PBLink).Hash);
  }
}
