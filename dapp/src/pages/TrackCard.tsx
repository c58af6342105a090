import { formatIsrc } from "@harmonie/sdk";
import { Link } from "react-router";
import { useIpfsImage, useTrackMetadata } from "../lib/ipfs.ts";
import { Name } from "../lib/text.tsx";

/** A track tile: cover and title from its IPFS package, linking to the track page. */
export function TrackCard(props: { isrc: string; metadataCid: string; exclusive: boolean; artistLabel?: string }) {
  const metadata = useTrackMetadata(props.metadataCid);
  const cover = metadata.data?.files.cover;
  const image = useIpfsImage(cover && `${props.metadataCid}/${cover.path}`, cover?.mimeType);
  const title = metadata.data?.title ?? formatIsrc(props.isrc, { hyphens: true });
  const artist = metadata.data?.artist ?? props.artistLabel;
  return (
    <li className="card track-card">
      <Link to={`/track/${props.isrc}`} className="card-link">
        <div className="cover" aria-hidden="true">
          {image.data ? <img src={image.data} alt="" width="160" height="160" /> : <span>♪</span>}
        </div>
        <span className="card-title">
          <Name text={title} lines={2} />
        </span>
      </Link>
      <span className="muted card-artist">
        {artist && <Name text={artist} />}
        {props.exclusive && <span className="badge">Exclusive</span>}
      </span>
    </li>
  );
}
