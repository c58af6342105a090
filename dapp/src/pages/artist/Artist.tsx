import { follow, getArtistPage, queryIndexer, unfollow } from "@harmonie/sdk";
import { useQuery } from "@tanstack/react-query";
import { Link, useParams } from "react-router";
import { type Address, isAddress } from "viem";
import { useAccount } from "wagmi";
import { core, shortAddress } from "../../lib/format.ts";
import { describeError } from "../../lib/errors.ts";
import { useHarmonie } from "../../lib/harmonie.tsx";
import { useWallet } from "../../lib/wallet.ts";
import { useIpfsImage, useProfileDocument } from "../../lib/ipfs.ts";
import { TxStatus, useTx } from "../../lib/tx.tsx";
import { TipForm } from "../TipForm.tsx";
import { TipList } from "../TipList.tsx";
import { TrackCard } from "../TrackCard.tsx";
import { EarningsChart } from "./EarningsChart.tsx";

export default function Artist() {
  const { address = "" } = useParams();
  if (!isAddress(address)) return <p role="alert">“{address}” is not an address.</p>;
  return <ArtistPage artist={address} />;
}

function ArtistPage({ artist }: { artist: Address }) {
  const { indexerUrl } = useHarmonie();
  const { address: me } = useAccount();
  const page = useQuery({ queryKey: ["artist", artist], queryFn: () => getArtistPage(indexerUrl, { artist }) });
  const profile = useProfileDocument(page.data?.profileCid);
  const avatar = profile.data?.avatar;
  const avatarUrl = useIpfsImage(avatar && `${page.data!.profileCid}/${avatar.path}`, avatar?.mimeType);

  if (page.isError) return <p role="alert">{describeError(page.error)}</p>;
  if (page.isPending) return <p>Loading…</p>;
  if (!page.data) return <p>No artist activity is known for {shortAddress(artist)} yet.</p>;
  const data = page.data;
  const isSelf = me?.toLowerCase() === artist.toLowerCase();
  const name = profile.data?.displayName ?? data.handle ?? shortAddress(artist);
  return (
    <>
      <section className="profile">
        <div className="avatar" aria-hidden="true">
          {avatarUrl.data ? <img src={avatarUrl.data} alt="" width="96" height="96" /> : <span>{name[0]}</span>}
        </div>
        <div>
          <h1>{name}</h1>
          {data.handle && <p className="muted">@{data.handle}</p>}
          {profile.data?.bio && <p className="bio">{profile.data.bio}</p>}
          <dl className="stats">
            <div>
              <dt>Tips received (CORE)</dt>
              <dd data-testid="tip-total">{core(data.tipVolume)}</dd>
            </div>
            <div>
              <dt>Followers</dt>
              <dd data-testid="followers">{data.followerCount}</dd>
            </div>
            <div>
              <dt>Licences sold</dt>
              <dd>{String(data.licenseSalesCount)}</dd>
            </div>
          </dl>
          {!isSelf && <FollowButton artist={artist} />}
        </div>
      </section>

      {!isSelf && <TipForm artist={artist} />}

      {isSelf && (
        <section aria-labelledby="earnings-heading">
          <h2 id="earnings-heading">Your earnings</h2>
          <EarningsChart artist={artist} />
        </section>
      )}

      {data.streams.some((s) => s.isLive) && (
        <section aria-labelledby="live-heading">
          <h2 id="live-heading">Live now</h2>
          <ul className="list">
            {data.streams
              .filter((s) => s.isLive)
              .map((s) => (
                <li key={String(s.streamId)} className="row">
                  <span className="live-dot" aria-hidden="true" />
                  <Link to={`/live/${s.streamId}`}>{s.title}</Link>
                </li>
              ))}
          </ul>
        </section>
      )}

      <section aria-labelledby="tracks-heading">
        <h2 id="tracks-heading">Tracks</h2>
        {data.tracks.length === 0 ? (
          <p className="muted">No tracks yet.</p>
        ) : (
          <ul className="grid">
            {data.tracks.map((t) => (
              <TrackCard key={String(t.trackId)} isrc={t.isrc} metadataCid={t.metadataCid} exclusive={t.exclusive} />
            ))}
          </ul>
        )}
      </section>

      <section aria-labelledby="tips-heading">
        <h2 id="tips-heading">Latest tips</h2>
        <TipList tips={data.latestTips} empty="No tips yet." />
      </section>
    </>
  );
}

function FollowButton({ artist }: { artist: Address }) {
  const { indexerUrl, deployment } = useHarmonie();
  const wallet = useWallet();
  const { address: me } = useAccount();
  const tx = useTx();
  const following = useQuery({
    queryKey: ["following", artist, me],
    enabled: !!me,
    queryFn: async () => {
      const id = `${artist.toLowerCase()}-${me!.toLowerCase()}`;
      const data = await queryIndexer<{ follow: { id: string } | null }>(
        indexerUrl,
        `query F($id: ID!) { follow(id: $id) { id } }`,
        { id },
      );
      return data.follow !== null;
    },
  });
  if (!me || !wallet) return <p className="muted">Connect a wallet to follow.</p>;
  const isFollowing = following.data === true;
  return (
    <div>
      <button
        type="button"
        disabled={tx.busy || following.isPending}
        aria-pressed={isFollowing}
        onClick={() =>
          tx.run(isFollowing ? "Unfollow" : "Follow", () =>
            (isFollowing ? unfollow : follow)(wallet, { artist, deployment }),
          )
        }
      >
        {isFollowing ? "Unfollow" : "Follow"}
      </button>
      <TxStatus state={tx.state} />
    </div>
  );
}
