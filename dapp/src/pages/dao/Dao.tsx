import { type ProtocolStats, getProposals, getProtocolStats } from "@harmonie/sdk";
import { useQuery } from "@tanstack/react-query";
import { getBlock } from "viem/actions";
import type { ReactNode } from "react";
import { Link } from "react-router";
import { core, dateOf } from "../../lib/format.ts";
import { useHarmonie } from "../../lib/harmonie.tsx";
import { useAccount, useReader } from "../../lib/wallet.ts";
import { Account } from "../../lib/people.tsx";
import { usePageMeta } from "../../lib/meta.ts";
import { LoadError, Loading, Unknown } from "../../lib/states.tsx";
import { Name } from "../../lib/text.tsx";
import { ActionSentence, decodeAction } from "./actions.tsx";
import { CreateProposal } from "./CreateProposal.tsx";
import { StakePanel } from "./StakePanel.tsx";
import { ProposalStage } from "./stages.tsx";

const percent = (bps: number | null | undefined) => (bps == null ? "…" : `${bps / 100}%`);

/**
 * The fee in force, and a raise announced with the date it takes effect (artists' notice period).
 * `now` is the chain's time, which is what the contract compares with.
 */
function tipFee(stats: ProtocolStats | undefined, now: bigint | undefined) {
  if (!stats || now === undefined) return "…";
  const { tipFeeBps, tipFeePreviousBps, tipFeeEffectiveAt } = stats;
  const pending = tipFeeEffectiveAt !== null && tipFeeEffectiveAt > now;
  if (!pending || tipFeePreviousBps === null) return percent(tipFeeBps);
  return `${percent(tipFeePreviousBps)} → ${percent(tipFeeBps)} from ${dateOf(tipFeeEffectiveAt!)}`;
}

export default function Dao() {
  const { indexerUrl, deployment } = useHarmonie();
  const { address } = useAccount();
  const proposals = useQuery({ queryKey: ["proposals"], queryFn: () => getProposals(indexerUrl, { first: 50 }) });
  const protocol = useQuery({ queryKey: ["protocol"], queryFn: () => getProtocolStats(indexerUrl) });
  const reader = useReader();
  const chainTime = useQuery({ queryKey: ["chain-time"], queryFn: async () => (await getBlock(reader)).timestamp });
  usePageMeta("DAO", "HarmonieCORE's DAO: stake CORE for votes, delegate, and decide fees, grants and disputes.");
  // The indexer's figures: unknown (never 0) while it cannot be reached.
  const figure = (value: ReactNode) => (protocol.data ? value : protocol.isError ? <Unknown /> : "…");
  return (
    <>
      <h1>DAO</h1>
      <p className="lead">
        Stake CORE for hVOTE votes, delegate them, and decide fees, grants, disputed tracks and who may pay in which
        token. The timelock executes what passes.
      </p>
      <section className="panel" aria-labelledby="protocol-heading">
        <h2 id="protocol-heading">What the DAO governs</h2>
        <dl className="stats" data-testid="protocol">
          <div>
            <dt>Tipping fee</dt>
            <dd>{figure(tipFee(protocol.data, chainTime.data))}</dd>
          </div>
          <div>
            <dt>Licence fee</dt>
            <dd>{figure(percent(protocol.data?.licenseFeeBps))}</dd>
          </div>
          <div>
            <dt>CORE staked</dt>
            <dd>{figure(protocol.data && core(protocol.data.stakedSupply))}</dd>
          </div>
          <div>
            <dt>CORE tipped so far</dt>
            <dd>{figure(protocol.data && core(protocol.data.tipVolume))}</dd>
          </div>
        </dl>
      </section>
      {address ? <StakePanel account={address} /> : <p>Connect a wallet to stake, delegate and vote.</p>}
      <section aria-labelledby="proposals-heading">
        <h2 id="proposals-heading">Proposals</h2>
        {proposals.isError && !proposals.data && (
          <LoadError what="The proposals" error={proposals.error} retry={() => void proposals.refetch()} />
        )}
        {proposals.isPending && <Loading what="proposals" />}
        {proposals.data?.length === 0 && <p className="muted">No proposals yet.</p>}
        <ul className="list">
          {proposals.data?.map((p) => (
            <li key={String(p.proposalId)} className="row proposal-row">
              <Link to={`/dao/${p.proposalId}`} className="proposal-link">
                <Name text={p.description.split("\n")[0]!} lines={2} />
              </Link>
              <ProposalStage proposal={p} refetchMs={15_000} />
              <ul className="actions" aria-label="What it does">
                {p.targets.map((target, i) => (
                  <li key={i}>
                    <ActionSentence action={decodeAction(deployment, target, p.values[i], p.calldatas[i])} />
                  </li>
                ))}
              </ul>
              <span className="muted">
                by <Account address={p.proposer} /> · for {core(p.forVotes, "")}· against {core(p.againstVotes, "")}
              </span>
            </li>
          ))}
        </ul>
      </section>
      {address && <CreateProposal />}
    </>
  );
}
