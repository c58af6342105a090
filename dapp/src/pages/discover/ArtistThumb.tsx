import { useIpfsImage, useProfileDocument } from "../../lib/ipfs.ts";
import { initialOf } from "../../lib/text.tsx";

/**
 * An artist's picture from their profile document (IPFS), or the first letter of their name. With
 * `live`, the thumbnail of a session they are streaming (the stream itself has no still to show).
 */
export function ArtistThumb({ profileCid, name, live }: { profileCid: string | null; name: string; live?: boolean }) {
  const profile = useProfileDocument(profileCid);
  const avatar = profile.data?.avatar;
  const image = useIpfsImage(avatar && `${profileCid}/${avatar.path}`, avatar?.mimeType);
  return (
    <span className={live ? "thumb thumb-live" : "thumb"} aria-hidden="true">
      {image.data ? <img src={image.data} alt="" width="72" height="48" /> : <span>{initialOf(name)}</span>}
    </span>
  );
}
