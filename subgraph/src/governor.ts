import { Address, BigInt, Bytes, ethereum } from "@graphprotocol/graph-ts";
import {
  LateQuorumVoteExtensionSet,
  ProposalCanceled,
  ProposalCreated as ProposalCreatedEvent,
  ProposalExecuted,
  ProposalExtended,
  ProposalGuardianSet,
  ProposalQueued,
  ProposalThresholdSet,
  QuorumFloorUpdated,
  QuorumNumeratorUpdated,
  TimelockChange,
  VoteCast as VoteCastEvent,
  VoteCastWithParams,
  VotingDelaySet,
  VotingPeriodSet,
} from "../generated/HarmonieGovernor/HarmonieGovernor";
import { GuardianAction, GuardianChange, Proposal, ProposalCreated, Protocol, VoteCast } from "../generated/schema";
import {
  createEventId,
  loadOrCreateAccount,
  loadProtocol,
  loadProtocolDailyStats,
  nonZero,
  setEventFields,
} from "./utils";

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

  let protocol = loadProtocol();
  // The settings in force now; a change before the snapshot updates them (updateUpcomingSnapshots).
  proposal.quorumFloor = protocol.quorumFloor;
  proposal.quorumNumerator = protocol.quorumNumerator;
  proposal.save();

  let row = new ProposalCreated(createEventId(event));
  setEventFields(row, event);
  row.proposal = proposal.id;
  row.proposer = proposer.id;
  row.save();

  let upcoming = upcomingSnapshots(protocol.upcomingSnapshots, event.block.timestamp);
  upcoming.push(proposal.id);
  protocol.upcomingSnapshots = upcoming;
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
  let guardian = loadProtocol().guardian;
  let canceler = cancelerOf(event, proposal, guardian);
  proposal.status = "CANCELED";
  proposal.canceledAt = event.block.timestamp;
  proposal.canceledBy = canceler;
  proposal.canceledTransaction = event.transaction.hash;
  proposal.save();

  if (canceler == "GUARDIAN") {
    let action = new GuardianAction(createEventId(event));
    setEventFields(action, event);
    action.kind = "CANCEL";
    action.guardian = guardian!;
    action.proposal = proposal.id;
    action.save();
  }
}

/**
 * Who canceled: the governor only lets the guardian and the proposer cancel, and does not say which.
 * With no guardian, only the proposer can; with one, only the guardian once voting has started (the
 * proposal is Pending while `now <= voteStart`). While pending, the transaction tells: its sender (an
 * EOA) or its recipient (a multisig's execTransaction) is the guardian or the proposer. Null if neither.
 */
function cancelerOf(event: ethereum.Event, proposal: Proposal, guardian: Bytes | null): string | null {
  if (guardian === null) return "PROPOSER";
  if (event.block.timestamp.gt(proposal.voteStart)) return "GUARDIAN";
  if (sentByOrTo(event, guardian)) return "GUARDIAN";
  if (sentByOrTo(event, Address.fromString(proposal.proposer))) return "PROPOSER";
  return null;
}

/** Whether the event's transaction was sent by `account` or to it. */
function sentByOrTo(event: ethereum.Event, account: Bytes): boolean {
  if (event.transaction.from.equals(account)) return true;
  let to = event.transaction.to;
  return to !== null && to.equals(account);
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
  updateUpcomingSnapshots(protocol, event);
  protocol.save();
}

export function handleQuorumFloorUpdated(event: QuorumFloorUpdated): void {
  let protocol = loadProtocol();
  protocol.quorumFloor = event.params.newFloor;
  updateUpcomingSnapshots(protocol, event);
  protocol.save();
}

export function handleProposalGuardianSet(event: ProposalGuardianSet): void {
  let guardian = nonZero(event.params.newProposalGuardian);
  let change = new GuardianChange(createEventId(event));
  setEventFields(change, event);
  change.previousGuardian = nonZero(event.params.oldProposalGuardian);
  change.guardian = guardian;
  change.save();

  let protocol = loadProtocol();
  protocol.guardian = guardian;
  protocol.guardianSetAt = event.block.timestamp;
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

/**
 * The governor checkpoints the quorum numerator and floor at the time of the change and looks them up
 * at a proposal's snapshot: a change at time t applies to every proposal with voteStart >= t, including
 * ones already created. Updates those proposals from Protocol's current settings (already set by the
 * caller) and forgets the ones whose snapshot has passed.
 */
function updateUpcomingSnapshots(protocol: Protocol, event: ethereum.Event): void {
  let upcoming = upcomingSnapshots(protocol.upcomingSnapshots, event.block.timestamp);
  for (let i = 0; i < upcoming.length; i++) {
    let proposal = Proposal.load(upcoming[i])!;
    proposal.quorumFloor = protocol.quorumFloor;
    proposal.quorumNumerator = protocol.quorumNumerator;
    proposal.save();
  }
  protocol.upcomingSnapshots = upcoming;
}

/** The proposals of `ids` whose snapshot is at or after `now` (a setting change at `now` applies to them). */
function upcomingSnapshots(ids: string[], now: BigInt): string[] {
  let kept = new Array<string>();
  for (let i = 0; i < ids.length; i++) {
    let proposal = Proposal.load(ids[i]);
    if (proposal != null && proposal.voteStart.ge(now)) kept.push(ids[i]);
  }
  return kept;
}
