import { getTopSupporters } from "@harmonie/sdk";
import { useQuery } from "@tanstack/react-query";
import type { Address } from "viem";
import { amountOf, shortAddress } from "../../lib/format.ts";
import { useHarmonie } from "../../lib/harmonie.tsx";
import { LoadError, Loading } from "../../lib/states.tsx";
import { Name } from "../../lib/text.tsx";

/** The fans who tipped the artist most (in CORE, then by number of tips), by handle. */
export function TopSupporters({ artist, tipCount }: { artist: Address; tipCount: bigint }) {
  const { indexerUrl } = useHarmonie();
  const top = useQuery({
    queryKey: ["top-supporters", artist.toLowerCase(), String(tipCount)],
    queryFn: () => getTopSupporters(indexerUrl, { artist, first: 5 }),
  });
  return (
    <section aria-labelledby="supporters-heading">
      <h2 id="supporters-heading">Top supporters</h2>
      {top.isError ? (
        <LoadError what="The top supporters" error={top.error} retry={() => void top.refetch()} />
      ) : top.isPending ? (
        <Loading what="the supporters" />
      ) : top.data.supporters.length === 0 ? (
        <p className="muted">No supporters yet: the first tip puts its fan here.</p>
      ) : (
        <>
          <ol className="supporters" data-testid="top-supporters">
            {top.data.supporters.map((s) => (
              <li key={s.fan} className="supporter">
                <span className="supporter-name" title={s.fan}>
                  {s.handle ? <Name text={`@${s.handle}`} /> : shortAddress(s.fan)}
                </span>
                <span className="supporter-total">{s.totals.map((t) => amountOf(t.amount, t.token)).join(" · ")}</span>
                <span className="muted">
                  {s.tipCount} tip{s.tipCount === 1 ? "" : "s"}
                </span>
              </li>
            ))}
          </ol>
          {!top.data.complete && (
            <p className="muted">Counted over the latest {top.data.tipsCounted.toLocaleString("en")} tips.</p>
          )}
        </>
      )}
    </section>
  );
}
