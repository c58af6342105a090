/**
 * A proposal's stage as the governor says it, the same label on the list and the proposal page, and
 * the time to its next step by the chain's clock (the governor's clock is block timestamps).
 */
import { type IndexedProposal, getProposalState } from "@harmonie/sdk";
import { useQuery } from "@tanstack/react-query";
import { getBlock } from "viem/actions";
import { useEffect, useState } from "react";
import { dateOf } from "../../lib/format.ts";
import { useHarmonie } from "../../lib/harmonie.tsx";
import { useReader } from "../../lib/wallet.ts";

/** The governor's state of a proposal (Pending, Active, Succeeded, Queued, Executed…). */
export function useProposalState(proposalId: bigint, refetchMs = 5_000, enabled = true) {
  const { deployment } = useHarmonie();
  const reader = useReader();
  return useQuery({
    queryKey: ["proposal-state", String(proposalId)],
    enabled,
    queryFn: () => getProposalState(reader, { deployment, proposalId }),
    refetchInterval: refetchMs,
  });
}

/** The chain's time now, ticking each second between reads of the latest block. */
export function useChainNow(): bigint | undefined {
  const reader = useReader();
  const block = useQuery({
    queryKey: ["chain-time"],
    queryFn: async () => (await getBlock(reader)).timestamp,
    refetchInterval: 15_000,
  });
  const [, tick] = useState(0);
  useEffect(() => {
    const timer = setInterval(() => tick((n) => n + 1), 1_000);
    return () => clearInterval(timer);
  }, []);
  if (block.data === undefined) return undefined;
  return block.data + BigInt(Math.max(0, Math.floor((Date.now() - block.dataUpdatedAt) / 1_000)));
}

/** "2 days 4 hours", "3 min 20 s", "12 s". */
export function countdown(seconds: bigint): string {
  const s = Number(seconds < 0n ? 0n : seconds);
  const [d, h, m] = [Math.floor(s / 86_400), Math.floor((s % 86_400) / 3_600), Math.floor((s % 3_600) / 60)];
  if (d > 0) return `${d} day${d === 1 ? "" : "s"}${h ? ` ${h} hour${h === 1 ? "" : "s"}` : ""}`;
  if (h > 0) return `${h} hour${h === 1 ? "" : "s"}${m ? ` ${m} min` : ""}`;
  if (m > 0) return `${m} min ${String(s % 60).padStart(2, "0")} s`;
  return `${s} s`;
}

/** What happens next and when: "Voting ends in 3 min 20 s", "Executable in 45 s". */
export function nextStep(
  p: Pick<IndexedProposal, "voteStart" | "voteEnd" | "eta">,
  state: string | undefined,
  now: bigint | undefined,
): string | undefined {
  if (!state || now === undefined) return undefined;
  switch (state) {
    case "Pending":
      return p.voteStart > now ? `Voting starts in ${countdown(p.voteStart - now)}` : "Voting starts now";
    case "Active":
      return p.voteEnd > now ? `Voting ends in ${countdown(p.voteEnd - now)}` : "Voting is closing";
    case "Succeeded":
      return "Passed: it can be queued in the timelock now";
    case "Queued":
      return p.eta && p.eta > now ? `Executable in ${countdown(p.eta - now)}` : "Executable now";
    case "Defeated":
      return `Did not pass (voting ended ${dateOf(p.voteEnd)})`;
    case "Expired":
      return "Expired: it was not executed in time";
    default:
      return undefined;
  }
}

/** The state badge and the next step: one label per state wherever a proposal is shown. */
export function ProposalStage({ proposal, refetchMs }: { proposal: IndexedProposal; refetchMs?: number }) {
  const state = useProposalState(proposal.proposalId, refetchMs);
  const now = useChainNow();
  const step = nextStep(proposal, state.data, now);
  return (
    <>
      <span className="badge" data-testid="proposal-state">
        {state.data ?? (state.isError ? "State unknown" : "…")}
      </span>
      {step && (
        <span className="muted stage" data-testid="proposal-next">
          {step}
        </span>
      )}
    </>
  );
}
