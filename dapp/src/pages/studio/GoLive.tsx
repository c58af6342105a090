import { type Tip, formatIsrc, openSession, paymentTokens } from "@harmonie/sdk";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import type { LiveBroadcast } from "@harmonie/sdk/streaming";
import { type FormEvent, useEffect, useRef, useState } from "react";
import { Link } from "react-router";
import { core, totalsOf } from "../../lib/format.ts";
import { useHarmonie } from "../../lib/harmonie.tsx";
import { useArtistPage } from "../../lib/indexed.ts";
import { useTrackMetadata } from "../../lib/ipfs.ts";
import { Name, cleanText } from "../../lib/text.tsx";
import { livepeerProvider, livepeerStudioReady, roomsProvider, tipFromNotice } from "../../lib/streaming.ts";
import { useReader, useWallet } from "../../lib/wallet.ts";
import { TxStatus, useTx } from "../../lib/tx.tsx";
import { type ChatLine, LiveChat, chatLine } from "../live/LiveChat.tsx";
import { TipList } from "../TipList.tsx";

/**
 * The artist's broadcast: kept outside React so leaving the Studio page doesn't orphan a running
 * camera and room; coming back shows it again.
 */
interface OnAir {
  live: LiveBroadcast;
  media: MediaStream;
  title: string;
  artist: `0x${string}`;
  lines: ChatLine[];
  tips: Tip[];
}
let onAir: OnAir | undefined;

/**
 * Goes live: opens the on-chain session and publishes the camera and microphone to fans — in a room
 * (rooms signalling, with the SFU beyond the mesh), or for a big audience through Livepeer when the
 * deployment's Livepeer service holds a Studio key.
 */
export function GoLive() {
  const { config } = useHarmonie();
  const [broadcast, setBroadcast] = useState<OnAir | undefined>(onAir);
  const gateUrl = config.livepeerGateUrl;
  const livepeer = useQuery({
    queryKey: ["livepeer-studio", gateUrl],
    queryFn: () => livepeerStudioReady(gateUrl!),
    enabled: !!gateUrl,
    retry: false,
  });
  if (broadcast) return <OnAirPanel broadcast={broadcast} onEnded={() => setBroadcast(undefined)} />;
  const bigAudience = livepeer.data === true;
  if (!config.signallingUrl && !bigAudience) return <OpenSessionOnly />;
  return <GoLiveForm onLive={setBroadcast} rooms={!!config.signallingUrl} livepeer={bigAudience} />;
}

type Engine = "rooms" | "livepeer";

function GoLiveForm({
  onLive,
  rooms,
  livepeer,
}: {
  onLive: (broadcast: OnAir) => void;
  rooms: boolean;
  livepeer: boolean;
}) {
  const harmonie = useHarmonie();
  const wallet = useWallet();
  const reader = useReader();
  const tx = useTx();
  const [title, setTitle] = useState("");
  const [gate, setGate] = useState("");
  const [engine, setEngine] = useState<Engine>(rooms ? "rooms" : "livepeer");
  const artist = wallet?.account.address;
  // Exclusive tracks can gate a session: only their licence holders may watch.
  const page = useArtistPage(artist);
  const exclusive = { data: page.data?.tracks.filter((track) => track.exclusive) };
  async function submit(event: FormEvent) {
    event.preventDefault();
    if (!wallet) return;
    const started = await tx.run("Go live", async () => {
      // Camera first: if it is refused, no session is opened on chain.
      const media = await navigator.mediaDevices.getUserMedia({
        audio: true,
        video: { width: { ideal: 1280 }, height: { ideal: 720 } },
      });
      try {
        // Livepeer: one sign-in to the deployment's Livepeer service, which creates the stream with its key.
        const provider =
          engine === "livepeer"
            ? (await livepeerProvider(harmonie, wallet, reader)).provider
            : await roomsProvider(harmonie, wallet, reader);
        const live = await provider!.goLive({ title, media, gatingTrackId: gate ? BigInt(gate) : undefined });
        return { live, media };
      } catch (error) {
        media.getTracks().forEach((track) => track.stop());
        throw error;
      }
    });
    if (!started) return;
    onAir = { ...started, title, artist: wallet.account.address, lines: [], tips: [] };
    onLive(onAir);
  }
  return (
    <form className="panel form" onSubmit={submit} aria-labelledby="golive-heading">
      <h2 id="golive-heading">Go live</h2>
      <p className="muted">
        Opens a session on chain and streams your camera and microphone to fans, with live chat and tips.
      </p>
      <label>
        Session title
        <input value={title} onChange={(e) => setTitle(e.target.value)} required maxLength={120} />
      </label>
      <label>
        Who can watch
        <select value={gate} onChange={(e) => setGate(e.target.value)}>
          <option value="">Everyone</option>
          {exclusive.data?.map((track) => (
            <TrackOption key={String(track.trackId)} {...track} />
          ))}
        </select>
      </label>
      {rooms && livepeer && (
        <fieldset className="engine-choice">
          <legend>Audience</legend>
          <label>
            <input type="radio" name="engine" checked={engine === "rooms"} onChange={() => setEngine("rooms")} />
            <span>
              <strong>Live room</strong> · straight from your browser, with live chat
            </span>
          </label>
          <label>
            <input type="radio" name="engine" checked={engine === "livepeer"} onChange={() => setEngine("livepeer")} />
            <span>
              <strong>Big audience</strong> · through Livepeer: any number of fans, recorded; no live chat
            </span>
          </label>
        </fieldset>
      )}
      {!rooms && livepeer && (
        <p className="muted">Streams through Livepeer: any number of fans can watch, and the session is recorded.</p>
      )}
      <button type="submit" disabled={!wallet || !title || tx.busy}>
        Go live
      </button>
      <TxStatus state={tx.state} />
    </form>
  );
}

function OnAirPanel({ broadcast, onEnded }: { broadcast: OnAir; onEnded: () => void }) {
  const { live, media, title, artist } = broadcast;
  const { deployment } = useHarmonie();
  const tx = useTx();
  const preview = useRef<HTMLVideoElement>(null);
  const [viewers, setViewers] = useState(live.viewers);
  const [lines, setLines] = useState(broadcast.lines);
  const [tips, setTips] = useState(broadcast.tips);
  const [ended, setEnded] = useState<{ peakViewers: number; livepeerStillStopping: boolean }>();
  const queryClient = useQueryClient();

  useEffect(() => {
    if (preview.current) preview.current.srcObject = media;
  }, [media]);
  useEffect(() => {
    const offChat = live.onChat((message) =>
      setLines((all) => (broadcast.lines = [...all, chatLine(message.from, message.text)])),
    );
    // Confirmed tips of this session (the SDK's watchTips), also relayed to every fan.
    const offTip = live.onTip((notice) => {
      const tip = tipFromNotice(notice, paymentTokens(deployment));
      setTips((all) => (broadcast.tips = [tip, ...all]));
      void queryClient.invalidateQueries({ queryKey: ["tip-earnings"] });
    });
    const timer = setInterval(() => setViewers(live.viewers), 1_000);
    return () => {
      offChat();
      offTip();
      clearInterval(timer);
    };
  }, [live, artist, broadcast, queryClient, deployment]);

  function send(text: string) {
    live.chat(text);
    setLines((all) => (broadcast.lines = [...all, chatLine(artist, text, true)]));
  }

  async function end() {
    const result = await tx.run("End session", () => live.end());
    if (!result) return;
    media.getTracks().forEach((track) => track.stop());
    onAir = undefined;
    setEnded({ peakViewers: result.peakViewers, livepeerStillStopping: !!result.terminateError });
  }
  const livepeer = live.kind === "livepeer";

  return (
    <section className="panel on-air" aria-labelledby="onair-heading" data-testid="on-air">
      <h2 id="onair-heading">
        {ended ? <span className="badge">Ended</span> : <span className="badge badge-live">● Live</span>}{" "}
        <Name text={title} lines={2} />
      </h2>
      <div className="live-layout">
        <div>
          <div className="player-box">
            <video ref={preview} autoPlay muted playsInline aria-label="Your camera (preview)" />
            <p className="player-note" aria-live="polite">
              {ended ? (
                livepeer ? (
                  <>
                    Session ended and closed on chain.
                    {ended.livepeerStillStopping &&
                      " Livepeer had not confirmed the stop yet; it stops the stream shortly on its own."}
                  </>
                ) : (
                  <>Session ended · peak {ended.peakViewers} viewers, recorded on chain.</>
                )
              ) : livepeer ? (
                <span data-testid="livepeer-live">
                  Streaming through Livepeer: any number of fans can watch ·{" "}
                  <Link to={`/live/${live.streamId}`}>fan page</Link>
                </span>
              ) : (
                <>
                  <span data-testid="viewers">
                    {viewers} {viewers === 1 ? "fan" : "fans"} watching
                  </span>{" "}
                  · peak {Math.max(viewers, live.peakViewers)} · <Link to={`/live/${live.streamId}`}>fan page</Link>
                </>
              )}
            </p>
          </div>
          <div className="on-air-actions">
            {ended ? (
              <button type="button" onClick={onEnded}>
                Go live again
              </button>
            ) : (
              <button type="button" className="danger" onClick={() => void end()} disabled={tx.busy}>
                ■ End session
              </button>
            )}
            <TxStatus state={tx.state} />
          </div>
          {!ended && live.relayError && (
            <p className="banner" role="status" data-testid="relay-down">
              The relay for big audiences can't be reached, so this room takes at most 8 fans at once. Your stream to
              them is unaffected.
            </p>
          )}
        </div>
        <div className="chat">
          {!ended && !livepeer && <LiveChat lines={lines} artist={artist} onSend={send} />}
          <h3>Live tips · {tips.length > 0 ? totalsOf(tips) : core(0n)}</h3>
          <TipList tips={tips} empty="Tips sent during this session appear here as they are mined." />
        </div>
      </div>
    </section>
  );
}

function TrackOption({ trackId, isrc, metadataCid }: { trackId: bigint; isrc: string; metadataCid: string }) {
  const metadata = useTrackMetadata(metadataCid);
  return (
    <option value={String(trackId)}>
      Licence holders of “{clampOption(cleanText(metadata.data?.title ?? formatIsrc(isrc, { hyphens: true })))}”
    </option>
  );
}

/** An <option> cannot wrap: a long title would widen the select (and the page) past the screen. */
const clampOption = (text: string) => (text.length > 60 ? `${text.slice(0, 59)}…` : text);

/** Without a live video service in the config: the session opens on chain for tips, with no video. */
function OpenSessionOnly() {
  const { deployment } = useHarmonie();
  const wallet = useWallet();
  const tx = useTx();
  const [title, setTitle] = useState("");
  const [streamId, setStreamId] = useState<bigint>();
  async function submit(event: FormEvent) {
    event.preventDefault();
    if (!wallet) return;
    const opened = await tx.run("Go live", () => openSession(wallet, { deployment, title, playbackId: "" }));
    if (opened) setStreamId(opened.streamId);
  }
  return (
    <form className="panel form" onSubmit={submit} aria-labelledby="golive-heading">
      <h2 id="golive-heading">Go live</h2>
      <p className="muted">This deployment has no live video service: the session takes tips, without video.</p>
      <label>
        Session title
        <input value={title} onChange={(e) => setTitle(e.target.value)} required maxLength={120} />
      </label>
      <button type="submit" disabled={!wallet || !title || tx.busy}>
        Open session
      </button>
      <TxStatus state={tx.state} />
      {streamId !== undefined && (
        <p>
          You are live: <Link to={`/live/${streamId}`}>open the session page</Link>
        </p>
      )}
    </form>
  );
}
