/** The DAO as indexed: proposals, the guardian's record, pauses. */
import type { Address } from "viem";
import type {
  Account,
  GuardianAction,
  GuardianChange,
  PausableContract,
  PauseChange,
  Proposal,
  Protocol,
  VoteCast,
  VoteSupport,
} from "../generated/subgraph.ts";
import { type Row, address, big, bigOrNull, pageSize, queryIndexer } from "./core.ts";

export interface IndexedProposal {
  proposalId: bigint;
  proposer: Address;
  description: string;
  targets: Address[];
  values: bigint[];
  calldatas: `0x${string}`[];
  /** From events: PENDING until queued, executed or canceled; compare `voteStart`/`voteEnd` with now for Active. */
  status: Proposal["status"];
  voteStart: bigint;
  voteEnd: bigint;
  eta: bigint | null;
  forVotes: bigint;
  againstVotes: bigint;
  abstainVotes: bigint;
  voteCount: number;
  /**
   * The quorum floor at the proposal's snapshot (`voteStart`): the fewest for + abstain votes it needs.
   * A floor set after creation but by the snapshot applies. The quorum is
   * `max(quorumNumerator × hVOTE supply at voteStart / 100, quorumFloor)`.
   */
  quorumFloor: bigint | null;
  /** The quorum numerator (percent of the hVOTE supply) at the snapshot. */
  quorumNumerator: bigint | null;
  /**
   * Who canceled it: the proposal guardian or its proposer; null unless `CANCELED` (or, rarely, when a
   * cancellation while pending came through a relayer and the indexer cannot tell).
   */
  canceledBy: Proposal["canceledBy"];
  canceledAt: bigint | null;
}

const PROPOSAL_FIELDS = `id proposer { id } description targets values calldatas status voteStart voteEnd eta forVotes againstVotes abstainVotes voteCount
  quorumFloor quorumNumerator canceledBy canceledAt`;
type RawProposal = Row<
  Proposal,
  | "id"
  | "proposer"
  | "description"
  | "targets"
  | "values"
  | "calldatas"
  | "status"
  | "voteStart"
  | "voteEnd"
  | "eta"
  | "forVotes"
  | "againstVotes"
  | "abstainVotes"
  | "voteCount"
  | "quorumFloor"
  | "quorumNumerator"
  | "canceledBy"
  | "canceledAt"
>;
const toProposal = (p: RawProposal): IndexedProposal => ({
  proposalId: big(p.id),
  proposer: address(p.proposer.id),
  description: p.description,
  targets: p.targets.map(address),
  values: p.values.map(big),
  calldatas: p.calldatas,
  status: p.status,
  voteStart: big(p.voteStart),
  voteEnd: big(p.voteEnd),
  eta: bigOrNull(p.eta),
  forVotes: big(p.forVotes),
  againstVotes: big(p.againstVotes),
  abstainVotes: big(p.abstainVotes),
  voteCount: p.voteCount,
  quorumFloor: bigOrNull(p.quorumFloor),
  quorumNumerator: bigOrNull(p.quorumNumerator),
  canceledBy: p.canceledBy,
  canceledAt: bigOrNull(p.canceledAt),
});

/**
 * DAO proposals, newest first, with each one's quorum settings at its snapshot and who canceled it.
 *
 * v2: `quorumFloor`, `quorumNumerator`, `canceledBy`, `canceledAt`.
 *
 * @example
 * const proposals = await getProposals(indexerUrl, { first: 50 });
 */
export async function getProposals(
  url: string,
  params: { first?: number; skip?: number } = {},
): Promise<IndexedProposal[]> {
  const { proposals } = await queryIndexer<{ proposals: RawProposal[] }>(
    url,
    `query Proposals($first: Int, $skip: Int) {
      proposals(first: $first, skip: $skip, orderBy: createdAt, orderDirection: desc) { ${PROPOSAL_FIELDS} }
    }`,
    { first: params.first ?? 20, skip: params.skip ?? 0 },
  );
  return proposals.map(toProposal);
}

/**
 * One proposal by id, in one query. Undefined if the indexer has not seen it.
 *
 * @example
 * const proposal = await getProposal(indexerUrl, { proposalId });
 */
export async function getProposal(url: string, params: { proposalId: bigint }): Promise<IndexedProposal | undefined> {
  const { proposal } = await queryIndexer<{ proposal: RawProposal | null }>(
    url,
    `query Proposal($id: ID!) { proposal(id: $id) { ${PROPOSAL_FIELDS} } }`,
    { id: params.proposalId.toString() },
  );
  return proposal ? toProposal(proposal) : undefined;
}

/** One vote on a proposal, with the voter's public reason. */
export interface IndexedVote {
  voter: Address;
  /** The voter's handle; null without a profile. */
  voterHandle: string | null;
  support: VoteSupport;
  /** hVOTE voting power used (at the proposal's snapshot). */
  weight: bigint;
  /** May be empty. */
  reason: string;
  timestamp: bigint;
  transactionHash: `0x${string}`;
}

type RawVote = Row<
  VoteCast,
  "support" | "weight" | "reason" | "timestamp" | "transactionHash",
  { voter: Row<Account, "id" | "handle"> }
>;

/**
 * The votes cast on a proposal, heaviest first, with reasons and voters' handles.
 *
 * @example
 * const votes = await getProposalVotes(indexerUrl, { proposalId });
 * for (const v of votes) if (v.reason) console.log(`${v.voterHandle ?? v.voter} (${v.support}): ${v.reason}`);
 */
export async function getProposalVotes(
  url: string,
  params: { proposalId: bigint; first?: number },
): Promise<IndexedVote[]> {
  const { voteCasts } = await queryIndexer<{ voteCasts: RawVote[] }>(
    url,
    `query ProposalVotes($proposal: String!, $first: Int) {
      voteCasts(where: { proposal: $proposal }, first: $first, orderBy: weight, orderDirection: desc) {
        support weight reason timestamp transactionHash voter { id handle }
      }
    }`,
    { proposal: params.proposalId.toString(), first: pageSize(params.first, 100) },
  );
  return voteCasts.map((v) => ({
    voter: address(v.voter.id),
    voterHandle: v.voter.handle,
    support: v.support,
    weight: big(v.weight),
    reason: v.reason,
    timestamp: big(v.timestamp),
    transactionHash: v.transactionHash,
  }));
}

/** A contract with an emergency brake, as the subgraph names it. */
export type IndexedPausableContract = PausableContract;

/** Something the proposal guardian did. */
export interface IndexedGuardianAction {
  kind: GuardianAction["kind"];
  /** The guardian at the time. */
  guardian: Address;
  /** PAUSE: what it paused. */
  contract: IndexedPausableContract | null;
  /** CANCEL: the proposal it canceled. */
  proposalId: bigint | null;
  timestamp: bigint;
  transactionHash: `0x${string}`;
}

export interface GuardianActivity {
  /** The guardian now; null if there is none (proposers may then cancel their own proposals). */
  guardian: Address | null;
  /** When it was set (or removed); null before the governor's deployment is indexed. */
  guardianSetAt: bigint | null;
  /** Who held the role, newest first: the first entry is the governor's constructor (null = none). */
  changes: {
    previousGuardian: Address | null;
    guardian: Address | null;
    timestamp: bigint;
    transactionHash: `0x${string}`;
  }[];
  /** The guardian's emergency pauses and cancellations, newest first. */
  actions: IndexedGuardianAction[];
}

type EventFields = "blockNumber" | "logIndex" | "timestamp" | "transactionHash";

/** Event rows newest first in chain order: graph-node breaks ties of one block by id, not by log position. */
const newestFirst = <T extends { blockNumber: string; logIndex: string }>(rows: T[]) =>
  [...rows].sort(
    (a, b) => Number(big(b.blockNumber) - big(a.blockNumber)) || Number(big(b.logIndex) - big(a.logIndex)),
  );

/**
 * The proposal guardian's record for a DAO page: who it is, who it was (only a passed proposal changes
 * it) and what it did — emergency pauses and canceled proposals.
 *
 * @example
 * const { guardian, actions } = await getGuardianActivity(indexerUrl);
 * for (const a of actions) console.log(a.kind, a.contract ?? a.proposalId);
 */
export async function getGuardianActivity(url: string, params: { first?: number } = {}): Promise<GuardianActivity> {
  const data = await queryIndexer<{
    protocol: Row<Protocol, "guardian" | "guardianSetAt"> | null;
    guardianChanges: Row<GuardianChange, "previousGuardian" | "guardian" | EventFields>[];
    guardianActions: Row<GuardianAction, "kind" | "guardian" | "contract" | "proposal" | EventFields>[];
  }>(
    url,
    `query GuardianActivity($first: Int) {
      protocol(id: "harmonie") { guardian guardianSetAt }
      guardianChanges(first: $first, orderBy: blockNumber, orderDirection: desc) { previousGuardian guardian timestamp transactionHash blockNumber logIndex }
      guardianActions(first: $first, orderBy: blockNumber, orderDirection: desc) { kind guardian contract proposal { id } timestamp transactionHash blockNumber logIndex }
    }`,
    { first: params.first ?? 100 },
  );
  return {
    guardian: data.protocol?.guardian ? address(data.protocol.guardian) : null,
    guardianSetAt: bigOrNull(data.protocol?.guardianSetAt),
    changes: newestFirst(data.guardianChanges).map((c) => ({
      previousGuardian: c.previousGuardian && address(c.previousGuardian),
      guardian: c.guardian && address(c.guardian),
      timestamp: big(c.timestamp),
      transactionHash: c.transactionHash,
    })),
    actions: newestFirst(data.guardianActions).map((a) => ({
      kind: a.kind,
      guardian: address(a.guardian),
      contract: a.contract,
      proposalId: a.proposal ? big(a.proposal.id) : null,
      timestamp: big(a.timestamp),
      transactionHash: a.transactionHash,
    })),
  };
}

/** A pause or unpause of ContentRegistry, ArtistProfiles or LiveStreams. */
export interface IndexedPauseChange {
  contract: IndexedPausableContract;
  /** True for a pause, false for an unpause. */
  paused: boolean;
  /** Who called it: the guardian or the timelock. */
  by: Address;
  /** `GUARDIAN`: an emergency pause by the proposal guardian; `GOVERNANCE`: the timelock (every unpause). */
  authority: PauseChange["authority"];
  timestamp: bigint;
  transactionHash: `0x${string}`;
}

/**
 * Pauses and unpauses, newest first: all of them or one contract's — e.g. "paused by the guardian 2 h
 * ago" on a banner. The current state is `getProtocolStats(...).paused`.
 *
 * @example
 * const [last] = await getPauseHistory(indexerUrl, { contract: "REGISTRY", first: 1 });
 * if (last?.paused && last.authority === "GUARDIAN") showBanner("Emergency pause by the guardian");
 */
export async function getPauseHistory(
  url: string,
  params: { contract?: IndexedPausableContract; first?: number } = {},
): Promise<IndexedPauseChange[]> {
  const { pauseChanges } = await queryIndexer<{
    pauseChanges: Row<PauseChange, "contract" | "paused" | "by" | "authority" | EventFields>[];
  }>(
    url,
    `query PauseHistory($where: PauseChange_filter, $first: Int) {
      pauseChanges(where: $where, first: $first, orderBy: blockNumber, orderDirection: desc) { contract paused by authority timestamp transactionHash blockNumber logIndex }
    }`,
    { where: params.contract ? { contract: params.contract } : {}, first: params.first ?? 100 },
  );
  return newestFirst(pauseChanges).map((p) => ({
    contract: p.contract,
    paused: p.paused,
    by: address(p.by),
    authority: p.authority,
    timestamp: big(p.timestamp),
    transactionHash: p.transactionHash,
  }));
}
