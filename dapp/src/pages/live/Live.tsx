import { type Tip, getSession, getStream, getStreamTips, paymentTokens } from "@harmonie/sdk";
import { useQuery } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { Link, useParams } from "react-router";
import { isAddressEqual, zeroAddress } from "viem";
import { totalsOf } from "../../lib/format.ts";
import { useHarmonie } from "../../lib/harmonie.tsx";
import { useReader } from "../../lib/wallet.ts";
import { usePageMeta } from "../../lib/meta.ts";
import { Account } from "../../lib/people.tsx";
import { useSentTips } from "../../lib/sent-tips.ts";
import { LoadError, Loading, NotFound, describeLoadError } from "../../lib/states.tsx";
import { Name } from "../../lib/text.tsx";
import { isRoomsPlayback, mergeTips, tipFromNotice } from "../../lib/streaming.ts";
import { TipForm } from "../TipForm.tsx";
import { TipList } from "../TipList.tsx";
import { LiveChat } from "./LiveChat.tsx";
import { LivePlayer, type RoomKnowledge } from "./LivePlayer.tsx";
import { useRoomWatch } from "./useRoomWatch.ts";

export default function Live() {
  const { streamId = "" } = useParams();
  if (!/^\d+$/.test(streamId))
    return (
      <NotFound title="Live session not found">
        <p>
          “<Name text={streamId} />” is not a session number.
        </p>
      </NotFound>
    );
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
  // The stream as indexed: its title, and its playback id, which says whether the artist broadcasts
  // through a rooms service ("rooms:<url>").
  const indexed = useQuery({
    queryKey: ["stream", String(streamId)],
    queryFn: async () => (await getStream(indexerUrl, { streamId })) ?? null,
    // A brand-new session may not be indexed yet.
    refetchInterval: (query) => (query.state.data ? false : 2_000),
  });
  const [liveTips, setLiveTips] = useState<Tip[]>([]);
  const sentTips = useSentTips({ streamId });
  const room = useRoomWatch(streamId, session.data?.gatingTrackId ?? 0n, (notice) => {
    setLiveTips((all) => [...all, tipFromNotice(notice, paymentTokens(deployment))]);
  });
  const inRoom = room.state.status === "watching" || room.state.status === "connecting";
  // The chain says when the session ends, however the video reached this page.
  const closed = !!session.data && session.data.closedAt !== 0n;
  const { stop } = room;
  useEffect(() => {
    if (closed && inRoom) stop("The artist ended the session.");
  }, [closed, inRoom, stop]);
  // Tips are events: in the room they arrive live over the data channel (the SDK's tip notices);
  // otherwise poll the indexer so they appear live, in chain order.
  const tips = useQuery({
    queryKey: ["stream-tips", String(streamId)],
    queryFn: () => getStreamTips(indexerUrl, { streamId }),
    refetchInterval: inRoom ? 15_000 : 2_000,
  });
  const title = indexed.data?.title;
  usePageMeta(
    title ? `${title} · Live` : `Live session ${streamId}`,
    "A live session on HarmonieCORE: watch, chat and tip the artist.",
  );

  if (session.isError && !session.data)
    return (
      <>
        <h1>Live session {String(streamId)}</h1>
        <LoadError what="This live session" error={session.error} retry={() => void session.refetch()} />
      </>
    );
  if (!session.data) return <Loading what="the live session" />;
  if (isAddressEqual(session.data.artist, zeroAddress))
    return (
      <NotFound title="Live session not found">
        <p>No live session number {String(streamId)} was ever opened.</p>
      </NotFound>
    );
  const isLive = session.data.closedAt === 0n;
  const allTips = mergeTips(tips.data ?? [], [...liveTips, ...sentTips]);
  // A total is only known from the indexer's full list (live notices are only what this page saw).
  const total =
    tips.status === "success" ? (
      <span data-testid="tip-total">{allTips.length > 0 ? totalsOf(allTips) : "nothing"} tipped</span>
    ) : tips.status === "pending" ? (
      <span>tips loading…</span>
    ) : (
      <span data-testid="tip-total-unknown">tip total unknown right now</span>
    );
  // Whether the artist broadcasts through this deployment's rooms: known from the indexed playback id;
  // not indexed yet (a brand-new session): offer to join, the service answers if no artist is there.
  // Any other non-empty playback id is a Livepeer playback, on a deployment that knows Livepeer.
  const livepeer = !!config.livepeerGateUrl || !!config.livepeerApiUrl;
  const anyVideo = !!config.signallingUrl || livepeer;
  const video: RoomKnowledge = indexed.data
    ? isRoomsPlayback(indexed.data.playbackId)
      ? config.signallingUrl
        ? "rooms"
        : "none"
      : indexed.data.playbackId && livepeer
        ? "livepeer"
        : "none"
    : !anyVideo
      ? "none"
      : indexed.data === null
        ? "rooms"
        : indexed.isError
          ? "unknown"
          : "checking";
  return (
    <>
      <h1>{title !== undefined ? <Name text={title} lines={3} /> : `Live session ${streamId}`}</h1>
      <p>
        {isLive ? <span className="badge badge-live">● Live</span> : <span className="badge">Ended</span>} with{" "}
        <Link to={`/artist/${session.data.artist}`}>
          <Account address={session.data.artist} />
        </Link>{" "}
        · {total}
      </p>
      <div className="live-layout">
        <div>
          <LivePlayer
            state={room.state}
            isLive={isLive}
            room={video}
            canJoin={room.canJoin}
            gatingTrackId={session.data.gatingTrackId}
            onJoin={() => void room.join()}
          />
          {isLive && <TipForm artist={session.data.artist} streamId={streamId} />}
        </div>
        <aside aria-label="Chat, tips and messages" className="panel chat">
          {video === "livepeer" ? (
            <p className="muted">Chat is off in big-audience sessions: tip with a message below.</p>
          ) : (
            video !== "none" && (
              <LiveChat
                lines={room.lines}
                artist={session.data.artist}
                onSend={room.send}
                disabledReason={room.state.status === "watching" ? undefined : "Join the live video to chat."}
              />
            )
          )}
          <h2 id="chat-heading">Tips &amp; messages</h2>
          {tips.isError && (
            <p className="muted" data-testid="tips-unavailable">
              The session's tips can't be listed right now: {describeLoadError(tips.error)}.
              {allTips.length > 0 ? " Below: tips this page saw." : ""}
            </p>
          )}
          {tips.isPending && allTips.length === 0 ? (
            <Loading what="tips" />
          ) : (
            (tips.status === "success" || allTips.length > 0) && (
              <TipList tips={allTips} empty="No tips in this session yet. Be the first!" />
            )
          )}
        </aside>
      </div>
    </>
  );
}
