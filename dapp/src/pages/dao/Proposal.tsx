import {
  type IndexedProposal,
  castVote,
  executeProposal,
  getProposal,
  getProposalQuorum,
  getProposalVotes,
  hasVoted,
  queueProposal,
} from "@harmonie/sdk";
import { useQuery } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { Link, useParams } from "react-router";
import { core, dateOf, shortAddress } from "../../lib/format.ts";
import { Account } from "../../lib/people.tsx";
import { useHarmonie } from "../../lib/harmonie.tsx";
import { useAccount, useReader, useWallet } from "../../lib/wallet.ts";
import { TxStatus, useTx } from "../../lib/tx.tsx";
import { usePageMeta } from "../../lib/meta.ts";
import { LoadError, Loading, NotFound } from "../../lib/states.tsx";
import { LongText, Name, cleanText } from "../../lib/text.tsx";
import { ProposalStage, useProposalState } from "./stages.tsx";
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
  const state = useProposalState(id, 5_000, valid);
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
      <p className="proposal-meta">
        <ProposalStage proposal={p} />
        <span>
          proposed by <Account address={p.proposer} /> · voting {dateOf(p.voteStart)} – {dateOf(p.voteEnd)}
        </span>
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
        <Quorum proposal={p} />
        <VoteList proposalId={p.proposalId} voteCount={p.voteCount} />
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

/** For + abstain votes against the quorum fixed at the proposal's snapshot. */
function Quorum({ proposal: p }: { proposal: IndexedProposal }) {
  const { deployment } = useHarmonie();
  const reader = useReader();
  const quorum = useQuery({
    queryKey: ["proposal-quorum", String(p.proposalId)],
    queryFn: () => getProposalQuorum(reader, { deployment, proposalId: p.proposalId }),
    // Known once voting starts: until then, ask again now and then.
    refetchInterval: (query) => (query.state.data && query.state.data.quorum === null ? 5_000 : false),
  });
  const counted = p.forVotes + p.abstainVotes;
  if (quorum.isError) return <p className="muted">The quorum can't be read right now.</p>;
  if (!quorum.data) return <p className="muted">Quorum: …</p>;
  const needed = quorum.data.quorum;
  if (needed === null)
    return (
      <p className="muted" data-testid="quorum">
        Quorum: fixed when voting starts ({dateOf(quorum.data.snapshot)}), as a share of the votes staked then.
      </p>
    );
  const reached = counted >= needed;
  const percent = needed === 0n ? 100 : Math.min(100, Number((counted * 1000n) / needed) / 10);
  return (
    <div className="quorum" data-testid="quorum">
      <p>
        Quorum: {core(counted, "")}of {core(needed, "votes")} (for and abstain count) ·{" "}
        {reached ? <strong className="ok">reached</strong> : <>{core(needed - counted, "")}more needed</>}
      </p>
      <meter min={0} max={100} value={percent} aria-label={`Quorum ${percent}% reached`} />
    </div>
  );
}

const SUPPORT_WORDS = { FOR: "for", AGAINST: "against", ABSTAIN: "abstained" } as const;

/** Who voted how, heaviest first, with their public reasons. */
function VoteList({ proposalId, voteCount }: { proposalId: bigint; voteCount: number }) {
  const { indexerUrl } = useHarmonie();
  const votes = useQuery({
    queryKey: ["proposal-votes", String(proposalId), voteCount],
    queryFn: () => getProposalVotes(indexerUrl, { proposalId }),
  });
  if (voteCount === 0) return <p className="muted">No votes yet.</p>;
  if (votes.isError) return <LoadError what="The votes" error={votes.error} retry={() => void votes.refetch()} />;
  if (!votes.data) return <p className="muted">Loading the votes…</p>;
  return (
    <ul className="vote-list" data-testid="vote-list">
      {votes.data.map((v) => (
        <li key={v.transactionHash}>
          <span title={v.voter}>{v.voterHandle ? <Name text={`@${v.voterHandle}`} /> : shortAddress(v.voter)}</span>{" "}
          voted {SUPPORT_WORDS[v.support]} <span className="muted">· {core(v.weight, "votes")}</span>
          {v.reason && (
            <p className="vote-reason" dir="auto">
              “{cleanText(v.reason)}”
            </p>
          )}
        </li>
      ))}
    </ul>
  );
}
