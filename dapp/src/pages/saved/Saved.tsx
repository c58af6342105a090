import { useEffect, useState } from "react";
import { Link } from "react-router";
import { useStandaloneReader } from "../../lib/chain-reader.ts";
import { dateOf } from "../../lib/format.ts";
import { useHarmonie } from "../../lib/harmonie.tsx";
import { usePageMeta } from "../../lib/meta.ts";
import {
  type SavedTrack,
  checkSavedTrack,
  listSavedTracks,
  removeSavedTrack,
  savedAudioUrl,
} from "../../lib/offline.ts";
import { Name } from "../../lib/text.tsx";

/** Tracks saved on this device: playable with no network at all, while their licence lasts. */
export default function Saved() {
  const { deployment } = useHarmonie();
  const reader = useStandaloneReader();
  const [tracks, setTracks] = useState<SavedTrack[]>();
  const [playing, setPlaying] = useState<{ isrc: string; url: string }>();
  usePageMeta("Offline", "Tracks saved on this device play here without a connection.");
  const check = (saved: SavedTrack) => checkSavedTrack(reader, deployment, saved).catch(() => saved);
  const refresh = async () => {
    const listed = await listSavedTracks().catch(() => []);
    setTracks(listed);
    // Exclusive copies lock once their licence has ended (asked of the chain when it answers).
    setTracks(await Promise.all(listed.map(check)));
  };
  useEffect(() => {
    void refresh();
  }, []);
  useEffect(() => () => playing && URL.revokeObjectURL(playing.url), [playing]);

  async function play(saved: SavedTrack) {
    const now = await check(saved);
    if (now.locked) {
      setTracks((list) => list?.map((t) => (t.isrc === now.isrc ? now : t)));
      return;
    }
    const url = await savedAudioUrl(saved.isrc);
    if (url) setPlaying({ isrc: saved.isrc, url });
  }

  return (
    <>
      <h1>Offline</h1>
      <p className="lead">Tracks you saved play here even without a connection.</p>
      {!tracks ? (
        <p>Loading…</p>
      ) : tracks.length === 0 ? (
        <p className="muted">Nothing saved yet. Open a track you can play and choose “Save for offline”.</p>
      ) : (
        <ul className="list">
          {tracks.map((track) => (
            <li
              key={track.isrc}
              className={`row saved-row${track.locked ? " locked" : ""}`}
              data-testid={`saved-${track.isrc}`}
            >
              <span>
                <strong>
                  <Name text={track.title} lines={2} />
                </strong>{" "}
                <span className="muted">
                  by <Name text={track.artist} />
                </span>
              </span>
              {track.locked ? (
                <p className="saved-locked" data-testid="saved-locked">
                  <strong>Locked.</strong>{" "}
                  {track.locked.expiredAt
                    ? `Your licence ended on ${dateOf(BigInt(track.locked.expiredAt))}, so the saved copy was removed.`
                    : "This copy needs a licence you no longer hold, so it was removed."}{" "}
                  <Link to={`/track/${track.isrc}`}>Renew the licence</Link> to listen again.
                </p>
              ) : (
                <button type="button" onClick={() => void play(track)} aria-label={`Play ${track.title}`}>
                  Play
                </button>
              )}
              <button
                type="button"
                className="secondary"
                onClick={() => removeSavedTrack(track.isrc).then(refresh)}
                aria-label={`Remove ${track.title}`}
              >
                Remove
              </button>
              {!track.locked && track.expiresAt && (
                <span className="muted">Licence until {dateOf(BigInt(track.expiresAt))}</span>
              )}
              {playing?.isrc === track.isrc && !track.locked && (
                <audio
                  controls
                  autoPlay
                  src={playing.url}
                  data-testid="saved-player"
                  aria-label={`Playing ${track.title}`}
                />
              )}
              {!track.locked && (
                <Link to={`/track/${track.isrc}`} className="muted">
                  Track page
                </Link>
              )}
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
