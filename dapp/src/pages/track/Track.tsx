import {
  type OpenedTrack,
  type TrackPage,
  acceptTrackTransfer,
  formatIsrc,
  getTrackPage,
  hasAccess,
  isValidIsrc,
  openTrack,
} from "@harmonie/sdk";
import { useQuery } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { Link, useParams } from "react-router";
import { useAccount } from "wagmi";
import { describeError } from "../../lib/errors.ts";
import { blobUrl, core, shortAddress } from "../../lib/format.ts";
import { useHarmonie } from "../../lib/harmonie.tsx";
import { useReader, useWallet } from "../../lib/wallet.ts";
import { useIpfsImage, useIpfsReader, useTrackMetadata } from "../../lib/ipfs.ts";
import { isTrackSaved, saveTrack } from "../../lib/offline.ts";
import { TxStatus, useTx } from "../../lib/tx.tsx";
import { useChainTrack, usePendingArtist } from "../../lib/licensing.ts";
import { Account } from "../../lib/people.tsx";
import { TipForm } from "../TipForm.tsx";
import { Offers } from "./Offers.tsx";

export default function Track() {
  const { isrc = "" } = useParams();
  if (!isValidIsrc(isrc)) return <p role="alert">“{isrc}” is not a valid ISRC.</p>;
  return <TrackView isrc={formatIsrc(isrc)} />;
}

function TrackView({ isrc }: { isrc: string }) {
  const { indexerUrl } = useHarmonie();
  const page = useQuery({ queryKey: ["track", isrc], queryFn: () => getTrackPage(indexerUrl, { isrc }) });
  const metadata = useTrackMetadata(page.data?.metadataCid);
  const cover = metadata.data?.files.cover;
  const image = useIpfsImage(cover && `${page.data!.metadataCid}/${cover.path}`, cover?.mimeType);

  if (page.isError) return <p role="alert">{describeError(page.error)}</p>;
  if (page.isPending) return <p>Loading…</p>;
  if (!page.data) return <p>No track is registered under {formatIsrc(isrc, { hyphens: true })}.</p>;
  const track = page.data;
  const meta = metadata.data;
  return <TrackBody track={track} meta={meta} image={image.data} />;
}

function TrackBody({
  track,
  meta,
  image,
}: {
  track: TrackPage;
  meta: ReturnType<typeof useTrackMetadata>["data"];
  image: string | undefined;
}) {
  const isrc = track.isrc;
  // The contract's word on the track's standing and artist (the indexer may be a block behind).
  const chain = useChainTrack(track.trackId);
  const status = chain.data?.status;
  const artist = chain.data?.artist ?? track.artist;
  return (
    <>
      <section className="track-head">
        <div className="cover cover-large" aria-hidden="true">
          {image ? <img src={image} alt="" width="240" height="240" /> : <span>♪</span>}
        </div>
        <div>
          <h1>{meta?.title ?? formatIsrc(isrc, { hyphens: true })}</h1>
          <p>
            by <Link to={`/artist/${artist}`}>{meta?.artist ?? shortAddress(artist)}</Link>
            {track.exclusive && <span className="badge">Exclusive</span>}
          </p>
          <dl className="facts">
            <dt>ISRC</dt>
            <dd>{formatIsrc(isrc, { hyphens: true })}</dd>
            {meta && (
              <>
                <dt>Genre</dt>
                <dd>{meta.genre}</dd>
                <dt>Length</dt>
                <dd>
                  {Math.floor(meta.durationSeconds / 60)}:
                  {String(Math.round(meta.durationSeconds % 60)).padStart(2, "0")}
                </dd>
                <dt>Licence</dt>
                <dd>{meta.licence.summary}</dd>
              </>
            )}
          </dl>
          {status === "flagged" && (
            <p className="banner" data-testid="track-status">
              Sales paused: under dispute{track.flagReason ? ` (${track.flagReason})` : ""}. The DAO will decide the
              dispute.
            </p>
          )}
          {status === "revoked" && (
            <p className="banner" data-testid="track-status">
              Removed by the DAO{track.revokeReason ? ` (${track.revokeReason})` : ""}. Licences already bought keep
              working; no new ones are sold.
            </p>
          )}
          <Handover trackId={track.trackId} artist={artist} />
        </div>
      </section>
      <Player track={track} />
      {chain.data && <Offers track={track} chainTrack={chain.data} />}
      <TipForm artist={artist} />
    </>
  );
}

function Player({ track }: { track: TrackPage }) {
  const { deployment, keyServiceUrl } = useHarmonie();
  const storage = useIpfsReader();
  const reader = useReader();
  const wallet = useWallet();
  const { address: me } = useAccount();
  const [opened, setOpened] = useState<{ track: OpenedTrack; url: string }>();
  const [status, setStatus] = useState<string>();
  const [saved, setSaved] = useState(false);
  const access = useQuery({
    queryKey: ["access", String(track.trackId), me],
    queryFn: () => (me ? hasAccess(reader, { deployment, account: me, trackId: track.trackId }) : !track.exclusive),
  });
  useEffect(() => {
    isTrackSaved(track.isrc).then(setSaved, () => setSaved(false));
  }, [track.isrc]);
  useEffect(() => () => opened && URL.revokeObjectURL(opened.url), [opened]);

  async function play() {
    setStatus(track.exclusive ? "Unlocking: sign in with your wallet to receive the key…" : "Loading from IPFS…");
    try {
      // Exclusive audio needs the wallet (key service sign-in); open audio only needs a reader.
      const client = track.exclusive ? wallet : reader;
      if (!client) throw new Error("Connect a wallet to unlock this track.");
      const result = await openTrack(client, {
        deployment,
        trackId: track.trackId,
        storage: await storage(),
        keyService: keyServiceUrl,
      });
      setOpened({ track: result, url: blobUrl(result.audio, result.mimeType) });
      setStatus(undefined);
    } catch (error) {
      setStatus(describeError(error));
    }
  }

  async function save() {
    if (!opened) return;
    const { metadata, audio, mimeType } = opened.track;
    await saveTrack({ isrc: track.isrc, title: metadata.title, artist: metadata.artist, mimeType }, audio);
    setSaved(true);
  }

  const locked = track.exclusive && access.data === false;
  return (
    <section aria-labelledby="listen-heading" className="panel">
      <h2 id="listen-heading">Listen</h2>
      {locked ? (
        <p>
          This track is exclusive.{" "}
          {me ? "Buy a licence below to unlock it." : "Connect a wallet and buy a licence to unlock it."}
        </p>
      ) : opened ? (
        <>
          <audio
            controls
            autoPlay
            src={opened.url}
            data-testid="player"
            aria-label={`Play ${opened.track.metadata.title}`}
          />
          <p>
            <button type="button" onClick={save} disabled={saved}>
              {saved ? "Saved for offline ✓" : "Save for offline"}
            </button>
          </p>
        </>
      ) : (
        <button type="button" onClick={play} disabled={access.isPending}>
          {track.exclusive ? "Unlock and play" : "Play"}
        </button>
      )}
      {status && <p aria-live="polite">{status}</p>}
      {saved && !opened && <p className="muted">A copy is saved on this device (see Offline).</p>}
    </section>
  );
}

/** A track the artist is handing over: its receiver accepts it here (or in Studio). */
function Handover({ trackId, artist }: { trackId: bigint; artist: `0x${string}` }) {
  const { deployment } = useHarmonie();
  const { address: me } = useAccount();
  const wallet = useWallet();
  const tx = useTx();
  const pending = usePendingArtist(trackId);
  if (!pending.data) return null;
  const toMe = !!me && pending.data.toLowerCase() === me.toLowerCase();
  if (!toMe && me?.toLowerCase() !== artist.toLowerCase()) return null;
  return (
    <div className="banner" data-testid="handover">
      {toMe ? (
        <>
          <p>
            <Account address={artist} /> is handing this track over to you: accept it to become its artist (its splits
            stay as they are).
          </p>
          <button
            type="button"
            disabled={!wallet || tx.busy}
            onClick={() => tx.run("Accept track", () => acceptTrackTransfer(wallet!, { deployment, trackId }))}
          >
            Accept track
          </button>
        </>
      ) : (
        <p>
          Offered to <Account address={pending.data} />: the track is theirs once they accept it (Studio lets you
          withdraw the offer).
        </p>
      )}
      <TxStatus state={tx.state} />
    </div>
  );
}
