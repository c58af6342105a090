import type { IndexedProposal } from "@harmonie/sdk";

/** The indexer knows events; voting windows are compared with the clock (the governor's clock is timestamps). */
export function statusOf(p: IndexedProposal): string {
  if (p.status !== "PENDING") return p.status[0] + p.status.slice(1).toLowerCase();
  const now = BigInt(Math.floor(Date.now() / 1000));
  if (now < p.voteStart) return "Pending";
  if (now <= p.voteEnd) return "Active";
  return "Voting ended";
}
