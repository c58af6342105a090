import { type DirectoryOrder, getArtistDirectory } from "@harmonie/sdk";
import { useInfiniteQuery } from "@tanstack/react-query";
import { Link, useSearchParams } from "react-router";
import { core, shortAddress } from "../../lib/format.ts";
import { useHarmonie } from "../../lib/harmonie.tsx";
import { usePageMeta } from "../../lib/meta.ts";
import { LoadError, Loading } from "../../lib/states.tsx";
import { Name } from "../../lib/text.tsx";
import { ArtistThumb } from "./ArtistThumb.tsx";
import { SearchBox } from "./SearchBox.tsx";
import "./discovery.css";

const ORDERS: [DirectoryOrder, string][] = [
  ["support", "Most supported"],
  ["followers", "Most followed"],
  ["tracks", "Most tracks"],
];
const PAGE = 24;

/** `/artists`: every registered artist, most supported (CORE tipped) first, 24 at a time. */
export default function Artists() {
  const { indexerUrl } = useHarmonie();
  const [params, setParams] = useSearchParams();
  const order = (ORDERS.find(([o]) => o === params.get("order"))?.[0] ?? "support") as DirectoryOrder;
  usePageMeta("Artists", "Every artist on HarmonieCORE, most supported first.");
  const directory = useInfiniteQuery({
    queryKey: ["artist-directory", order],
    queryFn: ({ pageParam }) => getArtistDirectory(indexerUrl, { orderBy: order, first: PAGE, after: pageParam }),
    initialPageParam: null as number | null,
    getNextPageParam: (last) => (last.hasNextPage ? last.cursor : undefined),
  });
  const artists = directory.data?.pages.flatMap((p) => p.items);
  return (
    <>
      <h1>Artists</h1>
      <SearchBox />
      <div className="directory-order">
        <label htmlFor="directory-order">Order</label>
        <select
          id="directory-order"
          value={order}
          onChange={(event) =>
            setParams(event.target.value === "support" ? {} : { order: event.target.value }, { replace: true })
          }
        >
          {ORDERS.map(([value, label]) => (
            <option key={value} value={value}>
              {label}
            </option>
          ))}
        </select>
      </div>
      {!artists && directory.isError ? (
        <LoadError what="The artist directory" error={directory.error} retry={() => void directory.refetch()} />
      ) : !artists ? (
        <Loading what="artists" />
      ) : artists.length === 0 ? (
        <p className="muted">No artists yet.</p>
      ) : (
        <>
          <ol className="list" data-testid="artist-directory">
            {artists.map((artist) => {
              const label = artist.handle ? `@${artist.handle}` : shortAddress(artist.address);
              return (
                <li key={artist.address} className="row people-row">
                  <ArtistThumb profileCid={artist.profileCid} name={artist.handle ?? "?"} />
                  <span className="people-text">
                    <span>
                      <Link to={`/artist/${artist.address}`}>
                        <Name text={label} />
                      </Link>
                      {artist.live && <span className="badge badge-live">Live now</span>}
                    </span>
                    <span className="muted">
                      {core(artist.tipVolume)} tipped · {count(artist.followerCount, "follower")} ·{" "}
                      {count(artist.trackCount, "track")}
                    </span>
                  </span>
                </li>
              );
            })}
          </ol>
          {directory.isFetchNextPageError && (
            <LoadError what="More artists" error={directory.error} retry={() => void directory.fetchNextPage()} />
          )}
          {directory.hasNextPage && !directory.isFetchNextPageError && (
            <button
              type="button"
              className="secondary more"
              disabled={directory.isFetchingNextPage}
              onClick={() => void directory.fetchNextPage()}
            >
              {directory.isFetchingNextPage ? "Loading more artists…" : "Show more artists"}
            </button>
          )}
        </>
      )}
    </>
  );
}

const count = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;
