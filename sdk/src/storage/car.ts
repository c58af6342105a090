/**
 * CAR export of UnixFS DAGs, shaped as the Trustless Gateway spec asks:
 * blocks needed to walk the path first, then the DAG at its end in
 * depth-first order, without duplicates (`order=dfs; dups=n`), never
 * including identity blocks.
 */
import { CarWriter } from "@ipld/car/writer";
import * as dagPb from "@ipld/dag-pb";
import type { Blockstore } from "interface-blockstore";
import { UnixFS } from "ipfs-unixfs";
import type { CID } from "multiformats/cid";
import { identity } from "multiformats/hashes/identity";
import { parseIpfsPath, type CidOrPath } from "./cid.ts";
import { HarmonieError, NotFoundError } from "../errors.ts";
import { collect, translateError } from "./unixfs-read.ts";

export type DagScope = "all" | "entity" | "block";
export type BlockReader = Pick<Blockstore, "get">;

export interface ResolvedPath {
  /** CIDs of the blocks walked, root first, terminal last. */
  cids: CID[];
  terminal: CID;
}

/**
 * Reads one block; identity CIDs are answered from the CID itself.
 *
 * @throws {NotFoundError} when the store lacks the block.
 * @example
 * ```ts
 * const bytes = await getBlock(blockstore, cid)
 * ```
 */
export async function getBlock(
  blockstore: BlockReader,
  cid: CID,
  options: { signal?: AbortSignal } = {},
): Promise<Uint8Array> {
  if (cid.multihash.code === identity.code) return cid.multihash.digest;
  try {
    return await collect(blockstore.get(cid, options));
  } catch (err) {
    throw translateError(err, `Block ${cid.toString()}`);
  }
}

/**
 * Walks `cid/a/b` through plain UnixFS directories and returns every block CID on the way.
 *
 * @throws {NotFoundError} for a missing block or name; HarmonieError for HAMT-sharded directories.
 * @example
 * ```ts
 * const { terminal } = await resolvePathBlocks(store, `${dirCid}/audio.flac`)
 * ```
 */
export async function resolvePathBlocks(
  blockstore: BlockReader,
  target: CidOrPath,
  options: { signal?: AbortSignal } = {},
): Promise<ResolvedPath> {
  const { cid: root, path } = parseIpfsPath(target);
  const cids = [root];
  let current = root;
  const bytes = await getBlock(blockstore, root, options);
  let block = bytes;
  for (const name of path === "" ? [] : path.split("/")) {
    if (current.code !== dagPb.code)
      throw new NotFoundError(`${root.toString()}/${path}`, `"${name}" is below a raw block, which has no children.`);
    const node = dagPb.decode(block);
    const unixfs = node.Data === undefined ? undefined : UnixFS.unmarshal(node.Data);
    if (unixfs?.type === "hamt-sharded-directory")
      throw new HarmonieError(
        `Path ${root.toString()}/${path} crosses a HAMT-sharded directory, which CAR path export does not support; request the CID of the file directly.`,
      );
    const link = node.Links.find((l) => l.Name === name);
    if (link === undefined) throw new NotFoundError(`${root.toString()}/${path}`, `No entry named "${name}".`);
    current = link.Hash;
    block = await getBlock(blockstore, current, options);
    cids.push(current);
  }
  return { cids, terminal: current };
}

/**
 * Yields the blocks of the DAG below `root` in depth-first order, each once.
 *
 * @example
 * ```ts
 * for await (const { cid } of dagBlocks(store, fileCid, 'all')) console.log(cid.toString())
 * ```
 */
export async function* dagBlocks(
  blockstore: BlockReader,
  root: CID,
  scope: DagScope,
  options: { signal?: AbortSignal; seen?: Set<string> } = {},
): AsyncGenerator<{ cid: CID; bytes: Uint8Array }> {
  const seen = options.seen ?? new Set<string>();
  const stack: Array<{ cid: CID; depth: number }> = [{ cid: root, depth: 0 }];
  let expandDirectories = scope === "all";
  while (stack.length > 0) {
    options.signal?.throwIfAborted();
    const { cid, depth } = stack.pop() as { cid: CID; depth: number };
    const key = cid.toString();
    if (seen.has(key)) continue;
    seen.add(key);
    const bytes = await getBlock(blockstore, cid, options);
    if (cid.multihash.code !== identity.code) yield { cid, bytes };
    if (scope === "block" || cid.code !== dagPb.code) continue;
    const node = dagPb.decode(bytes);
    const type = node.Data === undefined ? undefined : UnixFS.unmarshal(node.Data).type;
    // `entity`: a whole file, but only the listing (and HAMT shards) of a directory.
    if (depth === 0 && scope === "entity")
      expandDirectories = type !== "directory" && type !== "hamt-sharded-directory";
    let links = node.Links;
    if (!expandDirectories && (type === "directory" || type === "hamt-sharded-directory")) {
      links = type === "hamt-sharded-directory" ? links.filter((l) => isShardPointer(l.Name)) : [];
    }
    for (let i = links.length - 1; i >= 0; i--) stack.push({ cid: (links[i] as dagPb.PBLink).Hash, depth: depth + 1 });
  }
}

/** HAMT links to sub-shards are named by their hex prefix alone. */
function isShardPointer(name: string | undefined): boolean {
  return name !== undefined && /^[0-9A-F]{2}$/.test(name);
}

/**
 * Streams a CARv1 of `cid[/path]`: path blocks, then the DAG per `scope`.
 * Call {@link resolvePathBlocks} first when a missing root must become a 404.
 *
 * @example
 * ```ts
 * const car = await collect(exportCar(store, `${dirCid}/audio.flac`, { scope: 'all' }))
 * ```
 */
export async function* exportCar(
  blockstore: BlockReader,
  target: CidOrPath,
  options: { scope?: DagScope; signal?: AbortSignal; resolved?: ResolvedPath } = {},
): AsyncGenerator<Uint8Array> {
  const resolved = options.resolved ?? (await resolvePathBlocks(blockstore, target, options));
  const root = resolved.cids[0] as CID;
  const { writer, out } = CarWriter.create([root]);
  const produce = (async () => {
    try {
      const seen = new Set<string>();
      for (const cid of resolved.cids.slice(0, -1)) {
        seen.add(cid.toString());
        if (cid.multihash.code !== identity.code)
          await writer.put({ cid, bytes: await getBlock(blockstore, cid, options) });
      }
      for await (const block of dagBlocks(blockstore, resolved.terminal, options.scope ?? "all", {
        signal: options.signal,
        seen,
      })) {
        await writer.put(block);
      }
    } finally {
      await writer.close();
    }
  })();
  // Surface a producer failure to the consumer even when no more bytes follow.
  let failure: unknown;
  produce.catch((err) => {
    failure = err;
  });
  for await (const chunk of out) yield chunk;
  await produce.catch(() => {});
  if (failure !== undefined) throw failure;
}
