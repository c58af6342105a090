import { getArtistDailyEarnings } from "@harmonie/sdk";
import { useQuery } from "@tanstack/react-query";
import type { Address } from "viem";
import { core } from "../../lib/format.ts";
import { useHarmonie } from "../../lib/harmonie.tsx";
import { LoadError, Loading } from "../../lib/states.tsx";

const W = 640;
const H = 200;
const PAD = 28;

/** Daily earnings (tips + licences) as plain SVG bars: no chart library for one chart. */
export function EarningsChart({ artist }: { artist: Address }) {
  const { indexerUrl } = useHarmonie();
  const days = useQuery({
    queryKey: ["earnings", artist],
    queryFn: () => getArtistDailyEarnings(indexerUrl, { artist, fromDay: Math.floor(Date.now() / 86_400_000) - 90 }),
  });
  if (!days.data && days.isError)
    return <LoadError what="Your earnings" error={days.error} retry={() => void days.refetch()} />;
  if (!days.data) return <Loading what="earnings" />;
  if (days.data.length === 0) return <p className="muted">No earnings in the last 90 days.</p>;
  const points = days.data.map((d) => ({ day: d.day, total: d.tipVolume + d.licenseVolume, tips: d.tipVolume }));
  const max = points.reduce((m, p) => (p.total > m ? p.total : m), 1n);
  const first = points[0]!.day;
  const span = Math.max(points[points.length - 1]!.day - first + 1, 7);
  const barWidth = (W - 2 * PAD) / span;
  const y = (v: bigint) => H - PAD - Number((v * 1000n) / max) * ((H - 2 * PAD) / 1000);
  const label = (day: number) =>
    new Date(day * 86_400_000).toLocaleDateString("en", { month: "short", day: "numeric" });
  const total = points.reduce((s, p) => s + p.total, 0n);
  return (
    <figure className="chart">
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-labelledby="earnings-title">
        <title id="earnings-title">
          Daily earnings since {label(first)}: {core(total)} in total, best day {core(max)}.
        </title>
        <line x1={PAD} x2={W - PAD} y1={H - PAD} y2={H - PAD} className="axis" />
        {points.map((p) => {
          const x = PAD + (p.day - first) * barWidth;
          return (
            <g key={p.day}>
              <rect
                x={x + 1}
                width={Math.max(barWidth - 2, 2)}
                y={y(p.total)}
                height={H - PAD - y(p.total)}
                className="bar-licences"
              />
              <rect
                x={x + 1}
                width={Math.max(barWidth - 2, 2)}
                y={y(p.tips)}
                height={H - PAD - y(p.tips)}
                className="bar-tips"
              />
            </g>
          );
        })}
        <text x={PAD} y={H - 8} className="tick">
          {label(first)}
        </text>
        <text x={W - PAD} y={H - 8} className="tick" textAnchor="end">
          {label(first + span - 1)}
        </text>
        <text x={PAD} y={PAD - 10} className="tick">
          {core(max)}
        </text>
      </svg>
      <figcaption>
        <span className="key key-tips" /> tips <span className="key key-licences" /> licences — {core(total)} in{" "}
        {points.length} active day{points.length === 1 ? "" : "s"}
      </figcaption>
    </figure>
  );
}
