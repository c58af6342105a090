import { formatIsrc } from "@harmonie/sdk";
import { Link } from "react-router";
import { useIpfsImage, useTrackMetadata } from "../lib/ipfs.ts";
import { Name } from "../lib/text.tsx";
import { Icon } from "../player/icons.tsx";
import { type QueuedTrack, play, toggle, usePlayer } from "../player/store.ts";

export interface TrackCardProps {
  isrc: string;
  metadataCid: string;
  exclusive: boolean;
  artistLabel?: string;
}

/**
 * A track tile: cover and title from its IPFS package, linking to the track page, with a play
 * button that starts it in the bottom player and queues the open tracks listed after it (`list`).
 */
export function TrackCard(props: TrackCardProps & { list?: readonly TrackCardProps[] }) {
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
      <CardPlay {...props} title={title} list={props.list} />
      <span className="muted card-artist">
        {artist && <Name text={artist} />}
        {props.exclusive && <span className="badge">Exclusive</span>}
      </span>
    </li>
  );
}

function CardPlay(props: TrackCardProps & { title: string; list?: readonly TrackCardProps[] }) {
  const player = usePlayer();
  const current = player.queue[player.current]?.isrc === props.isrc;
  const playing = current && (player.status === "playing" || player.status === "loading");
  // Exclusive audio is decrypted with the listener's key on the track page, never from a tile.
  if (props.exclusive)
    return (
      <Link to={`/track/${props.isrc}`} className="card-play" aria-label={`Unlock ${props.title} on its page`}>
        <Icon name="lock" />
      </Link>
    );
  return (
    <button
      type="button"
      className="card-play"
      aria-label={`${playing ? "Pause" : "Play"} ${props.title}`}
      aria-pressed={playing}
      onClick={() => {
        if (current) return toggle();
        const list = props.list ?? [];
        const after = list.slice(list.findIndex((t) => t.isrc === props.isrc) + 1).filter((t) => !t.exclusive);
        play(queued(props), after.map(queued));
      }}
    >
      <Icon name={playing ? "pause" : "play"} />
    </button>
  );
}

const queued = (t: TrackCardProps): QueuedTrack => ({
  isrc: t.isrc,
  metadataCid: t.metadataCid,
  exclusive: t.exclusive,
});
