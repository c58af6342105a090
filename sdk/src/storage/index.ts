/**
 * `@harmonie/sdk` storage module (browser-safe): kubo-identical UnixFS
 * CIDs, track/profile packages, trustless reads, backends, encryption.
 * Node-only parts (filesystem blockstore, HTTP service) are in ../node.
 */
export * from "../errors.ts";
export { StorageDependencyError, STORAGE_PEER_DEPENDENCIES } from "./optional.ts";
export { parseIpfsPath, toCid, formatIpfsPath, type IpfsPath, type CidOrPath } from "./cid.ts";
export {
  KUBO_ADD_PARAMS,
  kuboImporterOptions,
  addFile,
  addDirectory,
  type FileContent,
  type FileEntry,
  type AddOptions,
  type AddProgress,
  type AddedFile,
  type AddResult,
} from "./unixfs.ts";
export { cat, resolve, list, collect, type CatOptions, type DirectoryEntry } from "./unixfs-read.ts";
export {
  classifyAddInput,
  type StorageBackend,
  type StorageReader,
  type AddInput,
  type PinOptions,
} from "./backend.ts";
export { createEmbeddedBackend, assertDagComplete, type EmbeddedBackend, type EmbeddedBlockstore } from "./embedded.ts";
export { createKuboBackend, type KuboBackendOptions } from "./kubo.ts";
export { createHttpServiceBackend, type HttpServiceBackendOptions } from "./http-service-backend.ts";
export {
  createPinningServiceClient,
  withRemotePinning,
  type PinningServiceClient,
  type PinningServiceClientOptions,
  type Pin,
  type PinStatus,
  type PinState,
  type PinResults,
  type ListPinsQuery,
  type WaitOptions,
} from "./pinning-service.ts";
export {
  verifyBlock,
  createVerifiedBlockstore,
  createVerifiedReader,
  createTrustlessGatewayFetcher,
  createTrustlessGatewayReader,
  verifiedCarBlocks,
  MAX_BLOCK_BYTES,
  type BlockFetcher,
  type VerifiedReader,
  type GatewayFetcherOptions,
} from "./verified.ts";
export { exportCar, dagBlocks, resolvePathBlocks, getBlock, type DagScope, type ResolvedPath } from "./car.ts";
export {
  validateTrackMetadata,
  validateProfile,
  trackSchema,
  profileSchema,
  type TrackMetadata,
  type ProfileMetadata,
  type AudioMimeType,
  type ImageMimeType,
} from "./metadata.ts";
export {
  buildTrackPackage,
  addTrackPackage,
  readTrackMetadata,
  buildProfilePackage,
  addProfilePackage,
  readProfile,
  type TrackPackageInput,
  type TrackFields,
  type MediaFile,
  type BuiltPackage,
  type AddedTrackPackage,
  type ProfilePackageInput,
  type AddedProfilePackage,
} from "./packages.ts";
export {
  generateTrackKey,
  exportTrackKey,
  importTrackKey,
  encryptTrackAudio,
  decryptTrackAudio,
  isEncryptedTrackAudio,
  openEncryptedAudio,
  ENCRYPTED_AUDIO_MAGIC,
  ENCRYPTED_AUDIO_VERSION,
  ENCRYPTED_AUDIO_CHUNK_BYTES,
  type EncryptionOptions,
  type ByteSource,
} from "./encryption.ts";
