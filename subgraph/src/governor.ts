import { Address, BigInt, Bytes, ethereum } from "@graphprotocol/graph-ts";
import {
  LateQuorumVoteExtensionSet,
  ProposalCanceled,
  ProposalCreated as ProposalCreatedEvent,
  ProposalExecuted,
  ProposalExtended,
  ProposalQueued,
  ProposalThresholdSet,
  QuorumNumeratorUpdated,
  TimelockChange,
  VoteCast as VoteCastEvent,
  VoteCastWithParams,
  VotingDelaySet,
  VotingPeriodSet,
} from "../generated/HarmonieGovernor/HarmonieGovernor";
import { Proposal, ProposalCreated, VoteCast } from "../generated/schema";
import { createEventId, loadOrCreateAccount, loadProtocol, loadProtocolDailyStats, setEventFields } from "./utils";

// HarmonieGovernor (OpenZeppelin Governor, simple counting, timestamp clock). Statuses that no event
// announces (active, succeeded, defeated, expired) are left to clients: see ProposalStatus.

/** GovernorCountingSimple's `support` values, by index. */
const SUPPORT = ["AGAINST", "FOR", "ABSTAIN"];

export function handleProposalCreated(event: ProposalCreatedEvent): void {
  let proposer = loadOrCreateAccount(event.params.proposer);

  let targets = new Array<Bytes>();
  for (let i = 0; i < event.params.targets.length; i++) targets.push(event.params.targets[i]);

  let proposal = new Proposal(event.params.proposalId.toString());
  proposal.proposer = proposer.id;
  proposal.description = event.params.description;
  proposal.targets = targets;
  proposal.values = event.params.values;
  proposal.signatures = event.params.signatures;
  proposal.calldatas = event.params.calldatas;
  proposal.voteStart = event.params.voteStart;
  proposal.voteEnd = event.params.voteEnd;
  proposal.status = "PENDING";
  proposal.forVotes = BigInt.zero();
  proposal.againstVotes = BigInt.zero();
  proposal.abstainVotes = BigInt.zero();
  proposal.voteCount = 0;
  proposal.createdAt = event.block.timestamp;
  proposal.save();

  let row = new ProposalCreated(createEventId(event));
  setEventFields(row, event);
  row.proposal = proposal.id;
  row.proposer = proposer.id;
  row.save();

  let protocol = loadProtocol();
  protocol.proposalCount += 1;
  protocol.save();

  let day = loadProtocolDailyStats(event);
  day.proposalsCreated += 1;
  day.save();
}

export function handleVoteCast(event: VoteCastEvent): void {
  let p = event.params;
  recordVote(event, p.voter, p.proposalId, p.support, p.weight, p.reason, null);
}

export function handleVoteCastWithParams(event: VoteCastWithParams): void {
  let p = event.params;
  recordVote(event, p.voter, p.proposalId, p.support, p.weight, p.reason, p.params);
}

export function handleProposalExtended(event: ProposalExtended): void {
  let proposal = Proposal.load(event.params.proposalId.toString())!;
  proposal.voteEnd = event.params.extendedDeadline;
  proposal.save();
}

export function handleProposalQueued(event: ProposalQueued): void {
  let proposal = Proposal.load(event.params.proposalId.toString())!;
  proposal.status = "QUEUED";
  proposal.eta = event.params.etaSeconds;
  proposal.queuedAt = event.block.timestamp;
  proposal.queuedTransaction = event.transaction.hash;
  proposal.save();
}

export function handleProposalExecuted(event: ProposalExecuted): void {
  let proposal = Proposal.load(event.params.proposalId.toString())!;
  proposal.status = "EXECUTED";
  proposal.executedAt = event.block.timestamp;
  proposal.save();
}

export function handleProposalCanceled(event: ProposalCanceled): void {
  let proposal = Proposal.load(event.params.proposalId.toString())!;
  proposal.status = "CANCELED";
  proposal.canceledAt = event.block.timestamp;
  proposal.save();
}

// Settings: the constructor emits each of these, so Protocol has them from the start block on.

export function handleVotingDelaySet(event: VotingDelaySet): void {
  let protocol = loadProtocol();
  protocol.votingDelay = event.params.newVotingDelay;
  protocol.save();
}

export function handleVotingPeriodSet(event: VotingPeriodSet): void {
  let protocol = loadProtocol();
  protocol.votingPeriod = event.params.newVotingPeriod;
  protocol.save();
}

export function handleProposalThresholdSet(event: ProposalThresholdSet): void {
  let protocol = loadProtocol();
  protocol.proposalThreshold = event.params.newProposalThreshold;
  protocol.save();
}

export function handleQuorumNumeratorUpdated(event: QuorumNumeratorUpdated): void {
  let protocol = loadProtocol();
  protocol.quorumNumerator = event.params.newQuorumNumerator;
  protocol.save();
}

export function handleLateQuorumVoteExtensionSet(event: LateQuorumVoteExtensionSet): void {
  let protocol = loadProtocol();
  protocol.lateQuorumVoteExtension = event.params.newVoteExtension;
  protocol.save();
}

export function handleTimelockChange(event: TimelockChange): void {
  let protocol = loadProtocol();
  protocol.timelock = event.params.newTimelock;
  protocol.save();
}

function recordVote(
  event: ethereum.Event,
  voterAddress: Address,
  proposalId: BigInt,
  support: i32,
  weight: BigInt,
  reason: string,
  params: Bytes | null,
): void {
  let voter = loadOrCreateAccount(voterAddress);
  let proposal = Proposal.load(proposalId.toString())!;
  if (support == 0) proposal.againstVotes = proposal.againstVotes.plus(weight);
  else if (support == 1) proposal.forVotes = proposal.forVotes.plus(weight);
  else proposal.abstainVotes = proposal.abstainVotes.plus(weight);
  proposal.voteCount += 1;
  proposal.save();

  let vote = new VoteCast(createEventId(event));
  setEventFields(vote, event);
  vote.proposal = proposal.id;
  vote.voter = voter.id;
  vote.support = SUPPORT[support];
  vote.weight = weight;
  vote.reason = reason;
  vote.params = params;
  vote.save();

  let day = loadProtocolDailyStats(event);
  day.votesCast += 1;
  day.save();
}
