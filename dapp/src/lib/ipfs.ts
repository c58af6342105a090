/** Content-addressed reads through the SDK's verified storage: cached forever, since a CID never changes. */
import { readProfile, readTrackMetadata } from "@harmonie/sdk/storage";
import { useQuery } from "@tanstack/react-query";
import { blobUrl, bytesOf } from "./format.ts";
import { useHarmonie } from "./harmonie.tsx";

export function useTrackMetadata(metadataCid: string | undefined) {
  const { storage } = useHarmonie();
  return useQuery({
    queryKey: ["track-metadata", metadataCid],
    queryFn: async () => readTrackMetadata(await storage(), metadataCid!),
    enabled: !!metadataCid,
    staleTime: Infinity,
  });
}

export function useProfileDocument(profileCid: string | null | undefined) {
  const { storage } = useHarmonie();
  return useQuery({
    queryKey: ["profile", profileCid],
    queryFn: async () => readProfile(await storage(), profileCid!),
    enabled: !!profileCid,
    staleTime: Infinity,
  });
}

/** An image inside a package (`<cid>/cover.jpg`) as an object URL for <img>. */
export function useIpfsImage(path: string | undefined, mimeType: string | undefined) {
  const { storage } = useHarmonie();
  return useQuery({
    queryKey: ["ipfs-image", path],
    queryFn: async () => blobUrl(await bytesOf((await storage()).cat(path!)), mimeType!),
    enabled: !!path && !!mimeType,
    staleTime: Infinity,
  });
}
