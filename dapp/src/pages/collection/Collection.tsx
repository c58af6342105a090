import { type LibraryEntry, formatIsrc, getLibrary } from "@harmonie/sdk";
import { useQuery } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { Link } from "react-router";
import { dateOf } from "../../lib/format.ts";
import { useHarmonie } from "../../lib/harmonie.tsx";
import { useIpfsImage, useTrackMetadata } from "../../lib/ipfs.ts";
import { timeLeft, useChainTime } from "../../lib/licensing.ts";
import { usePageMeta } from "../../lib/meta.ts";
import { type SavedTrack, checkSavedTrack, listSavedTracks } from "../../lib/offline.ts";
import { LoadError, Loading } from "../../lib/states.tsx";
import { Name } from "../../lib/text.tsx";
import { useAccount, useReader } from "../../lib/wallet.ts";

/**
 * What the connected fan owns: every track they hold or held a licence of (the indexer's library),
 * each with its standing by the chain's clock, and whether a copy is saved on this device (checked
 * against the licence, so an ended one reads as locked).
 */
export default function Collection() {
  const { address: me } = useAccount();
  usePageMeta("Your collection", "The tracks you own licences of, and the copies saved on this device.");
  return (
    <>
      <h1>Your collection</h1>
      <p className="lead">Licences you hold and the copies you saved for offline listening.</p>
      {me ? <Library account={me} /> : <p className="muted">Connect a wallet to see the licences you own.</p>}
    </>
  );
}

function useSavedCopies() {
  const { deployment } = useHarmonie();
  const reader = useReader();
  const [saved, setSaved] = useState<Map<string, SavedTrack>>();
  useEffect(() => {
    let live = true;
    listSavedTracks()
      .then((list) => Promise.all(list.map((s) => checkSavedTrack(reader, deployment, s).catch(() => s))))
      .catch(() => [])
      .then((list) => live && setSaved(new Map(list.map((s) => [s.isrc, s]))));
    return () => {
      live = false;
    };
  }, [reader, deployment]);
  return saved;
}

function Library({ account }: { account: `0x${string}` }) {
  const { indexerUrl } = useHarmonie();
  const now = useChainTime();
  const saved = useSavedCopies();
  const library = useQuery({
    queryKey: ["library", account.toLowerCase()],
    queryFn: () => getLibrary(indexerUrl, { account }),
    // A licence bought a moment ago appears once the index has its block.
    refetchInterval: 5_000,
  });
  if (library.isError)
    return <LoadError what="Your licences" error={library.error} retry={() => void library.refetch()} />;
  if (library.isPending) return <Loading what="your licences" />;
  const owned = library.data;
  const notOwned = [...(saved?.values() ?? [])].filter((s) => !owned.some((entry) => entry.isrc === s.isrc));
  return (
    <>
      <section aria-labelledby="licences-heading">
        <h2 id="licences-heading">Licences</h2>
        {owned.length === 0 ? (
          <p className="muted">
            You don't own any licences yet. <Link to="/">Discover</Link> tracks and buy one on a track's page.
          </p>
        ) : (
          <ul className="list collection" data-testid="collection">
            {owned.map((entry) => (
              <Owned key={entry.isrc} entry={entry} now={now.data} saved={saved?.get(entry.isrc)} />
            ))}
          </ul>
        )}
      </section>
      {notOwned.length > 0 && (
        <section aria-labelledby="saved-heading">
          <h2 id="saved-heading">Also saved on this device</h2>
          <ul className="list">
            {notOwned.map((s) => (
              <li key={s.isrc} className="row">
                <Link to={`/track/${s.isrc}`}>
                  <Name text={s.title} lines={2} />
                </Link>
                <span className="muted">
                  by <Name text={s.artist} />
                </span>
                <SavedState saved={s} />
              </li>
            ))}
          </ul>
        </section>
      )}
      <p className="muted">
        Saved copies play on the <Link to="/saved">Offline</Link> page, even without a connection.
      </p>
    </>
  );
}

/** "Perpetual licence", "Expires in 12 days", "Expired on 3 May": by the chain's clock. */
function standingOf(entry: Pick<LibraryEntry, "perpetual" | "expiresAt">, now: bigint | undefined) {
  if (entry.perpetual > 0n)
    return { active: true, text: `Perpetual licence${entry.perpetual > 1n ? ` (${entry.perpetual})` : ""}` };
  if (entry.expiresAt === null) return { active: false, text: "No licence held now" };
  if (now === undefined) return { active: true, text: `Timed licence until ${dateOf(entry.expiresAt)}` };
  if (entry.expiresAt > now) return { active: true, text: `Expires in ${timeLeft(entry.expiresAt, now)}` };
  return { active: false, text: `Expired on ${dateOf(entry.expiresAt)}` };
}

function Owned({ entry, now, saved }: { entry: LibraryEntry; now: bigint | undefined; saved: SavedTrack | undefined }) {
  const metadata = useTrackMetadata(entry.metadataCid);
  const cover = metadata.data?.files.cover;
  const image = useIpfsImage(cover && `${entry.metadataCid}/${cover.path}`, cover?.mimeType);
  const standing = standingOf(entry, now);
  const title = metadata.data?.title ?? formatIsrc(entry.isrc, { hyphens: true });
  return (
    <li className="row owned" data-testid={`owned-${entry.isrc}`}>
      <div className="cover cover-small" aria-hidden="true">
        {image.data ? <img src={image.data} alt="" width="56" height="56" /> : <span>♪</span>}
      </div>
      <span className="owned-text">
        <Link to={`/track/${entry.isrc}`}>
          <strong>
            <Name text={title} lines={2} />
          </strong>
        </Link>
        {metadata.data && (
          <span className="muted">
            {" "}
            by <Name text={metadata.data.artist} />
          </span>
        )}
        <span className={`standing ${standing.active ? "active" : "expired"}`} data-testid="standing">
          {standing.text}
          {entry.status !== "ACTIVE" && (entry.status === "FLAGGED" ? " · under dispute" : " · removed by the DAO")}
        </span>
      </span>
      {!standing.active && entry.expiresAt !== null && (
        <Link to={`/track/${entry.isrc}`} className="button-link">
          Renew
        </Link>
      )}
      {saved && <SavedState saved={saved} />}
    </li>
  );
}

function SavedState({ saved }: { saved: SavedTrack }) {
  return saved.locked ? (
    <span className="muted" data-testid="saved-state">
      Locked: the saved copy was removed when the licence ended
    </span>
  ) : (
    <span className="muted" data-testid="saved-state">
      Saved on this device
    </span>
  );
}
