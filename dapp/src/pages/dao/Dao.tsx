import { getProposals, getProtocolStats } from "@harmonie/sdk";
import { useQuery } from "@tanstack/react-query";
import { Link } from "react-router";
import { useAccount } from "wagmi";
import { describeError } from "../../lib/errors.ts";
import { core, shortAddress } from "../../lib/format.ts";
import { useHarmonie } from "../../lib/harmonie.tsx";
import { CreateProposal } from "./CreateProposal.tsx";
import { StakePanel } from "./StakePanel.tsx";
import { statusOf } from "./status.ts";

export default function Dao() {
  const { indexerUrl } = useHarmonie();
  const { address } = useAccount();
  const proposals = useQuery({ queryKey: ["proposals"], queryFn: () => getProposals(indexerUrl, { first: 50 }) });
  const protocol = useQuery({ queryKey: ["protocol"], queryFn: () => getProtocolStats(indexerUrl) });
  const percent = (bps: number | null | undefined) => (bps == null ? "…" : `${bps / 100}%`);
  return (
    <>
      <h1>DAO</h1>
      <p className="lead">
        Stake CORE for stCORE votes, delegate them, and decide fees and grants. The timelock executes what passes.
      </p>
      <section className="panel" aria-labelledby="protocol-heading">
        <h2 id="protocol-heading">What the DAO governs</h2>
        <dl className="stats" data-testid="protocol">
          <div>
            <dt>Tipping fee</dt>
            <dd>{percent(protocol.data?.tipFeeBps)}</dd>
          </div>
          <div>
            <dt>Licence fee</dt>
            <dd>{percent(protocol.data?.licenseFeeBps)}</dd>
          </div>
          <div>
            <dt>CORE staked</dt>
            <dd>{protocol.data ? core(protocol.data.stakedSupply) : "…"}</dd>
          </div>
          <div>
            <dt>Tips so far</dt>
            <dd>{protocol.data ? core(protocol.data.tipVolume) : "…"}</dd>
          </div>
        </dl>
      </section>
      {address ? <StakePanel account={address} /> : <p>Connect a wallet to stake, delegate and vote.</p>}
      <section aria-labelledby="proposals-heading">
        <h2 id="proposals-heading">Proposals</h2>
        {proposals.isError && <p role="alert">{describeError(proposals.error)}</p>}
        {proposals.data?.length === 0 && <p className="muted">No proposals yet.</p>}
        <ul className="list">
          {proposals.data?.map((p) => (
            <li key={String(p.proposalId)} className="row proposal-row">
              <Link to={`/dao/${p.proposalId}`}>{p.description.split("\n")[0]}</Link>
              <span className="badge">{statusOf(p)}</span>
              <span className="muted">
                by {shortAddress(p.proposer)} · for {core(p.forVotes, "")}· against {core(p.againstVotes, "")}
              </span>
            </li>
          ))}
        </ul>
      </section>
      {address && <CreateProposal />}
    </>
  );
}
