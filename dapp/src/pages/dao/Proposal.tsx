import { castVote, executeProposal, getProposal, getProposalState, hasVoted, queueProposal } from "@harmonie/sdk";
import { useQuery } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { Link, useParams } from "react-router";
import { useAccount } from "wagmi";
import { core, dateOf } from "../../lib/format.ts";
import { Account } from "../../lib/people.tsx";
import { useHarmonie } from "../../lib/harmonie.tsx";
import { useReader, useWallet } from "../../lib/wallet.ts";
import { TxStatus, useTx } from "../../lib/tx.tsx";
import { usePageMeta } from "../../lib/meta.ts";
import { LoadError, Loading, NotFound } from "../../lib/states.tsx";
import { LongText, Name } from "../../lib/text.tsx";
import { ActionSentence, decodeAction } from "./actions.tsx";

type Support = "for" | "against" | "abstain";

export default function Proposal() {
  const { proposalId = "" } = useParams();
  const { indexerUrl, deployment } = useHarmonie();
  const reader = useReader();
  const wallet = useWallet();
  const tx = useTx();
  const [support, setSupport] = useState<Support>("for");
  const [reason, setReason] = useState("");
  const valid = /^\d+$/.test(proposalId);
  const id = valid ? BigInt(proposalId) : 0n;
  // Null, not undefined: a proposal the indexer has not seen is a not-found page.
  const proposal = useQuery({
    queryKey: ["proposal", proposalId],
    enabled: valid,
    queryFn: async () => (await getProposal(indexerUrl, { proposalId: id })) ?? null,
  });
  const state = useQuery({
    queryKey: ["proposal-state", proposalId],
    enabled: valid,
    queryFn: () => getProposalState(reader, { deployment, proposalId: id }),
    refetchInterval: 5_000,
  });
  const { address: me } = useAccount();
  const voted = useQuery({
    queryKey: ["has-voted", proposalId, me],
    enabled: valid && !!me && state.data === "Active",
    queryFn: () => hasVoted(reader, { deployment, proposalId: id, account: me! }),
  });
  const heading = proposal.data?.description.split("\n")[0];
  usePageMeta(
    heading ? `${heading} · DAO` : proposal.data === null || !valid ? "Proposal not found" : "Proposal · DAO",
    proposal.data?.description,
  );
  if (!valid)
    return (
      <NotFound title="Proposal not found">
        <p>
          “<Name text={proposalId} />” is not a proposal number.
        </p>
      </NotFound>
    );
  if (proposal.isPending) return <Loading what="the proposal" />;
  if (proposal.isError && !proposal.data)
    return (
      <>
        <p>
          <Link to="/dao">← All proposals</Link>
        </p>
        <h1>Proposal</h1>
        <LoadError what="This proposal" error={proposal.error} retry={() => void proposal.refetch()} />
      </>
    );
  const p = proposal.data;
  if (!p)
    return (
      <NotFound title="Proposal not found">
        <p>No proposal with this number is known. A proposal made a moment ago appears once the index has caught up.</p>
        <p>
          <Link to="/dao">All proposals</Link>
        </p>
      </NotFound>
    );
  const actions = { targets: p.targets, values: p.values, calldatas: p.calldatas, description: p.description };
  const total = p.forVotes + p.againstVotes + p.abstainVotes;
  const share = (v: bigint) => (total === 0n ? 0 : Number((v * 1000n) / total) / 10);

  const vote = (event: FormEvent) => {
    event.preventDefault();
    if (wallet)
      tx.run("Vote", () => castVote(wallet, { deployment, proposalId: id, support, reason: reason || undefined }));
  };

  return (
    <>
      <p>
        <Link to="/dao">← All proposals</Link>
      </p>
      <h1 className="proposal-title">
        <Name text={heading!} lines={4} />
      </h1>
      <p>
        <span className="badge" data-testid="proposal-state">
          {state.data ?? "…"}
        </span>{" "}
        proposed by <Account address={p.proposer} /> · voting {dateOf(p.voteStart)} – {dateOf(p.voteEnd)}
      </p>
      {p.description.includes("\n") && (
        <LongText text={p.description.split("\n").slice(1).join("\n").trim()} className="bio" lines={10} />
      )}
      <section className="panel" aria-labelledby="votes-heading">
        <h2 id="votes-heading">Votes ({p.voteCount})</h2>
        <dl className="votes">
          {(
            [
              ["For", p.forVotes],
              ["Against", p.againstVotes],
              ["Abstain", p.abstainVotes],
            ] as const
          ).map(([label, v]) => (
            <div key={label}>
              <dt>{label}</dt>
              <dd>
                <meter min={0} max={100} value={share(v)} aria-label={`${label}: ${share(v)}%`} /> {core(v, "votes")}
              </dd>
            </div>
          ))}
        </dl>
      </section>
      <section className="panel" aria-labelledby="actions-heading">
        <h2 id="actions-heading">What it does</h2>
        <ul className="actions" data-testid="proposal-actions">
          {p.targets.map((target, i) => {
            const action = decodeAction(deployment, target, p.values[i], p.calldatas[i]);
            return (
              <li key={i}>
                <span className="action-sentence">
                  <ActionSentence action={action} />
                </span>
                {/* The exact call, for voters who check what the timelock will execute. */}
                {action.call && <code className="action-call">{action.call}</code>}
              </li>
            );
          })}
        </ul>
      </section>
      {state.data === "Active" && voted.data === true && <p data-testid="voted">You have voted on this proposal.</p>}
      {state.data === "Active" && voted.data !== true && (
        <form className="panel form" onSubmit={vote} aria-labelledby="vote-heading">
          <h2 id="vote-heading">Your vote</h2>
          <fieldset>
            <legend>Support</legend>
            {(["for", "against", "abstain"] as const).map((s) => (
              <label key={s} className="check">
                <input type="radio" name="support" value={s} checked={support === s} onChange={() => setSupport(s)} />{" "}
                {s[0]!.toUpperCase() + s.slice(1)}
              </label>
            ))}
          </fieldset>
          <label>
            Reason (public, optional)
            <textarea value={reason} onChange={(e) => setReason(e.target.value)} rows={2} />
          </label>
          <button type="submit" disabled={!wallet || tx.busy}>
            Cast vote
          </button>
        </form>
      )}
      {state.data === "Succeeded" && (
        <button
          type="button"
          disabled={!wallet || tx.busy}
          onClick={() => tx.run("Queue", () => queueProposal(wallet!, { deployment, ...actions }))}
        >
          Queue in the timelock
        </button>
      )}
      {state.data === "Queued" && (
        <>
          {p.eta && <p>Executable after {dateOf(p.eta)}.</p>}
          <button
            type="button"
            disabled={!wallet || tx.busy}
            onClick={() => tx.run("Execute", () => executeProposal(wallet!, { deployment, ...actions }))}
          >
            Execute
          </button>
        </>
      )}
      <TxStatus state={tx.state} />
    </>
  );
}
