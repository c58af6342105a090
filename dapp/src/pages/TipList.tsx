import type { IndexedTip } from "@harmonie/sdk";
import { amountOf, dateOf, shortAddress } from "../lib/format.ts";

/** Tips with their messages. Messages are user content: rendered as text, never as HTML. */
export function TipList({ tips, empty }: { tips: IndexedTip[]; empty: string }) {
  if (tips.length === 0) return <p className="muted">{empty}</p>;
  return (
    <ol className="tips" data-testid="tips">
      {tips.map((tip) => (
        <li key={tip.id} className="tip">
          <span className="tip-amount">{amountOf(tip.amount, tip.token)}</span>
          <span className="muted">
            from {shortAddress(tip.from)} · <time>{dateOf(tip.timestamp)}</time>
          </span>
          {tip.message && <p className="tip-message">{tip.message}</p>}
        </li>
      ))}
    </ol>
  );
}
