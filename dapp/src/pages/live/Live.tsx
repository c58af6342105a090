import { MAX_TIP_MESSAGE_BYTES, getArtistPage, getSession, getStreamTips, tip } from "@harmonie/sdk";
import { useQuery } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { Link, useParams } from "react-router";
import { parseEther } from "viem";
import { describeError } from "../../lib/errors.ts";
import { core, shortAddress } from "../../lib/format.ts";
import { useHarmonie } from "../../lib/harmonie.tsx";
import { useReader, useWallet } from "../../lib/wallet.ts";
import { TxStatus, useTx } from "../../lib/tx.tsx";
import { TipList } from "../TipList.tsx";

export default function Live() {
  const { streamId = "" } = useParams();
  if (!/^\d+$/.test(streamId)) return <p role="alert">“{streamId}” is not a session number.</p>;
  return <LiveSession streamId={BigInt(streamId)} />;
}

function LiveSession({ streamId }: { streamId: bigint }) {
  const { deployment, indexerUrl } = useHarmonie();
  const reader = useReader();
  const session = useQuery({
    queryKey: ["session", String(streamId)],
    queryFn: () => getSession(reader, { deployment, streamId }),
  });
  const artist = session.data?.artist;
  const artistPage = useQuery({
    queryKey: ["artist", artist],
    enabled: !!artist,
    queryFn: () => getArtistPage(indexerUrl, { artist: artist! }),
  });
  // Tips are events: poll the indexer so they appear live, in chain order.
  const tips = useQuery({
    queryKey: ["stream-tips", String(streamId)],
    queryFn: () => getStreamTips(indexerUrl, { streamId }),
    refetchInterval: 2_000,
  });

  if (session.isError) return <p role="alert">{describeError(session.error)}</p>;
  if (!session.data) return <p>Loading…</p>;
  const stream = artistPage.data?.streams.find((s) => s.streamId === streamId);
  const isLive = session.data.closedAt === 0n;
  const artistName = artistPage.data?.handle ?? shortAddress(session.data.artist);
  const total = (tips.data ?? []).reduce((sum, t) => sum + t.amount, 0n);
  return (
    <>
      <h1>{stream?.title ?? `Session ${streamId}`}</h1>
      <p>
        {isLive ? <span className="badge badge-live">● Live</span> : <span className="badge">Ended</span>} with{" "}
        <Link to={`/artist/${session.data.artist}`}>{artistName}</Link> · {core(total)} tipped
      </p>
      <div className="live-layout">
        <div>
          <div className="player-box">
            {/* The streaming module (WHEP playback) is not there yet: the session runs, the video waits. */}
            <video controls muted playsInline aria-label="Live video" poster="/icons/icon-512.png" />
            <p className="player-note">Video playback arrives with the streaming module. Tips and chat work now.</p>
          </div>
          {isLive && <TipForm artist={session.data.artist} streamId={streamId} />}
        </div>
        <aside aria-labelledby="chat-heading" className="panel chat">
          <h2 id="chat-heading">Tips &amp; messages</h2>
          <TipList tips={[...(tips.data ?? [])].reverse()} empty="No tips in this session yet. Be the first!" />
          <p className="muted">Live chat is coming; tip messages appear here as they are mined.</p>
        </aside>
      </div>
    </>
  );
}

function TipForm({ artist, streamId }: { artist: `0x${string}`; streamId: bigint }) {
  const { deployment } = useHarmonie();
  const wallet = useWallet();
  const tx = useTx();
  const [amount, setAmount] = useState("1");
  const [message, setMessage] = useState("");
  const bytes = new TextEncoder().encode(message).length;
  let value: bigint | undefined;
  try {
    value = parseEther(amount);
  } catch {
    value = undefined;
  }
  const valid = value !== undefined && value > 0n && bytes <= MAX_TIP_MESSAGE_BYTES;

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (!wallet || !valid) return;
    const sent = await tx.run("Tip", () => tip(wallet, { deployment, artist, amount: value!, streamId, message }));
    if (sent) setMessage("");
  }

  return (
    <form className="panel form" onSubmit={submit} aria-labelledby="tip-heading">
      <h2 id="tip-heading">Send a tip</h2>
      <label>
        Amount (CORE)
        <input
          inputMode="decimal"
          value={amount}
          onChange={(e) => setAmount(e.target.value)}
          required
          aria-invalid={value === undefined || value <= 0n}
        />
      </label>
      <label>
        Message (public, optional)
        <textarea value={message} onChange={(e) => setMessage(e.target.value)} rows={2} aria-describedby="tip-bytes" />
      </label>
      <p id="tip-bytes" className={bytes > MAX_TIP_MESSAGE_BYTES ? "error" : "muted"}>
        {bytes}/{MAX_TIP_MESSAGE_BYTES} bytes
      </p>
      <button type="submit" disabled={!wallet || !valid || tx.busy}>
        {wallet ? "Send tip" : "Connect a wallet to tip"}
      </button>
      <TxStatus state={tx.state} />
    </form>
  );
}
