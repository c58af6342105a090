/**
 * The bar at the bottom of every page: the current track, play/pause, previous/next, seek, the
 * queue. It only draws the player store; the audio itself lives outside React (store.ts), so route
 * changes and the wallet kit's arrival never interrupt it.
 */
import { useQueryClient } from "@tanstack/react-query";
import { type CSSProperties, useEffect, useState } from "react";
import { Link } from "react-router";
import { useHarmonie } from "../lib/harmonie.tsx";
import { useIpfsImage, useTrackMetadata } from "../lib/ipfs.ts";
import { Name } from "../lib/text.tsx";
import { Icon } from "./icons.tsx";
import {
  type PlayerState,
  type QueuedTrack,
  configurePlayer,
  next,
  playAt,
  previous,
  removeFromQueue,
  seek,
  toggle,
  usePlayer,
} from "./store.ts";

export function BottomPlayer() {
  const { config } = useHarmonie();
  const queries = useQueryClient();
  useEffect(() => configurePlayer(config.ipfsGatewayUrl, queries), [config.ipfsGatewayUrl, queries]);
  const player = usePlayer();
  const [queueOpen, setQueueOpen] = useState(false);
  const track = player.queue[player.current];
  const cover = player.metadata?.files.cover;
  const image = useIpfsImage(cover && track && `${track.metadataCid}/${cover.path}`, cover?.mimeType);
  useMediaSession(player, image.data);
  if (!track) return null;
  const meta = player.metadata;
  const playing = player.status === "playing" || player.status === "loading";
  return (
    <section className="player-bar" aria-label="Player" data-testid="now-playing">
      {queueOpen && <Queue player={player} />}
      <div className="player-main">
        <div className="cover player-cover" aria-hidden="true">
          {image.data ? <img src={image.data} alt="" width="48" height="48" /> : <span>♪</span>}
        </div>
        <div className="player-text">
          <Link to={`/track/${track.isrc}`} className="player-title">
            {meta ? <Name text={meta.title} /> : "Loading…"}
          </Link>
          <span className="muted player-artist">{meta && <Name text={meta.artist} />}</span>
        </div>
        <div className="player-controls">
          <button type="button" className="icon" aria-label="Previous track" onClick={previous}>
            <Icon name="previous" />
          </button>
          <button
            type="button"
            className="icon player-toggle"
            aria-label={player.status === "error" ? "Try again" : playing ? "Pause" : "Resume"}
            onClick={toggle}
          >
            <Icon name={player.status === "error" ? "retry" : playing ? "pause" : "play"} />
          </button>
          <button
            type="button"
            className="icon"
            aria-label="Next track"
            onClick={next}
            disabled={!player.queue.some((t, i) => i > player.current && (!t.exclusive || t.unlocked))}
          >
            <Icon name="next" />
          </button>
        </div>
        <Seek player={player} />
        <button
          type="button"
          className="icon player-queue-button"
          aria-expanded={queueOpen}
          aria-label={`Queue, ${player.queue.length} ${player.queue.length === 1 ? "track" : "tracks"}`}
          onClick={() => setQueueOpen(!queueOpen)}
        >
          <Icon name="queue" /> <span className="player-count">{player.queue.length}</span>
        </button>
      </div>
      <p className="player-status" aria-live="polite" data-testid="player-status">
        {player.status === "error" ? (
          <span className="error">{player.error}</span>
        ) : player.status === "loading" ? (
          <>
            <span className="spinner" aria-hidden="true" /> {player.note ?? "Loading from IPFS…"}
          </>
        ) : null}
      </p>
    </section>
  );
}

function Seek({ player }: { player: PlayerState }) {
  const { position, duration, buffered } = player;
  const loaded = duration ? Math.min(100, (buffered / duration) * 100) : 0;
  // Where the listener moved the thumb, until playback gets there: the position updates that arrive
  // in between must not pull the thumb (and the seek) back.
  const [target, setTarget] = useState<number>();
  useEffect(() => {
    if (target !== undefined && Math.abs(position - target) < 2) setTarget(undefined);
  }, [position, target]);
  return (
    <div className="player-seek">
      <span className="player-time">{clock(position)}</span>
      <input
        type="range"
        aria-label="Seek"
        min={0}
        max={duration || 0}
        step={1}
        value={target ?? Math.min(position, duration || 0)}
        onChange={(event) => setTarget(seek(Number(event.target.value)))}
        style={{ "--loaded": `${loaded}%` } as CSSProperties}
      />
      <span className="player-time">{clock(duration)}</span>
    </div>
  );
}

function Queue({ player }: { player: PlayerState }) {
  return (
    <ol className="player-queue" aria-label="Queue">
      {player.queue.map((track, index) => (
        <QueueEntry key={track.isrc} track={track} index={index} current={index === player.current} />
      ))}
    </ol>
  );
}

function QueueEntry({ track, index, current }: { track: QueuedTrack; index: number; current: boolean }) {
  const metadata = useTrackMetadata(track.metadataCid);
  const title = metadata.data?.title ?? track.isrc;
  const locked = track.exclusive && !track.unlocked;
  return (
    <li className={current ? "current" : undefined} aria-current={current || undefined}>
      <span className="player-queue-mark">{current ? "Now playing" : index + 1}</span>
      <button type="button" className="player-queue-track" onClick={() => playAt(index)} disabled={current || locked}>
        <Name text={title} />
        {metadata.data && (
          <span className="muted">
            {" · "}
            <Name text={metadata.data.artist} />
          </span>
        )}
        {locked && <span className="muted"> · unlock it on its page</span>}
      </button>
      {!current && (
        <button
          type="button"
          className="icon"
          aria-label={`Remove ${title} from the queue`}
          onClick={() => removeFromQueue(index)}
        >
          <Icon name="remove" />
        </button>
      )}
    </li>
  );
}

/** The lock screen's title, artist, cover, position and play state. */
function useMediaSession(player: PlayerState, cover: string | undefined) {
  const meta = player.metadata;
  useEffect(() => {
    if (!("mediaSession" in navigator) || !meta) return;
    navigator.mediaSession.metadata = new MediaMetadata({
      title: meta.title,
      artist: meta.artist,
      album: "HarmonieCORE",
      artwork: cover ? [{ src: cover, sizes: "512x512", type: meta.files.cover?.mimeType }] : [],
    });
  }, [meta, cover]);
  useEffect(() => {
    if (!("mediaSession" in navigator)) return;
    navigator.mediaSession.playbackState =
      player.status === "playing" ? "playing" : player.status === "idle" ? "none" : "paused";
  }, [player.status]);
  const whole = Math.floor(player.position);
  useEffect(() => {
    if (!("mediaSession" in navigator) || !player.duration) return;
    navigator.mediaSession.setPositionState({
      duration: player.duration,
      position: Math.min(whole, player.duration),
      playbackRate: 1,
    });
  }, [whole, player.duration]);
}

function clock(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, "0")}`;
}
