import { getDiscover } from "@harmonie/sdk";
import { useQuery } from "@tanstack/react-query";
import { Link } from "react-router";
import { core, shortAddress } from "../../lib/format.ts";
import { useHarmonie } from "../../lib/harmonie.tsx";
import { usePageMeta } from "../../lib/meta.ts";
import { LoadError, Loading } from "../../lib/states.tsx";
import { Name } from "../../lib/text.tsx";
import { TrackCard } from "../TrackCard.tsx";

export default function Discover() {
  const { indexerUrl } = useHarmonie();
  const discover = useQuery({ queryKey: ["discover"], queryFn: () => getDiscover(indexerUrl, { first: 24 }) });
  usePageMeta("Discover", "New tracks and live sessions on HarmonieCORE: listen, tip artists live, license tracks.");
  const data = discover.data;
  if (!data && discover.isError)
    return (
      <>
        <h1>Discover</h1>
        <LoadError what="The catalogue" error={discover.error} retry={() => void discover.refetch()} />
      </>
    );
  // Both lists appear together once loaded: nothing already on screen gets pushed down (layout shift).
  if (!data)
    return (
      <>
        <h1>Discover</h1>
        <Loading />
      </>
    );
  return (
    <>
      <h1>Discover</h1>
      <section aria-labelledby="live-heading">
        <h2 id="live-heading">Live now</h2>
        {data.liveStreams.length === 0 ? (
          <p className="muted">Nobody is live right now.</p>
        ) : (
          <ul className="list">
            {data.liveStreams.map((stream) => (
              <li key={String(stream.streamId)} className="row">
                <span className="live-dot" aria-hidden="true" />
                <Link to={`/live/${stream.streamId}`}>
                  <Name text={stream.title} lines={2} />
                </Link>
                <span className="muted">
                  by{" "}
                  <Link to={`/artist/${stream.artist}`}>
                    {stream.artistHandle ? <Name text={`@${stream.artistHandle}`} /> : shortAddress(stream.artist)}
                  </Link>{" "}
                  · {core(stream.tipTotal)} tipped
                </span>
              </li>
            ))}
          </ul>
        )}
      </section>
      <section aria-labelledby="tracks-heading">
        <h2 id="tracks-heading">Latest tracks</h2>
        {data.tracks.length === 0 ? (
          <p className="muted">No tracks yet.</p>
        ) : (
          <ul className="grid">
            {data.tracks.map((track) => (
              <TrackCard
                key={String(track.trackId)}
                isrc={track.isrc}
                metadataCid={track.metadataCid}
                exclusive={track.exclusive}
                artistLabel={track.artistHandle ? `@${track.artistHandle}` : shortAddress(track.artist)}
                list={data.tracks}
              />
            ))}
          </ul>
        )}
      </section>
    </>
  );
}
