import { isrcFromTrackId } from "@harmonie/sdk";
import type { LiveWatch } from "@harmonie/sdk/streaming";
import { useEffect, useRef, useState } from "react";
import { Link } from "react-router";
import type { WatchState } from "./useRoomWatch.ts";

/**
 * How the session is broadcast: through this deployment's rooms service, through Livepeer (a big
 * audience), not at all, not known while the index is down, or still being looked up.
 */
export type RoomKnowledge = "rooms" | "livepeer" | "none" | "unknown" | "checking";

/** The artist's camera and microphone in a <video>, or a clear word on why there is none. */
export function LivePlayer({
  state,
  isLive,
  room,
  canJoin,
  gatingTrackId,
  onJoin,
}: {
  state: WatchState;
  isLive: boolean;
  room: RoomKnowledge;
  canJoin: boolean;
  gatingTrackId: bigint;
  onJoin: () => void;
}) {
  const watch = state.status === "connecting" || state.status === "watching" ? state.watch : undefined;
  return (
    <div className="player-box">
      {watch ? (
        <RoomVideo watch={watch} />
      ) : (
        <video muted playsInline aria-label="Live video" poster="/icons/icon-512.png" />
      )}
      <div className="player-note" aria-live="polite">
        <PlayerNote
          state={state}
          isLive={isLive}
          room={room}
          canJoin={canJoin}
          gatingTrackId={gatingTrackId}
          onJoin={onJoin}
        />
      </div>
    </div>
  );
}

function RoomVideo({ watch }: { watch: LiveWatch }) {
  const video = useRef<HTMLVideoElement>(null);
  const [muted, setMuted] = useState(false);
  useEffect(() => {
    const element = video.current;
    if (!element || !watch.media) return;
    element.srcObject = watch.media;
    // With sound if the browser allows it (the visitor just clicked "Watch live"), else muted.
    element.play().catch(() => {
      element.muted = true;
      setMuted(true);
      return element.play().catch(() => undefined);
    });
    return () => {
      element.srcObject = null;
    };
  }, [watch]);
  return (
    <>
      <video ref={video} controls autoPlay playsInline aria-label="Live video" data-testid="live-video" />
      {muted && (
        <button
          type="button"
          className="secondary unmute"
          onClick={() => {
            if (video.current) video.current.muted = false;
            setMuted(false);
          }}
        >
          🔊 Unmute
        </button>
      )}
    </>
  );
}

function PlayerNote(props: {
  state: WatchState;
  isLive: boolean;
  room: RoomKnowledge;
  canJoin: boolean;
  gatingTrackId: bigint;
  onJoin: () => void;
}) {
  const { state, isLive, room, canJoin, gatingTrackId, onJoin } = props;
  const gated = gatingTrackId !== 0n;
  const joinButton = (label: string) => (
    <button type="button" onClick={onJoin} disabled={!canJoin}>
      {canJoin ? label : "Connect a wallet to watch"}
    </button>
  );
  switch (state.status) {
    case "joining":
      return (
        <p>
          <span className="spinner" aria-hidden="true" />{" "}
          {room === "livepeer" && !gated ? "Connecting to the stream…" : "Joining: sign in with your wallet…"}
        </p>
      );
    case "connecting":
      return (
        <p>
          <span className="spinner" aria-hidden="true" /> Connecting to the artist…
        </p>
      );
    case "watching":
      return (
        <p data-testid="watching">
          <span className="live-dot" aria-hidden="true" /> You are watching live.{" "}
          {state.watch.kind === "livepeer" ? "Tips appear on the right." : "Chat and tips appear on the right."}
        </p>
      );
    case "ended":
      return <p>{state.reason} Thanks for watching!</p>;
    case "error":
      return (
        <div className="player-error">
          <p role="alert" className="error" data-testid="watch-error">
            {state.message}
          </p>
          {state.name === "StreamAccessDeniedError" && gated && <LicenceLink trackId={gatingTrackId} />}
          {isLive && state.name !== "StreamAccessDeniedError" && joinButton("Try again")}
        </div>
      );
  }
  if (!isLive) return <p>This session has ended. Its tips and messages stay below.</p>;
  if (room === "none")
    return <p>The artist isn't broadcasting video for this session. Tips and their messages work as usual.</p>;
  if (room === "checking")
    return (
      <p>
        <span className="spinner" aria-hidden="true" /> Checking whether this session has live video…
      </p>
    );
  if (room === "unknown")
    return (
      <div className="player-join">
        <p data-testid="broadcast-unknown">
          Whether the artist is broadcasting video can't be checked right now (the index is not answering). You can
          still try to join; tips work as usual.
        </p>
        {joinButton("▶ Try to watch live")}
      </div>
    );
  if (room === "livepeer")
    return (
      <div className="player-join">
        <p data-testid="broadcast-livepeer">
          The artist is broadcasting to a big audience.
          {gated ? " Licence holders only: joining asks your wallet to sign in (no transaction)." : ""}
        </p>
        {joinButton("▶ Watch live")}
      </div>
    );
  return (
    <div className="player-join">
      <p>
        The artist is broadcasting.
        {gated ? " Licence holders only." : ""} Joining asks your wallet to sign in (no transaction).
      </p>
      {joinButton("▶ Watch live")}
    </div>
  );
}

function LicenceLink({ trackId }: { trackId: bigint }) {
  let isrc: string | undefined;
  try {
    isrc = isrcFromTrackId(trackId);
  } catch {
    isrc = undefined;
  }
  return isrc ? <Link to={`/track/${isrc}`}>Get a licence for the track</Link> : null;
}
