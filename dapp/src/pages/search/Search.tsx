import { searchCatalogue } from "@harmonie/sdk";
import { useQuery } from "@tanstack/react-query";
import { Link, useSearchParams } from "react-router";
import { shortAddress } from "../../lib/format.ts";
import { useHarmonie } from "../../lib/harmonie.tsx";
import { usePageMeta } from "../../lib/meta.ts";
import { LoadError, Loading } from "../../lib/states.tsx";
import { Name } from "../../lib/text.tsx";
import { TrackCard } from "../TrackCard.tsx";
import { ArtistThumb } from "../discover/ArtistThumb.tsx";
import { SearchBox } from "../discover/SearchBox.tsx";
import "../discover/discovery.css";

/** `/search?q=…`: tracks by title, artist name or genre (the indexer's full-text search), and handles. */
export default function Search() {
  const { indexerUrl } = useHarmonie();
  const [params] = useSearchParams();
  const q = (params.get("q") ?? "").trim();
  usePageMeta(q ? `Search: ${q}` : "Search", "Search HarmonieCORE's tracks, artists, genres and handles.");
  const results = useQuery({
    queryKey: ["search", q],
    queryFn: () => searchCatalogue(indexerUrl, { query: q, first: 40 }),
    enabled: q.length > 0,
  });
  return (
    <>
      <h1>Search</h1>
      {/* Keyed by the query: a new search (back, a link) starts from its own text. */}
      <SearchBox key={q} initial={q} autoFocus={!q} />
      {!q ? (
        <p className="muted">Type a title, an artist's name, a genre or a @handle.</p>
      ) : results.isPending ? (
        <Loading what="results" />
      ) : results.isError ? (
        <LoadError what="Search results" error={results.error} retry={() => void results.refetch()} />
      ) : (
        <>
          <section aria-labelledby="track-results">
            <h2 id="track-results">Tracks</h2>
            {results.data.tracks.length === 0 ? (
              <p className="muted" data-testid="no-tracks">
                No tracks match “<Name text={q} />
                ”.
              </p>
            ) : (
              <ul className="grid">
                {results.data.tracks.map((track) => (
                  <TrackCard
                    key={String(track.trackId)}
                    isrc={track.isrc}
                    metadataCid={track.metadataCid}
                    exclusive={track.exclusive}
                    artistLabel={
                      track.artistName ?? (track.artistHandle ? `@${track.artistHandle}` : shortAddress(track.artist))
                    }
                    list={results.data.tracks}
                  />
                ))}
              </ul>
            )}
          </section>
          <section aria-labelledby="account-results">
            <h2 id="account-results">Artists and fans</h2>
            {results.data.accounts.length === 0 ? (
              <p className="muted">
                No handles match “<Name text={q} />
                ”.
              </p>
            ) : (
              <ul className="list">
                {results.data.accounts.map((a) => (
                  <li key={a.address} className="row people-row">
                    <ArtistThumb profileCid={a.profileCid} name={a.handle} />
                    <span className="people-text">
                      <Link to={`/@${a.handle}`}>
                        <Name text={`@${a.handle}`} />
                      </Link>
                      <span className="muted">
                        {a.isArtist
                          ? `Artist · ${count(a.trackCount ?? 0, "track")} · ${count(a.followerCount ?? 0, "follower")}`
                          : "Fan"}
                      </span>
                    </span>
                  </li>
                ))}
              </ul>
            )}
          </section>
        </>
      )}
    </>
  );
}

const count = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;
