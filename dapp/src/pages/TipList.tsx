import { amountOf, dateOf } from "../lib/format.ts";
import { Account } from "../lib/people.tsx";
import type { ShownTip } from "../lib/sent-tips.ts";
import { cleanText } from "../lib/text.tsx";

/** Tips with their messages, fans by handle. Messages are user content: rendered as text, never as HTML, in their own direction. */
export function TipList({ tips, empty }: { tips: ShownTip[]; empty: string }) {
  if (tips.length === 0) return <p className="muted">{empty}</p>;
  return (
    <ol className="tips" data-testid="tips">
      {tips.map((tip) => (
        <li key={tip.id} className="tip">
          <span className="tip-amount">{amountOf(tip.amount, tip.token)}</span>
          <span className="muted">
            from <Account address={tip.from} /> · <time>{dateOf(tip.timestamp)}</time>
            {tip.sentHere && <span data-testid="tip-sent-here"> · sent ✓ (the index will list it shortly)</span>}
          </span>
          {tip.message && (
            <p className="tip-message" dir="auto">
              {cleanText(tip.message)}
            </p>
          )}
        </li>
      ))}
    </ol>
  );
}
