import {
  type PaymentToken,
  type TipShare,
  getLicenseEarnings,
  getTipEarnings,
  getTipSplit,
  paymentTokens,
  setTipSplit,
  withdrawLicenseEarnings,
  withdrawTips,
  protocolLimits,
} from "@harmonie/sdk";
import { useQuery } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { isAddress } from "viem";
import { amountOf, shortAddress } from "../../lib/format.ts";
import { useHarmonie } from "../../lib/harmonie.tsx";
import { useReader, useWallet } from "../../lib/wallet.ts";
import { TxStatus, useTx } from "../../lib/tx.tsx";
import { Unknown } from "../../lib/states.tsx";

/** Earnings are credited on chain and pulled by the artist: nothing is ever pushed. */
export function Earnings({ account }: { account: `0x${string}` }) {
  const { deployment } = useHarmonie();
  return (
    <section className="panel" aria-labelledby="earnings-heading">
      <h2 id="earnings-heading">Earnings</h2>
      <p className="muted">
        Per token, after the platform fee: tips (your own, your shares of splits and referrals) and licence revenue
        (your shares of your tracks' sales and resale royalties).
      </p>
      <ul className="list">
        {paymentTokens(deployment).map((token) => (
          <TokenEarnings key={token.address} account={account} token={token} />
        ))}
      </ul>
      <SplitForm account={account} />
    </section>
  );
}

function TokenEarnings({ account, token }: { account: `0x${string}`; token: PaymentToken }) {
  const { deployment } = useHarmonie();
  const reader = useReader();
  const wallet = useWallet();
  const tx = useTx();
  const tips = useQuery({
    // "tip-earnings" is refreshed by live tips (GoLive).
    queryKey: ["tip-earnings", account, token.address],
    queryFn: () => getTipEarnings(reader, { deployment, account, token: token.address }),
  });
  const licences = useQuery({
    queryKey: ["licence-earnings", account, token.address],
    queryFn: () => getLicenseEarnings(reader, { deployment, account, token: token.address }),
  });
  return (
    <li className="row token-earnings">
      <strong>{token.symbol}</strong>
      <span>
        Tips{" "}
        <span data-testid={`tips-withdrawable-${token.symbol}`}>
          {tips.data ? amountOf(tips.data.net, token) : tips.isError ? <Unknown /> : "…"}
        </span>
        {tips.data && tips.data.fee > 0n && (
          <span className="muted"> (fee at today's rate {amountOf(tips.data.fee, token)})</span>
        )}
      </span>
      <button
        type="button"
        disabled={!wallet || tx.busy || !tips.data?.net}
        onClick={() =>
          tx.run(`Withdraw ${token.symbol} tips`, () => withdrawTips(wallet!, { deployment, token: token.address }))
        }
      >
        Withdraw {token.symbol} tips
      </button>
      <span>
        Licences{" "}
        <span data-testid={`licences-withdrawable-${token.symbol}`}>
          {licences.data !== undefined ? amountOf(licences.data, token) : licences.isError ? <Unknown /> : "…"}
        </span>
      </span>
      <button
        type="button"
        disabled={!wallet || tx.busy || !licences.data}
        onClick={() =>
          tx.run(`Withdraw ${token.symbol} licence revenue`, () =>
            withdrawLicenseEarnings(wallet!, { deployment, token: token.address }),
          )
        }
      >
        Withdraw {token.symbol} licence revenue
      </button>
      <TxStatus state={tx.state} />
    </li>
  );
}

/** Routes the artist's tips (all of them, or one live session's) to a split: band, guest, venue. */
function SplitForm({ account }: { account: `0x${string}` }) {
  const { deployment } = useHarmonie();
  const reader = useReader();
  const wallet = useWallet();
  const tx = useTx();
  const current = useQuery({
    queryKey: ["tip-split", account],
    queryFn: () => getTipSplit(reader, { deployment, artist: account }),
  });
  const [text, setText] = useState("");
  const parsed = parseShares(text || `${account} 100`);

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (!wallet || typeof parsed === "string") return;
    await tx.run("Set tip split", () => setTipSplit(wallet, { deployment, shares: parsed }));
  }

  return (
    <form className="form" onSubmit={submit} aria-labelledby="split-heading">
      <h3 id="split-heading">Tip split</h3>
      {current.data && current.data.length > 0 ? (
        <ul className="list" data-testid="current-split">
          {current.data.map((share) => (
            <li key={share.recipient}>
              {shortAddress(share.recipient)} · {share.bps / 100}%
            </li>
          ))}
        </ul>
      ) : (
        <p className="muted">Your tips go to you alone.</p>
      )}
      <label>
        Recipients: one per line, an address and a percentage (up to 16, summing to 100)
        <textarea
          rows={3}
          value={text}
          onChange={(e) => setText(e.target.value)}
          placeholder={`${account} 70\n0x… 30`}
          aria-invalid={typeof parsed === "string"}
          aria-describedby="split-check"
        />
      </label>
      <p id="split-check" className={typeof parsed === "string" ? "error" : "muted"}>
        {typeof parsed === "string" ? parsed : `${parsed.length} recipient(s), 100%`}
      </p>
      <div className="buttons">
        <button type="submit" disabled={!wallet || tx.busy || typeof parsed === "string"}>
          Save split
        </button>
        <button
          type="button"
          disabled={!wallet || tx.busy || !current.data?.length}
          onClick={() => tx.run("Remove tip split", () => setTipSplit(wallet!, { deployment, shares: [] }))}
        >
          Remove split
        </button>
      </div>
      <TxStatus state={tx.state} />
    </form>
  );
}

/** "0xabc… 70" lines → shares in basis points, or what is wrong with them. */
function parseShares(text: string): TipShare[] | string {
  const shares: TipShare[] = [];
  for (const line of text
    .split("\n")
    .map((l) => l.trim())
    .filter(Boolean)) {
    const [recipient, percent] = line.split(/[\s,]+/);
    if (!recipient || !isAddress(recipient)) return `“${line.slice(0, 60)}” does not start with an address.`;
    const bps = Math.round(Number(percent) * 100);
    if (!Number.isFinite(bps) || bps <= 0) return `“${line.slice(0, 60)}” needs a positive percentage.`;
    shares.push({ recipient, bps });
  }
  const total = shares.reduce((sum, s) => sum + s.bps, 0);
  const { MAX_SPLIT_RECIPIENTS, BPS } = protocolLimits.HarmonieTipping;
  if (shares.length === 0 || shares.length > MAX_SPLIT_RECIPIENTS)
    return `A split has 1 to ${MAX_SPLIT_RECIPIENTS} recipients.`;
  if (total !== BPS) return `The shares add up to ${(total * 100) / BPS}%, not 100%.`;
  return shares;
}
