import { type TrackPage, formatIsrc, isValidIsrc } from "@harmonie/sdk";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { Suspense, lazy, useEffect, useState } from "react";
import { Link, useParams } from "react-router";
import { accessQuery, chainTrackOfIsrcQuery, chainTrackQuery, licenseStatusQuery } from "../../lib/chain-queries.ts";
import { useAfterPaint, useImageDone, WhenVisible } from "../../lib/deferred.tsx";
import { LaterTipForm } from "../LaterTipForm.tsx";
import { describeError } from "../../lib/errors.ts";
import { shortAddress } from "../../lib/format.ts";
import { useHarmonie } from "../../lib/harmonie.tsx";
import { useAccount, useWallet } from "../../lib/wallet-state.ts";
import { useIpfsImage, useIpfsReader, useTrackMetadata } from "../../lib/ipfs.ts";
import { useTrackPage } from "../../lib/indexed.ts";
import { usePageMeta } from "../../lib/meta.ts";
import { LoadError, Loading, NotFound, describeLoadError } from "../../lib/states.tsx";
import { LongText, Name, TextNotice } from "../../lib/text.tsx";
import { enqueue, play, toggle, usePlayer } from "../../player/store.ts";

// The page's first render is its head (title, facts, cover) and the Listen panel: what the indexer and
// IPFS say. Chain reads load their code when they run (lib/chain-queries.ts); the parts that act with a
// wallet (licences, the tip form, a handover) are chunks of their own, loaded once the head is drawn.
const Offers = lazy(() => import("./Offers.tsx").then((m) => ({ default: m.Offers })));
const Handover = lazy(() => import("./Handover.tsx").then((m) => ({ default: m.Handover })));
const Account = lazy(() => import("../../lib/people.tsx").then((m) => ({ default: m.Account })));

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

  // A failed refetch keeps what was shown (e.g. offline, restored from this device): only no data is an error.
  if (page.isError && page.data === undefined)
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
  const coverSettled = !cover?.mimeType || image.isFetched;
  return (
    <TrackBody
      track={page.data}
      meta={meta}
      metaError={metadata.error}
      image={image.data}
      coverSettled={coverSettled}
    />
  );
}

/** The track as the chain has it, `null` when no track has this ISRC. */
function useChainTrackByIsrc(isrc: string, enabled: boolean) {
  return useQuery({ ...chainTrackOfIsrcQuery(useHarmonie(), isrc), enabled });
}

function TrackBody({
  track,
  meta,
  metaError,
  image,
  coverSettled,
}: {
  track: TrackPage;
  meta: ReturnType<typeof useTrackMetadata>["data"];
  metaError: unknown;
  image: string | undefined;
  /** The cover has arrived, or failed, or there is none. */
  coverSettled: boolean;
}) {
  const isrc = track.isrc;
  // The cover is the page's largest paint: the chain reads and the wallet's parts wait until it is drawn.
  const picture = useImageDone(image);
  const settled = useAfterPaint(coverSettled && (!image || picture.done));
  // The contract's word on the track's standing and artist (the indexer may be a block behind).
  const chain = useQuery({ ...chainTrackQuery(useHarmonie(), track.trackId), enabled: settled });
  const status = chain.data?.status;
  const artist = chain.data?.artist ?? track.artist;
  return (
    <>
      <section className="track-head">
        <div className="cover cover-large" aria-hidden="true">
          {image ? (
            <img src={image} alt="" width="240" height="240" onLoad={picture.onLoad} onError={picture.onError} />
          ) : (
            <span>♪</span>
          )}
        </div>
        <div className="track-text">
          <h1>{meta ? <Name text={meta.title} lines={3} flag={false} /> : formatIsrc(isrc, { hyphens: true })}</h1>
          {meta && <TextNotice text={meta.title} what="This title" />}
          <p>
            by{" "}
            <Link to={`/artist/${artist}`}>
              {meta ? (
                <Name text={meta.artist} />
              ) : (
                <Suspense fallback={<span title={artist}>{shortAddress(artist)}</span>}>
                  <Account address={artist} />
                </Suspense>
              )}
            </Link>
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
          <Suspense fallback={null}>{settled && <Handover trackId={track.trackId} artist={artist} />}</Suspense>
        </div>
      </section>
      <Player track={track} settled={settled} />
      {/* Below the fold on a phone: their code and reads wait until the visitor scrolls near them. */}
      <Suspense fallback={null}>
        {chain.data && (
          <WhenVisible placeholder={<p className="muted">&nbsp;</p>}>
            <Offers track={track} chainTrack={chain.data} />
          </WhenVisible>
        )}
      </Suspense>
      <LaterTipForm artist={artist} ready={settled} whenVisible />
    </>
  );
}

function Player({ track, settled }: { track: TrackPage; settled: boolean }) {
  const harmonie = useHarmonie();
  const { deployment, keyServiceUrl } = harmonie;
  const storage = useIpfsReader();
  const queries = useQueryClient();
  const wallet = useWallet();
  const { address: me } = useAccount();
  const player = usePlayer();
  const [status, setStatus] = useState<string>();
  const [saved, setSaved] = useState(false);
  const access = useQuery(accessQuery(harmonie, track, me));
  useEffect(() => {
    if (!settled) return;
    import("../../lib/offline.ts")
      .then(({ isTrackSaved }) => isTrackSaved(track.isrc))
      .then(setSaved, () => setSaved(false));
  }, [track.isrc, settled]);
  const playingNow = player.queue[player.current];
  // Only unlocked exclusive tracks play, so the player holds this one's decrypted audio if it is current.
  const current = playingNow?.isrc === track.isrc;
  const playing = current && (player.status === "playing" || player.status === "loading");
  const queued = { isrc: track.isrc, metadataCid: track.metadataCid, exclusive: track.exclusive };

  async function unlockAndPlay() {
    setStatus("Unlocking: sign in with your wallet to receive the key…");
    try {
      if (!wallet) throw new Error("Connect a wallet to unlock this track.");
      // Only the key is fetched here: the player streams the audio and decrypts it chunk by chunk.
      const { getTrackKey } = await import("./open-track.ts");
      const key = await getTrackKey(wallet, { deployment, trackId: track.trackId, keyService: keyServiceUrl });
      setStatus(undefined);
      play({ ...queued, unlocked: { key } });
    } catch (error) {
      setStatus(describeError(error));
    }
  }

  async function save() {
    setStatus("Saving a verified copy…");
    try {
      const [{ openTrack, readerOf }, { saveTrack }, { readWholeFile }] = await Promise.all([
        import("./open-track.ts"),
        import("../../lib/offline.ts"),
        import("../../player/relay.ts"),
      ]);
      // The track playing unlocked: its decrypted audio comes from the player's stream (no second sign-in).
      const { metadata, audio, mimeType } =
        current && playingNow?.unlocked && player.metadata
          ? {
              metadata: player.metadata,
              audio: await readWholeFile(`${track.metadataCid}/${player.metadata.files.audio.path}`),
              mimeType: player.metadata.files.audio.mimeType,
            }
          : await openTrack(readerOf(harmonie), { deployment, trackId: track.trackId, storage: await storage() });
      // The copy remembers whose licence it was saved under and when that ends, so it locks with it.
      const held =
        me && track.exclusive ? await queries.fetchQuery(licenseStatusQuery(harmonie, track.trackId, me)) : undefined;
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
