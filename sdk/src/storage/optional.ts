/**
 * The UnixFS/IPLD stack and the JSON Schema validator are optional peer dependencies, so a tip-only
 * app installs viem and the SDK alone. Code outside `@harmonie/sdk/storage` that needs them loads
 * them on first use through {@link loadStorage}, which turns a missing package into a
 * {@link StorageDependencyError} naming what to install.
 */
import { HarmonieError } from "../errors.ts";

/** The packages `@harmonie/sdk/storage` needs besides viem and multiformats (keep in sync with package.json). */
export const STORAGE_PEER_DEPENDENCIES = [
  "@cfworker/json-schema",
  "@ipld/car",
  "@ipld/dag-pb",
  "blockstore-core",
  "interface-blockstore",
  "ipfs-unixfs",
  "ipfs-unixfs-exporter",
  "ipfs-unixfs-importer",
] as const;

/** A storage function was used without the optional storage packages installed. */
export class StorageDependencyError extends HarmonieError {
  /** The packages to install. */
  readonly packages: readonly string[];
  constructor(missing: string | undefined, options?: { cause?: unknown }) {
    super(
      `IPFS storage needs packages that are optional for a tip-only app${missing === undefined ? "" : ` (${missing} is missing)`}: npm install ${STORAGE_PEER_DEPENDENCIES.join(" ")}`,
      options,
    );
    this.name = "StorageDependencyError";
    this.packages = STORAGE_PEER_DEPENDENCIES;
  }
}

/**
 * Imports a storage module, or throws {@link StorageDependencyError} when one of its packages is absent.
 *
 * @example
 * ```ts
 * const { readTrackMetadata } = await loadStorage(() => import("./packages.ts"))
 * ```
 */
export async function loadStorage<T>(load: () => Promise<T>): Promise<T> {
  try {
    return await load();
  } catch (err) {
    const code = (err as { code?: string }).code;
    const message = (err as Error)?.message ?? "";
    if (code === "ERR_MODULE_NOT_FOUND" || /Cannot find (package|module)|Failed to resolve module/i.test(message)) {
      const missing = STORAGE_PEER_DEPENDENCIES.find(
        (name) => message.includes(`'${name}`) || message.includes(`"${name}`),
      );
      throw new StorageDependencyError(missing, { cause: err });
    }
    throw err;
  }
}
