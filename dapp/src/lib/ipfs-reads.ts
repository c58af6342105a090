/**
 * The SDK's verified IPFS reads (hashing, UnixFS, metadata schemas). Its own module so lib/ipfs.ts
 * can load it alongside a page instead of before it: the page renders and queries the indexer while
 * this code arrives.
 */
export { collect, createTrustlessGatewayReader, readProfile, readTrackMetadata } from "@harmonie/sdk/storage";
