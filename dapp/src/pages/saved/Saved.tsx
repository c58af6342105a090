import { useEffect, useState } from "react";
import { Link } from "react-router";
import { usePageMeta } from "../../lib/meta.ts";
import { type SavedTrack, listSavedTracks, removeSavedTrack, savedAudioUrl } from "../../lib/offline.ts";
import { Name } from "../../lib/text.tsx";

/** Tracks saved on this device: playable with no network at all. */
export default function Saved() {
  const [tracks, setTracks] = useState<SavedTrack[]>();
  const [playing, setPlaying] = useState<{ isrc: string; url: string }>();
  usePageMeta("Offline", "Tracks saved on this device play here without a connection.");
  const refresh = () => listSavedTracks().then(setTracks, () => setTracks([]));
  useEffect(() => {
    refresh();
  }, []);
  useEffect(() => () => playing && URL.revokeObjectURL(playing.url), [playing]);

  async function play(isrc: string) {
    const url = await savedAudioUrl(isrc);
    if (url) setPlaying({ isrc, url });
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
            <li key={track.isrc} className="row saved-row">
              <span>
                <strong>
                  <Name text={track.title} lines={2} />
                </strong>{" "}
                <span className="muted">
                  by <Name text={track.artist} />
                </span>
              </span>
              <button type="button" onClick={() => play(track.isrc)} aria-label={`Play ${track.title}`}>
                Play
              </button>
              <button
                type="button"
                className="secondary"
                onClick={() => removeSavedTrack(track.isrc).then(refresh)}
                aria-label={`Remove ${track.title}`}
              >
                Remove
              </button>
              {playing?.isrc === track.isrc && (
                <audio
                  controls
                  autoPlay
                  src={playing.url}
                  data-testid="saved-player"
                  aria-label={`Playing ${track.title}`}
                />
              )}
              <Link to={`/track/${track.isrc}`} className="muted">
                Track page
              </Link>
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
