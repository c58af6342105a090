import { getLicenseEarnings, getTipEarnings, withdrawLicenseEarnings, withdrawTips } from "@harmonie/sdk";
import { useQuery } from "@tanstack/react-query";
import { core } from "../../lib/format.ts";
import { useHarmonie } from "../../lib/harmonie.tsx";
import { useReader, useWallet } from "../../lib/wallet.ts";
import { TxStatus, useTx } from "../../lib/tx.tsx";

/** Earnings are credited on chain and pulled by the artist: nothing is ever pushed. */
export function Earnings({ account }: { account: `0x${string}` }) {
  const { deployment } = useHarmonie();
  const reader = useReader();
  const wallet = useWallet();
  const tx = useTx();
  const tips = useQuery({
    queryKey: ["tip-earnings", account],
    queryFn: () => getTipEarnings(reader, { deployment, artist: account }),
  });
  const licences = useQuery({
    queryKey: ["licence-earnings", account],
    queryFn: () => getLicenseEarnings(reader, { deployment, account }),
  });
  return (
    <section className="panel" aria-labelledby="earnings-heading">
      <h2 id="earnings-heading">Earnings</h2>
      <dl className="stats">
        <div>
          <dt>Tips (after fee)</dt>
          <dd data-testid="tips-withdrawable">{tips.data ? core(tips.data.net) : "…"}</dd>
        </div>
        <div>
          <dt>Licence revenue</dt>
          <dd>{licences.data !== undefined ? core(licences.data) : "…"}</dd>
        </div>
      </dl>
      {tips.data && tips.data.fee > 0n && <p className="muted">Platform fee at today's rate: {core(tips.data.fee)}.</p>}
      <div className="buttons">
        <button
          type="button"
          disabled={!wallet || tx.busy || !tips.data?.net}
          onClick={() => tx.run("Withdraw tips", () => withdrawTips(wallet!, { deployment }))}
        >
          Withdraw tips
        </button>
        <button
          type="button"
          disabled={!wallet || tx.busy || !licences.data}
          onClick={() => tx.run("Withdraw licence revenue", () => withdrawLicenseEarnings(wallet!, { deployment }))}
        >
          Withdraw licence revenue
        </button>
      </div>
      <TxStatus state={tx.state} />
    </section>
  );
}
