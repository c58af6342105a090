import type { ArtistPage } from "@harmonie/sdk";
import { useQuery } from "@tanstack/react-query";
import { Suspense, lazy, useCallback, useEffect, useState } from "react";
import { Link, useParams } from "react-router";
import { type Address, isAddress } from "viem";
import { accountOfQuery, chainProfileQuery } from "../../lib/chain-queries.ts";
import { useAfterPaint, useImageDone, WhenVisible } from "../../lib/deferred.tsx";
import { LaterTipForm } from "../LaterTipForm.tsx";
import { core, shortAddress } from "../../lib/format.ts";
import { isValidHandle } from "../../lib/handles.ts";
import { useHarmonie } from "../../lib/harmonie.tsx";
import { indexedHandleQuery, useArtistPage } from "../../lib/indexed.ts";
import { useIpfsImage, useProfileDocument } from "../../lib/ipfs.ts";
import { usePageMeta } from "../../lib/meta.ts";
import { useLookalikes } from "../../lib/people.tsx";
import { mergeTips } from "../../lib/streaming.ts";
import { useSentTips } from "../../lib/sent-tips.ts";
import { LoadError, Loading, NotFound, describeLoadError } from "../../lib/states.tsx";
import { LongText, Name, TextNotice, initialOf } from "../../lib/text.tsx";
import { useAccount } from "../../lib/wallet-state.ts";
import { TipList } from "../TipList.tsx";
import { TrackCard } from "../TrackCard.tsx";

// The page's first render is what the indexer and IPFS say (profile, stats, tracks, tips). The parts
// that act with a wallet (follow, the tip form) and the artist's own earnings are chunks of their own,
// loaded once the page is drawn; chain reads load their code when they run (lib/chain-queries.ts).
const FollowButton = lazy(() => import("./FollowButton.tsx").then((m) => ({ default: m.FollowButton })));
const EarningsChart = lazy(() => import("./EarningsChart.tsx").then((m) => ({ default: m.EarningsChart })));
const TopSupporters = lazy(() => import("./TopSupporters.tsx").then((m) => ({ default: m.TopSupporters })));

export default function Artist() {
  const { address = "", profile } = useParams();
  // `/@handle`: the route takes any one-segment path, so anything not starting with "@" is no page.
  if (profile !== undefined)
    return profile.startsWith("@") ? (
      <ArtistByHandle handle={profile.slice(1)} />
    ) : (
      <NotFound title="Page not found">
        <p>There is no page at this address.</p>
      </NotFound>
    );
  if (!isAddress(address))
    return (
      <NotFound title="Artist not found">
        <p>
          “<Name text={address} />” is not an account address, so no artist lives there.
        </p>
      </NotFound>
    );
  return <ArtistView artist={address} />;
}

/**
 * An artist page at `/@handle`: the chain says who holds the handle (the address stays out of the URL).
 * Its answer needs viem and the ABIs, so the page draws from the indexer's answer meanwhile, without
 * the parts that act on the artist (tip, follow) until the chain has confirmed it; if the chain names
 * someone else, that one's page replaces it.
 */
function ArtistByHandle({ handle }: { handle: string }) {
  const harmonie = useHarmonie();
  const valid = isValidHandle(handle);
  const indexed = useQuery({ ...indexedHandleQuery(harmonie.indexerUrl, handle), enabled: valid });
  // The chain is asked once the indexer's answer is drawn (its code would slow that down), or at once without one.
  const [drawn, setDrawn] = useState(false);
  const onDrawn = useCallback(() => setDrawn(true), []);
  const holder = useQuery({
    ...accountOfQuery(harmonie, handle),
    enabled: valid && (drawn || indexed.data === null || indexed.isError),
  });
  if (!valid || holder.data === null)
    return (
      <NotFound title="Artist not found">
        <p>
          No one goes by “@
          <Name text={handle} />” on HarmonieCORE.
        </p>
      </NotFound>
    );
  if (holder.error) return <LoadError what="This artist" error={holder.error} retry={() => void holder.refetch()} />;
  if (holder.data) return <ArtistView artist={holder.data} />;
  if (indexed.data) return <ArtistView artist={indexed.data} confirmed={false} onDrawn={onDrawn} />;
  return <Loading what={`@${handle}`} />;
}

/** The account's profile as the chain has it: `null` without one. */
function useChainProfile(account: Address, enabled: boolean) {
  return useQuery({ ...chainProfileQuery(useHarmonie(), account), enabled });
}

/** `confirmed`: the chain has said this is the account (false while a `/@handle` page draws from the indexer). */
function ArtistView({
  artist,
  confirmed = true,
  onDrawn,
}: {
  artist: Address;
  confirmed?: boolean;
  /** Called once the page is drawn and the browser idle after it. */
  onDrawn?: () => void;
}) {
  const [registered, setRegistered] = useState(false);
  const page = useArtistPage(artist, { pollWhileMissing: registered });
  // Not indexed: the chain says whether the account is an artist at all (or one registered a moment ago).
  const chainProfile = useChainProfile(artist, page.data === null);
  const isArtistOnChain = !!chainProfile.data?.isArtist;
  useEffect(() => setRegistered(isArtistOnChain), [isArtistOnChain]);
  const handle = page.data?.handle ?? chainProfile.data?.handle ?? null;
  const profileCid = page.data?.profileCid ?? chainProfile.data?.profileCid ?? null;
  const profile = useProfileDocument(profileCid || undefined);
  const name = profile.data?.displayName ?? (handle ? `@${handle}` : shortAddress(artist));
  const known = !!page.data || !!chainProfile.data?.isArtist;
  const missing = page.data === null && chainProfile.isSuccess && !chainProfile.data?.isArtist;
  usePageMeta(
    known ? (handle && profile.data ? `${name} (@${handle})` : name) : missing ? "Artist not found" : "Artist",
    profile.data?.bio || `${name} on HarmonieCORE: tracks, live sessions and tips.`,
  );

  // A failed refetch keeps what was shown (e.g. offline, restored from this device): only no data is an error.
  if (page.isError && page.data === undefined)
    return (
      <>
        <h1>Artist</h1>
        <LoadError what="This artist's page" error={page.error} retry={() => void page.refetch()} />
      </>
    );
  // The name and bio arrive with the profile document: the page shows once, not in steps (layout shift).
  if (page.isPending || (page.data === null && chainProfile.isPending) || (profileCid && profile.isPending))
    return <Loading what="the artist" />;
  if (page.data === null && chainProfile.isError)
    return (
      <>
        <h1>Artist</h1>
        <LoadError what="This artist's page" error={chainProfile.error} retry={() => void chainProfile.refetch()} />
      </>
    );
  if (missing)
    return (
      <NotFound title="Artist not found">
        <p>
          {chainProfile.data ? (
            <>
              <Name text={`@${chainProfile.data.handle}`} /> is a listener's profile, not an artist's.
            </>
          ) : (
            <>No artist has a profile, tracks or tips at this address.</>
          )}
        </p>
        <p className="muted address">{artist}</p>
      </NotFound>
    );
  return (
    <ArtistBody
      artist={artist}
      page={page.data ?? undefined}
      handle={handle}
      profileCid={profileCid}
      confirmed={confirmed}
      onDrawn={onDrawn}
    />
  );
}

function ArtistBody({
  artist,
  page,
  handle,
  profileCid,
  confirmed,
  onDrawn,
}: {
  artist: Address;
  confirmed: boolean;
  onDrawn?: () => void;
  /** Undefined while the indexer has not seen the artist (a profile registered a moment ago). */
  page: ArtistPage | undefined;
  handle: string | null;
  profileCid: string | null;
}) {
  const { address: me } = useAccount();
  const profile = useProfileDocument(profileCid || undefined);
  const avatar = profile.data?.avatar;
  const avatarUrl = useIpfsImage(avatar && `${profileCid}/${avatar.path}`, avatar?.mimeType);
  const lookalikes = useLookalikes(artist, handle);
  const sentTips = useSentTips({ artist });
  const isSelf = me?.toLowerCase() === artist.toLowerCase();
  const displayName = profile.data?.displayName;
  const name = displayName ?? (handle ? `@${handle}` : shortAddress(artist));
  const tips = mergeTips(page?.latestTips ?? [], sentTips);
  // The picture is the page's largest paint: the rest (tip form, follow, tippers' names) loads once it is drawn.
  const picture = useImageDone(avatarUrl.data);
  const drawn = useAfterPaint(!profile.data?.avatar?.mimeType || avatarUrl.isError || picture.done);
  useEffect(() => {
    if (drawn) onDrawn?.();
  }, [drawn, onDrawn]);
  // Tipping and following act on the account: only once the chain has confirmed it.
  const later = drawn && confirmed;
  return (
    <>
      <section className="profile">
        <div className="avatar" aria-hidden="true">
          {avatarUrl.data ? (
            <img src={avatarUrl.data} alt="" width="96" height="96" onLoad={picture.onLoad} onError={picture.onError} />
          ) : (
            <span>{initialOf(name)}</span>
          )}
        </div>
        <div className="profile-text">
          <h1>
            <Name text={name} lines={3} flag={!displayName} />
          </h1>
          {displayName && <TextNotice text={displayName} what="This name" />}
          {handle && (
            <p className="muted">
              <Name text={`@${handle}`} />
            </p>
          )}
          {lookalikes.length > 0 && (
            <p className="text-notice" data-testid="lookalike">
              ⚠ <Name text={`@${handle}`} /> looks like{" "}
              {lookalikes.map((other, i) => (
                <span key={other.address}>
                  {i > 0 && ", "}
                  <Link to={`/artist/${other.address}`}>
                    <Name text={`@${other.handle}`} />
                  </Link>
                </span>
              ))}
              , a different account. Check the address before you tip: {shortAddress(artist)}.
            </p>
          )}
          {profile.isError && (
            <p className="muted">
              The profile's name, bio and picture can't be loaded: {describeLoadError(profile.error)}.
            </p>
          )}
          {profile.data?.bio && <LongText text={profile.data.bio} className="bio" />}
          {page ? (
            <dl className="stats">
              <div>
                <dt>Tips received (CORE)</dt>
                <dd data-testid="tip-total">{core(page.tipVolume)}</dd>
              </div>
              <div>
                <dt>Followers</dt>
                <dd data-testid="followers">{page.followerCount}</dd>
              </div>
              <div>
                <dt>Licences sold</dt>
                <dd>{String(page.licenseSalesCount)}</dd>
              </div>
            </dl>
          ) : (
            <p className="muted" data-testid="not-indexed">
              New here: tracks, tips and followers appear once the index has caught up with this profile.
            </p>
          )}
          {!isSelf && page && (
            <Suspense fallback={<FollowPlaceholder />}>
              {later ? <FollowButton artist={artist} /> : <FollowPlaceholder />}
            </Suspense>
          )}
        </div>
      </section>

      {!isSelf && <LaterTipForm artist={artist} ready={later} />}

      {isSelf && page && (
        <section aria-labelledby="earnings-heading">
          <h2 id="earnings-heading">Your earnings</h2>
          <Suspense fallback={<Loading what="your earnings" />}>
            <EarningsChart artist={artist} />
          </Suspense>
        </section>
      )}

      {page?.streams.some((s) => s.isLive) && (
        <section aria-labelledby="live-heading">
          <h2 id="live-heading">Live now</h2>
          <ul className="list">
            {page.streams
              .filter((s) => s.isLive)
              .map((s) => (
                <li key={String(s.streamId)} className="row">
                  <span className="live-dot" aria-hidden="true" />
                  <Link to={`/live/${s.streamId}`}>
                    <Name text={s.title} lines={2} />
                  </Link>
                </li>
              ))}
          </ul>
        </section>
      )}

      {page && (
        <section aria-labelledby="tracks-heading">
          <h2 id="tracks-heading">Tracks</h2>
          {page.tracks.length === 0 ? (
            <p className="muted">No tracks yet.</p>
          ) : (
            <ul className="grid">
              {page.tracks.map((t) => (
                <TrackCard
                  key={String(t.trackId)}
                  isrc={t.isrc}
                  metadataCid={t.metadataCid}
                  exclusive={t.exclusive}
                  list={page.tracks}
                />
              ))}
            </ul>
          )}
        </section>
      )}

      {(page || tips.length > 0) &&
        // Below the fold on a phone: the tippers' handles are chain reads; they wait until the visitor is near.
        (drawn ? (
          <WhenVisible placeholder={<div className="tips-columns" />} margin="600px">
            <div className="tips-columns">
              <section aria-labelledby="tips-heading">
                <h2 id="tips-heading">Latest tips</h2>
                <TipList tips={tips} empty="No tips yet." />
              </section>
              {page && (
                <Suspense fallback={null}>
                  <TopSupporters artist={artist} tipCount={page.tipCount} />
                </Suspense>
              )}
            </div>
          </WhenVisible>
        ) : (
          <div className="tips-columns" />
        ))}
    </>
  );
}

/** Where the follow button goes while its code loads (the same line it takes). */
function FollowPlaceholder() {
  return (
    <p className="muted" aria-busy="true">
      &nbsp;
    </p>
  );
}
