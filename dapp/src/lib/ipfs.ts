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

export function useProfileDocument(profileCid: string | null | undefined) {
  const reader = useIpfsReader();
  return useQuery({
    queryKey: ["profile", profileCid],
    queryFn: async () => (await reads).readProfile(await reader(), profileCid!),
    enabled: !!profileCid,
    staleTime: Infinity,
  });
}

/** An image inside a package (`<cid>/cover.jpg`) as an object URL for <img>. */
export function useIpfsImage(path: string | undefined, mimeType: string | undefined) {
  const reader = useIpfsReader();
  return useQuery({
    queryKey: ["ipfs-image", path],
    queryFn: async () => blobUrl(await (await reads).collect((await reader()).cat(path!)), mimeType!),
    enabled: !!path && !!mimeType,
    staleTime: Infinity,
  });
}
