/**
 * Filesystem blockstore (Node only): the development default of the
 * embedded backend. Blocks live as files under `dataDir`, sharded by
 * `blockstore-fs`'s default next-to-last scheme, and survive restarts.
 */
import { mkdir } from "node:fs/promises";
import { FsBlockstore } from "blockstore-fs";
import { createEmbeddedBackend, type EmbeddedBackend } from "../../../sdk/src/storage/embedded.ts";
import { StorageBackendError } from "../../../sdk/src/errors.ts";

/**
 * Opens (creating if needed) a filesystem blockstore.
 *
 * @throws {StorageBackendError} when the directory cannot be created or opened.
 * @example
 * ```ts
 * const blockstore = await openFsBlockstore('./.harmonie/ipfs')
 * ```
 */
export async function openFsBlockstore(dataDir: string): Promise<FsBlockstore> {
  try {
    await mkdir(dataDir, { recursive: true });
    const blockstore = new FsBlockstore(dataDir);
    await blockstore.open();
    return blockstore;
  } catch (err) {
    throw new StorageBackendError(
      `filesystem blockstore ${dataDir}`,
      `cannot open it (${(err as Error).message}); check the path exists and is writable.`,
      { cause: err },
    );
  }
}

/**
 * The embedded backend on disk, with `close()` to release the store.
 *
 * @example
 * ```ts
 * const storage = await createFsBackend('./.harmonie/ipfs')
 * try { await storage.add(bytes) } finally { await storage.close() }
 * ```
 */
export async function createFsBackend(dataDir: string): Promise<EmbeddedBackend & { close: () => Promise<void> }> {
  const blockstore = await openFsBlockstore(dataDir);
  return {
    ...createEmbeddedBackend({ blockstore, name: `filesystem blockstore ${dataDir}` }),
    close: async () => blockstore.close(),
  };
}
