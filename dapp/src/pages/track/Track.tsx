import {
  ContractError,
  type TrackPage,
  acceptTrackTransfer,
  formatIsrc,
  getTrack,
  hasAccess,
  isValidIsrc,
  openTrack,
  trackIdFromIsrc,
} from "@harmonie/sdk";
import { useQuery } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { Link, useParams } from "react-router";
import { describeError } from "../../lib/errors.ts";
import { useHarmonie } from "../../lib/harmonie.tsx";
import { useAccount, useReader, useWallet } from "../../lib/wallet.ts";
import { useIpfsImage, useIpfsReader, useTrackMetadata } from "../../lib/ipfs.ts";
import { isTrackSaved, saveTrack } from "../../lib/offline.ts";
import { TxStatus, useTx } from "../../lib/tx.tsx";
import { useChainTrack, useLicenseStatus, usePendingArtist } from "../../lib/licensing.ts";
import { Account } from "../../lib/people.tsx";
import { useTrackPage } from "../../lib/indexed.ts";
import { usePageMeta } from "../../lib/meta.ts";
import { LoadError, Loading, NotFound, describeLoadError } from "../../lib/states.tsx";
import { LongText, Name, TextNotice } from "../../lib/text.tsx";
import { TipForm } from "../TipForm.tsx";
import { Offers } from "./Offers.tsx";
import { enqueue, play, toggle, usePlayer } from "../../player/store.ts";

export default function Track() {
  const { isrc = "" } = useParams();
  if (!isValidIsrc(isrc))
    return (
      <NotFound title="Track not found">
        <p>
          “<Name text={isrc} />” is not an ISRC (a track's code, like US-RC1-76-07839), so no track is listed under it.
        </p>
      </NotFound>
    );
  return <TrackView isrc={formatIsrc(isrc)} />;
}

function TrackView({ isrc }: { isrc: string }) {
  const page = useTrackPage(isrc);
  const metadata = useTrackMetadata(page.data?.metadataCid);
  const cover = metadata.data?.files.cover;
  const image = useIpfsImage(cover && `${page.data!.metadataCid}/${cover.path}`, cover?.mimeType);
  // Not indexed: the chain says whether the track exists (registered a moment ago) or not at all.
  const onChain = useChainTrackByIsrc(isrc, page.data === null);
  const shown = formatIsrc(isrc, { hyphens: true });
  const meta = metadata.data;
  usePageMeta(
    page.data
      ? meta
        ? `${meta.title} by ${meta.artist}`
        : shown
      : page.data === null && onChain.data === null
        ? "Track not found"
        : "Track",
    meta
      ? `${meta.title} by ${meta.artist} (${meta.genre}) on HarmonieCORE: listen, tip the artist, license it.`
      : undefined,
  );

  if (page.isError)
    return (
      <>
        <h1>Track {shown}</h1>
        <LoadError what="This track" error={page.error} retry={() => void page.refetch()} />
      </>
    );
  // The title, facts and cover arrive with the metadata: the page shows once, not in steps (layout shift).
  if (page.isPending || (page.data?.metadataCid && metadata.isPending)) return <Loading what="the track" />;
  if (!page.data) {
    if (onChain.isPending) return <Loading what="the track" />;
    if (onChain.isError)
      return (
        <>
          <h1>Track {shown}</h1>
          <LoadError what="This track" error={onChain.error} retry={() => void onChain.refetch()} />
        </>
      );
    if (onChain.data === null)
      return (
        <NotFound title="Track not found">
          <p>No track is registered under the ISRC {shown}.</p>
        </NotFound>
      );
    return (
      <>
        <h1>Track {shown}</h1>
        <p data-testid="not-indexed">
          <span className="spinner" aria-hidden="true" /> This track was registered a moment ago: its page appears as
          soon as the index has caught up.
        </p>
      </>
    );
  }
  return <TrackBody track={page.data} meta={meta} metaError={metadata.error} image={image.data} />;
}

/** The track as the chain has it, `null` when no track has this ISRC. */
function useChainTrackByIsrc(isrc: string, enabled: boolean) {
  const { deployment } = useHarmonie();
  const reader = useReader();
  return useQuery({
    queryKey: ["chain-track-of", isrc],
    enabled,
    queryFn: async () => {
      try {
        return await getTrack(reader, { deployment, trackId: trackIdFromIsrc(isrc) });
      } catch (error) {
        if (error instanceof ContractError && error.errorName === "ContentRegistryUnknownTrack") return null;
        throw error;
      }
    },
  });
}

function TrackBody({
  track,
  meta,
  metaError,
  image,
}: {
  track: TrackPage;
  meta: ReturnType<typeof useTrackMetadata>["data"];
  metaError: unknown;
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
        <div className="track-text">
          <h1>{meta ? <Name text={meta.title} lines={3} flag={false} /> : formatIsrc(isrc, { hyphens: true })}</h1>
          {meta && <TextNotice text={meta.title} what="This title" />}
          <p>
            by <Link to={`/artist/${artist}`}>{meta ? <Name text={meta.artist} /> : <Account address={artist} />}</Link>
            {track.exclusive && <span className="badge">Exclusive</span>}
          </p>
          {metaError != null && (
            <p className="muted">
              The track's title, cover and details can't be loaded: {describeLoadError(metaError)}.
            </p>
          )}
          <dl className="facts">
            <dt>ISRC</dt>
            <dd>{formatIsrc(isrc, { hyphens: true })}</dd>
            {meta && (
              <>
                <dt>Genre</dt>
                <dd>
                  <Name text={meta.genre} lines={2} />
                </dd>
                <dt>Length</dt>
                <dd>
                  {Math.floor(meta.durationSeconds / 60)}:
                  {String(Math.round(meta.durationSeconds % 60)).padStart(2, "0")}
                </dd>
                <dt>Licence</dt>
                <dd>
                  <LongText text={meta.licence.summary} lines={3} />
                </dd>
              </>
            )}
          </dl>
          {status === "flagged" && (
            <p className="banner" data-testid="track-status">
              Sales paused: under dispute
              {track.flagReason ? (
                <>
                  {" "}
                  (<Name text={track.flagReason} lines={3} />)
                </>
              ) : (
                ""
              )}
              . The DAO will decide the dispute.
            </p>
          )}
          {status === "revoked" && (
            <p className="banner" data-testid="track-status">
              Removed by the DAO
              {track.revokeReason ? (
                <>
                  {" "}
                  (<Name text={track.revokeReason} lines={3} />)
                </>
              ) : (
                ""
              )}
              . Licences already bought keep working; no new ones are sold.
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
  const player = usePlayer();
  const [status, setStatus] = useState<string>();
  const [saved, setSaved] = useState(false);
  const access = useQuery({
    queryKey: ["access", String(track.trackId), me],
    queryFn: () => (me ? hasAccess(reader, { deployment, account: me, trackId: track.trackId }) : !track.exclusive),
  });
  const licence = useLicenseStatus(track.trackId, me);
  useEffect(() => {
    isTrackSaved(track.isrc).then(setSaved, () => setSaved(false));
  }, [track.isrc]);
  const playingNow = player.queue[player.current];
  // Only unlocked exclusive tracks play, so the player holds this one's decrypted audio if it is current.
  const current = playingNow?.isrc === track.isrc;
  const playing = current && (player.status === "playing" || player.status === "loading");
  const queued = { isrc: track.isrc, metadataCid: track.metadataCid, exclusive: track.exclusive };

  async function unlockAndPlay() {
    setStatus("Unlocking: sign in with your wallet to receive the key…");
    try {
      if (!wallet) throw new Error("Connect a wallet to unlock this track.");
      // The audio is one AES-GCM ciphertext: it decrypts (and authenticates) whole, then plays.
      const opened = await openTrack(wallet, {
        deployment,
        trackId: track.trackId,
        storage: await storage(),
        keyService: keyServiceUrl,
      });
      setStatus(undefined);
      play({ ...queued, unlocked: { audio: opened.audio, mimeType: opened.mimeType } });
    } catch (error) {
      setStatus(describeError(error));
    }
  }

  async function save() {
    setStatus("Saving a verified copy…");
    try {
      const { metadata, audio, mimeType } =
        playingNow?.unlocked && player.metadata
          ? { metadata: player.metadata, ...playingNow.unlocked }
          : await openTrack(reader, { deployment, trackId: track.trackId, storage: await storage() });
      // The copy remembers whose licence it was saved under and when that ends, so it locks with it.
      const held = me && track.exclusive ? licence.data : undefined;
      const ends = !!held && held.perpetual === 0n && !held.isRightsHolder && held.expiresAt > 0n;
      await saveTrack(
        {
          isrc: track.isrc,
          title: metadata.title,
          artist: metadata.artist,
          mimeType,
          exclusive: track.exclusive,
          holder: me,
          expiresAt: ends ? String(held.expiresAt) : null,
        },
        audio,
      );
      setSaved(true);
      setStatus(undefined);
    } catch (error) {
      setStatus(describeError(error));
    }
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
      ) : current ? (
        <p className="listen-actions">
          <button type="button" onClick={toggle}>
            {playing ? "Pause" : "Play"}
          </button>
          <span className="muted">Playing in the player at the bottom of the page.</span>
        </p>
      ) : (
        <p className="listen-actions">
          <button
            type="button"
            onClick={track.exclusive ? unlockAndPlay : () => play(queued)}
            disabled={access.isPending}
          >
            {track.exclusive ? "Unlock and play" : "Play"}
          </button>
          {!track.exclusive && (
            <button type="button" className="secondary" onClick={() => enqueue(queued)}>
              Add to queue
            </button>
          )}
        </p>
      )}
      {current && (
        <p>
          <button type="button" onClick={save} disabled={saved}>
            {saved ? "Saved for offline ✓" : "Save for offline"}
          </button>
        </p>
      )}
      {track.exclusive && access.isError && (
        <p className="muted">
          Whether you hold a licence can't be checked right now: {describeLoadError(access.error)}.
        </p>
      )}
      {status && <p aria-live="polite">{status}</p>}
      {saved && !current && <p className="muted">A copy is saved on this device (see Offline).</p>}
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
