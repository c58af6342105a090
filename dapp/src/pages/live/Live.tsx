import { type IndexedTip, getArtistPage, getSession, getStreamTips, paymentTokens, queryIndexer } from "@harmonie/sdk";
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { Link, useParams } from "react-router";
import { describeError } from "../../lib/errors.ts";
import { shortAddress, totalsOf } from "../../lib/format.ts";
import { useHarmonie } from "../../lib/harmonie.tsx";
import { useReader } from "../../lib/wallet.ts";
import { isRoomsPlayback, mergeTips, tipFromNotice } from "../../lib/streaming.ts";
import { TipForm } from "../TipForm.tsx";
import { TipList } from "../TipList.tsx";
import { LiveChat } from "./LiveChat.tsx";
import { LivePlayer } from "./LivePlayer.tsx";
import { useRoomWatch } from "./useRoomWatch.ts";

export default function Live() {
  const { streamId = "" } = useParams();
  if (!/^\d+$/.test(streamId)) return <p role="alert">“{streamId}” is not a session number.</p>;
  return <LiveSession streamId={BigInt(streamId)} />;
}

function LiveSession({ streamId }: { streamId: bigint }) {
  const { deployment, indexerUrl, config } = useHarmonie();
  const reader = useReader();
  const session = useQuery({
    queryKey: ["session", String(streamId)],
    queryFn: () => getSession(reader, { deployment, streamId }),
    // While live, notice when the artist closes the session.
    refetchInterval: (query) => (query.state.data?.closedAt === 0n ? 5_000 : false),
  });
  const artist = session.data?.artist;
  const artistPage = useQuery({
    queryKey: ["artist", artist],
    enabled: !!artist,
    queryFn: () => getArtistPage(indexerUrl, { artist: artist! }),
  });
  // The stream as indexed: its title, and its playback id, which says whether the artist broadcasts
  // through a rooms service ("rooms:<url>").
  const indexed = useQuery({
    queryKey: ["stream", String(streamId)],
    queryFn: async () =>
      (
        await queryIndexer<{ stream: { title: string; playbackId: string } | null }>(
          indexerUrl,
          "query Stream($id: ID!) { stream(id: $id) { title playbackId } }",
          { id: streamId.toString() },
        )
      ).stream,
    // A brand-new session may not be indexed yet.
    refetchInterval: (query) => (query.state.data ? false : 2_000),
  });
  const [liveTips, setLiveTips] = useState<IndexedTip[]>([]);
  const room = useRoomWatch(streamId, (notice) => {
    if (artist) setLiveTips((all) => [...all, tipFromNotice(notice, artist, streamId, paymentTokens(deployment))]);
  });
  const inRoom = room.state.status === "watching" || room.state.status === "connecting";
  // Tips are events: in the room they arrive live over the data channel (the SDK's tip notices);
  // otherwise poll the indexer so they appear live, in chain order.
  const tips = useQuery({
    queryKey: ["stream-tips", String(streamId)],
    queryFn: () => getStreamTips(indexerUrl, { streamId }),
    refetchInterval: inRoom ? 15_000 : 2_000,
  });

  if (session.isError) return <p role="alert">{describeError(session.error)}</p>;
  if (!session.data) return <p>Loading…</p>;
  const isLive = session.data.closedAt === 0n;
  const artistName = artistPage.data?.handle ?? shortAddress(session.data.artist);
  const allTips = mergeTips(tips.data ?? [], liveTips);
  const total = allTips.length > 0 ? totalsOf(allTips) : "nothing";
  // Unknown yet (not indexed): offer to join; the service answers if no artist is in the room.
  const hasRoom = !!config.signallingUrl && (!indexed.data || isRoomsPlayback(indexed.data.playbackId));
  return (
    <>
      <h1>{indexed.data?.title ?? `Session ${streamId}`}</h1>
      <p>
        {isLive ? <span className="badge badge-live">● Live</span> : <span className="badge">Ended</span>} with{" "}
        <Link to={`/artist/${session.data.artist}`}>{artistName}</Link> · {total} tipped
      </p>
      <div className="live-layout">
        <div>
          <LivePlayer
            state={room.state}
            isLive={isLive}
            hasRoom={hasRoom}
            canJoin={room.canJoin}
            gatingTrackId={session.data.gatingTrackId}
            onJoin={() => void room.join()}
          />
          {isLive && <TipForm artist={session.data.artist} streamId={streamId} />}
        </div>
        <aside aria-label="Chat, tips and messages" className="panel chat">
          {hasRoom && (
            <LiveChat
              lines={room.lines}
              artist={session.data.artist}
              onSend={room.send}
              disabledReason={room.state.status === "watching" ? undefined : "Join the live video to chat."}
            />
          )}
          <h2 id="chat-heading">Tips &amp; messages</h2>
          <TipList tips={allTips} empty="No tips in this session yet. Be the first!" />
        </aside>
      </div>
    </>
  );
}
