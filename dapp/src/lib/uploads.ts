/**
 * IPFS uploads to the configured service. Its own module, imported on demand by `storage()`, so
 * the UnixFS importer lands in a chunk only Studio loads; reads go through lib/ipfs.ts.
 */
export { createHttpServiceBackend } from "@harmonie/sdk/storage";
