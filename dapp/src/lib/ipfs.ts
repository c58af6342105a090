/**
 * Content-addressed reads through the SDK's verified gateway reader: every block is hashed against
 * its CID, and answers are cached forever, since a CID never changes. Uploads (Studio) go through
 * `useHarmonie().storage()` instead, so the UnixFS importer stays out of the pages that only read.
 */
import type { StorageReader } from "@harmonie/sdk/storage";
import { useQuery } from "@tanstack/react-query";
import { useCallback } from "react";
import { blobUrl } from "./format.ts";
import { useHarmonie } from "./harmonie.tsx";

// Starts loading with the first page that reads IPFS, without holding that page's render back.
const reads = import("./ipfs-reads.ts");

/** The verified reader for the configured gateway, once its code has loaded. */
export function useIpfsReader(): () => Promise<StorageReader> {
  const { config } = useHarmonie();
  return useCallback(
    () => reads.then(({ createTrustlessGatewayReader }) => createTrustlessGatewayReader(config.ipfsGatewayUrl)),
    [config.ipfsGatewayUrl],
  );
}

/** A track's metadata.json as a query, shared by pages and the player (which reads outside React). */
export function trackMetadataQuery(gatewayUrl: string, metadataCid: string | undefined) {
  return {
    queryKey: ["track-metadata", metadataCid],
    queryFn: async () => {
      const { createTrustlessGatewayReader, readTrackMetadata } = await reads;
      return readTrackMetadata(createTrustlessGatewayReader(gatewayUrl), metadataCid!);
    },
    staleTime: Infinity,
  };
}

export function useTrackMetadata(metadataCid: string | undefined) {
  const { config } = useHarmonie();
  return useQuery({ ...trackMetadataQuery(config.ipfsGatewayUrl, metadataCid), enabled: !!metadataCid });
}

/** An artist's profile.json (name, bio, avatar) as a query. */
export function profileDocumentQuery(gatewayUrl: string, profileCid: string | null | undefined) {
  return {
    queryKey: ["profile", profileCid],
    queryFn: async () => {
      const { createTrustlessGatewayReader, readProfile } = await reads;
      return readProfile(createTrustlessGatewayReader(gatewayUrl), profileCid!);
    },
    staleTime: Infinity,
  };
}

/** An image inside a package (`<cid>/cover.jpg`) as an object URL, as a query. */
export function ipfsImageQuery(gatewayUrl: string, path: string | undefined, mimeType: string | undefined) {
  return {
    queryKey: ["ipfs-image", path],
    queryFn: async () => {
      const { createTrustlessGatewayReader, collect } = await reads;
      return blobUrl(await collect(createTrustlessGatewayReader(gatewayUrl).cat(path!)), mimeType!);
    },
    staleTime: Infinity,
  };
}

export function useProfileDocument(profileCid: string | null | undefined) {
  const { config } = useHarmonie();
  return useQuery({ ...profileDocumentQuery(config.ipfsGatewayUrl, profileCid), enabled: !!profileCid });
}

/** An image inside a package (`<cid>/cover.jpg`) as an object URL for <img>. */
export function useIpfsImage(path: string | undefined, mimeType: string | undefined) {
  const { config } = useHarmonie();
  return useQuery({ ...ipfsImageQuery(config.ipfsGatewayUrl, path, mimeType), enabled: !!path && !!mimeType });
}
