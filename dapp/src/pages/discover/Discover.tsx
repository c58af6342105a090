import { type Genre, getDiscover, getGenres, getGenreTracks, getTrending } from "@harmonie/sdk";
import { type UseQueryResult, useQuery } from "@tanstack/react-query";
import { Link, useSearchParams } from "react-router";
import { core, shortAddress } from "../../lib/format.ts";
import { useHarmonie } from "../../lib/harmonie.tsx";
import { usePageMeta } from "../../lib/meta.ts";
import { LoadError, Loading } from "../../lib/states.tsx";
import { Name } from "../../lib/text.tsx";
import { TrackCard } from "../TrackCard.tsx";
import { ArtistThumb } from "./ArtistThumb.tsx";
import { SearchBox } from "./SearchBox.tsx";
import "./discovery.css";

export default function Discover() {
  const { indexerUrl } = useHarmonie();
  const discover = useQuery({ queryKey: ["discover"], queryFn: () => getDiscover(indexerUrl, { first: 24 }) });
  const trending = useQuery({ queryKey: ["trending"], queryFn: () => getTrending(indexerUrl, { first: 5 }) });
  const genres = useQuery({ queryKey: ["genres"], queryFn: () => getGenres(indexerUrl) });
  usePageMeta("Discover", "New tracks and live sessions on HarmonieCORE: listen, tip artists live, license tracks.");
  const data = discover.data;
  if (!data && discover.isError)
    return (
      <>
        <h1>Discover</h1>
        <SearchBox />
        <LoadError what="The catalogue" error={discover.error} retry={() => void discover.refetch()} />
      </>
    );
  // The sections appear together once all three reads are in (or failed): nothing already on screen gets
  // pushed down by a section above it arriving later (layout shift).
  if (!data || trending.isPending || genres.isPending)
    return (
      <>
        <h1>Discover</h1>
        <SearchBox />
        <Loading />
      </>
    );
  return (
    <>
      <h1>Discover</h1>
      <SearchBox />
      <section aria-labelledby="live-heading">
        <h2 id="live-heading">Live now</h2>
        {data.liveStreams.length === 0 ? (
          <p className="muted">Nobody is live right now.</p>
        ) : (
          <ul className="list">
            {data.liveStreams.map((stream) => {
              const artist = stream.artistHandle ? `@${stream.artistHandle}` : shortAddress(stream.artist);
              return (
                <li key={String(stream.streamId)} className="row people-row">
                  <ArtistThumb profileCid={stream.artistProfileCid} name={stream.artistHandle ?? "?"} live />
                  <span className="people-text">
                    <Link to={`/live/${stream.streamId}`}>
                      <Name text={stream.title} lines={2} />
                    </Link>
                    <span className="muted">
                      by <Link to={`/artist/${stream.artist}`}>{<Name text={artist} />}</Link> · {core(stream.tipTotal)}{" "}
                      tipped
                      {stream.gatingTrackId !== null && <span className="badge">Licence holders</span>}
                    </span>
                  </span>
                </li>
              );
            })}
          </ul>
        )}
      </section>
      <Trending trending={trending} />
      <Tracks latest={data.tracks} genres={genres} />
      <p>
        <Link to="/artists">All artists →</Link>
      </p>
    </>
  );
}

/** Artists ranked by what fans tipped them over the last 7 days, each with their newest track. */
function Trending({ trending }: { trending: UseQueryResult<Awaited<ReturnType<typeof getTrending>>> }) {
  return (
    <section aria-labelledby="trending-heading">
      <h2 id="trending-heading">Trending this week</h2>
      {trending.isPending ? (
        <Loading what="this week's tips" />
      ) : trending.isError ? (
        <LoadError what="This week's trending artists" error={trending.error} retry={() => void trending.refetch()} />
      ) : trending.data.artists.length === 0 ? (
        <p className="muted">No tips in the last 7 days yet.</p>
      ) : (
        <ol className="list" data-testid="trending">
          {trending.data.artists.map((artist, i) => {
            const label = artist.handle ? `@${artist.handle}` : shortAddress(artist.address);
            const track = artist.latestTrack;
            return (
              <li key={artist.address} className="row people-row">
                <span className="rank" aria-hidden="true">
                  {i + 1}
                </span>
                <ArtistThumb profileCid={artist.profileCid} name={artist.handle ?? "?"} />
                <span className="people-text">
                  <Link to={`/artist/${artist.address}`}>
                    <Name text={label} />
                  </Link>
                  <span className="muted">
                    {core(artist.tipVolume)} tipped this week · {artist.tipCount}{" "}
                    {artist.tipCount === 1 ? "tip" : "tips"}
                    {track && (
                      <>
                        {" · newest: "}
                        <Link to={`/track/${track.isrc}`}>
                          <Name text={track.title ?? track.isrc} />
                        </Link>
                      </>
                    )}
                  </span>
                </span>
              </li>
            );
          })}
        </ol>
      )}
    </section>
  );
}

/** The newest tracks, or one genre's (the genre in the address: `/?genre=synthwave`), with the genre chips. */
function Tracks({
  latest,
  genres,
}: {
  latest: Awaited<ReturnType<typeof getDiscover>>["tracks"];
  genres: UseQueryResult<Awaited<ReturnType<typeof getGenres>>>;
}) {
  const { indexerUrl } = useHarmonie();
  const [params, setParams] = useSearchParams();
  const genreKey = params.get("genre");
  const genreTracks = useQuery({
    queryKey: ["genre-tracks", genreKey],
    queryFn: () => getGenreTracks(indexerUrl, { genre: genreKey!, first: 24 }),
    enabled: !!genreKey,
  });
  const genre: Genre | undefined = genres.data?.genres.find((g) => g.key === genreKey);
  const pick = (key: string | null) =>
    setParams(
      (current) => {
        const next = new URLSearchParams(current);
        if (key) next.set("genre", key);
        else next.delete("genre");
        return next;
      },
      { replace: true, preventScrollReset: true },
    );
  const tracks = genreKey
    ? genreTracks.data?.items.map((t) => ({ ...t, artistLabel: t.artistName ?? labelOf(t) }))
    : latest.map((t) => ({ ...t, artistLabel: labelOf(t) }));
  return (
    <section aria-labelledby="tracks-heading">
      <h2 id="tracks-heading">
        {genreKey ? (
          <>
            <Name text={genre?.name ?? genreKey} /> tracks
          </>
        ) : (
          "Latest tracks"
        )}
      </h2>
      {genres.isError ? (
        <LoadError what="The genres" error={genres.error} retry={() => void genres.refetch()} />
      ) : (
        genres.data &&
        genres.data.genres.length > 0 && (
          <div className="chips genre-chips" role="group" aria-label="Genres">
            <button type="button" className="chip" aria-pressed={!genreKey} onClick={() => pick(null)}>
              All
            </button>
            {genres.data.genres.map((g) => (
              <button
                key={g.key}
                type="button"
                className="chip"
                aria-pressed={g.key === genreKey}
                onClick={() => pick(g.key === genreKey ? null : g.key)}
              >
                <Name text={g.name} flag={false} />
                <span className="chip-count">
                  {g.trackCount}
                  <span className="sr-only"> {g.trackCount === 1 ? "track" : "tracks"}</span>
                </span>
              </button>
            ))}
          </div>
        )
      )}
      {genreKey && genreTracks.isError ? (
        <LoadError what="This genre's tracks" error={genreTracks.error} retry={() => void genreTracks.refetch()} />
      ) : !tracks ? (
        <Loading what="tracks" />
      ) : tracks.length === 0 ? (
        <p className="muted">
          {genreKey ? (
            <>
              No tracks in <Name text={genre?.name ?? genreKey} /> yet.
            </>
          ) : (
            "No tracks yet."
          )}
        </p>
      ) : (
        <ul className="grid">
          {tracks.map((track) => (
            <TrackCard
              key={String(track.trackId)}
              isrc={track.isrc}
              metadataCid={track.metadataCid}
              exclusive={track.exclusive}
              artistLabel={track.artistLabel}
              list={tracks}
            />
          ))}
        </ul>
      )}
    </section>
  );
}

const labelOf = (t: { artist: string; artistHandle: string | null }) =>
  t.artistHandle ? `@${t.artistHandle}` : shortAddress(t.artist);
