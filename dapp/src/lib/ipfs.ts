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

export function useTrackMetadata(metadataCid: string | undefined) {
  const reader = useIpfsReader();
  return useQuery({
    queryKey: ["track-metadata", metadataCid],
    queryFn: async () => (await reads).readTrackMetadata(await reader(), metadataCid!),
    enabled: !!metadataCid,
    staleTime: Infinity,
  });
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
