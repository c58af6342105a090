import { type Address, encodeFunctionData, type Hex, keccak256, parseSignature, toHex } from "viem";
import { signTypedData } from "viem/actions";
import type { Deployment } from "../deployments.ts";
import { AccountRequiredError, InvalidInputError } from "../errors.ts";
import { harmonieGovernorAbi, stakedCoreAbi } from "../generated/abis.ts";
import {
  type ContractCall,
  type DeploymentOption,
  type HarmonieClient,
  type WriteOptions,
  type WriteResult,
  addressOf,
  contractCall,
  read,
  resolveDeployment,
  send,
  guard,
  waitAsAsked,
} from "./internal.ts";

const stakedCore = (deployment: Deployment) =>
  ({ address: addressOf(deployment, "StakedCore"), abi: stakedCoreAbi }) as const;
const governor = (deployment: Deployment) =>
  ({ address: addressOf(deployment, "HarmonieGovernor"), abi: harmonieGovernorAbi }) as const;

/** OpenZeppelin Governor's proposal states, in the contract's order. */
export const PROPOSAL_STATES = [
  "Pending",
  "Active",
  "Canceled",
  "Defeated",
  "Succeeded",
  "Queued",
  "Expired",
  "Executed",
] as const;
export type ProposalState = (typeof PROPOSAL_STATES)[number];

/** A proposal's actions and text: everything needed to queue and execute it. */
export interface ProposalActions {
  targets: readonly Address[];
  values: readonly bigint[];
  calldatas: readonly Hex[];
  description: string;
}

/**
 * Stakes CORE 1:1 into hVOTE, the DAO's voting token. Delegate (to yourself) to vote.
 *
 * @example
 * await stake(walletClient, { amount: parseEther("100") });
 * await delegate(walletClient, { delegatee: account.address });
 */
export async function stake(client: HarmonieClient, params: WriteOptions & { amount: bigint }): Promise<WriteResult> {
  const deployment = resolveDeployment(client, params);
  const { hash, receipt } = await send(
    client,
    deployment,
    stakeCall({ ...params, deployment }),
    "Staked",
    waitAsAsked(params),
  );
  return { hash, receipt };
}

/** The contract call staking `amount` CORE (sent as value) into hVOTE. */
export function stakeCall(params: { deployment: Deployment; amount: bigint }) {
  if (params.amount <= 0n) throw new InvalidInputError("Stake a positive amount of CORE.");
  return contractCall({ ...stakedCore(params.deployment), functionName: "stake", args: [], value: params.amount });
}

/** Escrows hVOTE for unstaking; it stops counting as votes and can be withdrawn after the cooldown. */
export async function requestUnstake(client: HarmonieClient, params: WriteOptions & { amount: bigint }) {
  const deployment = resolveDeployment(client, params);
  const call = requestUnstakeCall({ ...params, deployment });
  const { hash, receipt, event } = await send(client, deployment, call, "UnstakeRequested", waitAsAsked(params));
  const { amount, unlockAt } = event;
  return { hash, receipt, amount, unlockAt };
}

/** The contract call escrowing `amount` hVOTE for unstaking. */
export function requestUnstakeCall(params: { deployment: Deployment; amount: bigint }) {
  return contractCall({ ...stakedCore(params.deployment), functionName: "requestUnstake", args: [params.amount] });
}

/** Cancels a pending unstake, returning the escrowed hVOTE. */
export async function cancelUnstake(client: HarmonieClient, params: WriteOptions = {}): Promise<WriteResult> {
  const deployment = resolveDeployment(client, params);
  const call = cancelUnstakeCall({ deployment });
  const { hash, receipt } = await send(client, deployment, call, "UnstakeCancelled", waitAsAsked(params));
  return { hash, receipt };
}

/** The contract call cancelling the caller's pending unstake. */
export function cancelUnstakeCall(params: { deployment: Deployment }) {
  return contractCall({ ...stakedCore(params.deployment), functionName: "cancelUnstake", args: [] });
}

/** Withdraws unstaked CORE once the cooldown is over. */
export async function completeUnstake(client: HarmonieClient, params: WriteOptions = {}) {
  const deployment = resolveDeployment(client, params);
  const call = completeUnstakeCall({ deployment });
  const { hash, receipt, event } = await send(client, deployment, call, "Unstaked", waitAsAsked(params));
  return { hash, receipt, amount: event.amount };
}

/** The contract call withdrawing unstaked CORE after the cooldown. */
export function completeUnstakeCall(params: { deployment: Deployment }) {
  return contractCall({ ...stakedCore(params.deployment), functionName: "completeUnstake", args: [] });
}

/** Delegates the caller's votes (to themselves to vote directly). */
export async function delegate(
  client: HarmonieClient,
  params: WriteOptions & { delegatee: Address },
): Promise<WriteResult> {
  const deployment = resolveDeployment(client, params);
  const call = delegateCall({ ...params, deployment });
  const { hash, receipt } = await send(client, deployment, call, "DelegateChanged", waitAsAsked(params));
  return { hash, receipt };
}

/** The contract call delegating the caller's votes. */
export function delegateCall(params: { deployment: Deployment; delegatee: Address }) {
  return contractCall({ ...stakedCore(params.deployment), functionName: "delegate", args: [params.delegatee] });
}

/** A delegation signed off chain (EIP-712), to be submitted by anyone with `delegateBySig`. */
export interface SignedDelegation {
  delegatee: Address;
  nonce: bigint;
  expiry: bigint;
  signature: Hex;
}

/**
 * Signs a delegation so someone else can pay its gas.
 *
 * @example
 * const signed = await signDelegation(voterWallet, { delegatee, expiry: BigInt(Math.floor(Date.now() / 1000) + 3600) });
 * await delegateBySig(relayerWallet, signed);
 */
export async function signDelegation(
  client: HarmonieClient,
  params: DeploymentOption & { delegatee: Address; expiry: bigint },
): Promise<SignedDelegation> {
  const account = client.account;
  if (!account) throw new AccountRequiredError();
  const deployment = resolveDeployment(client, params);
  const nonce = await read(client, {
    ...stakedCore(deployment),
    functionName: "nonces",
    args: [account.address],
  });
  const signature = await guard(
    signTypedData(client, {
      account,
      domain: {
        name: "Harmonie Vote",
        version: "1",
        chainId: deployment.chainId,
        verifyingContract: stakedCore(deployment).address,
      },
      types: {
        Delegation: [
          { name: "delegatee", type: "address" },
          { name: "nonce", type: "uint256" },
          { name: "expiry", type: "uint256" },
        ],
      },
      primaryType: "Delegation",
      message: { delegatee: params.delegatee, nonce, expiry: params.expiry },
    }),
  );
  return { delegatee: params.delegatee, nonce, expiry: params.expiry, signature };
}

/** Submits a signed delegation. */
export async function delegateBySig(
  client: HarmonieClient,
  params: WriteOptions & SignedDelegation,
): Promise<WriteResult> {
  const deployment = resolveDeployment(client, params);
  const call = delegateBySigCall({ ...params, deployment });
  const { hash, receipt } = await send(client, deployment, call, "DelegateChanged", waitAsAsked(params));
  return { hash, receipt };
}

/** The contract call submitting a signed delegation (`signDelegation`), its signature split into v, r, s. */
export function delegateBySigCall(params: SignedDelegation & { deployment: Deployment }) {
  const { v, r, s, yParity } = parseSignature(params.signature);
  return contractCall({
    ...stakedCore(params.deployment),
    functionName: "delegateBySig",
    args: [params.delegatee, params.nonce, params.expiry, Number(v ?? BigInt(yParity + 27)), r, s],
  });
}

/**
 * A proposal's actions from contract calls — the SDK's `…Call` builders (`flagTrackCall`,
 * `setRegistrantCall`, `reassignTrackCall` …) or any `{ address, abi, functionName, args, value? }`.
 *
 * @example
 * const actions = proposalActions({ calls: [flagTrackCall({ deployment, isrc, reason })], description: "Flag …" });
 */
export function proposalActions(params: { calls: readonly ContractCall[]; description: string }): ProposalActions {
  const { calls, description } = params;
  return {
    targets: calls.map((call) => call.address),
    values: calls.map((call) => call.value ?? 0n),
    calldatas: calls.map(({ abi, functionName, args }) => encodeFunctionData({ abi, functionName, args })),
    description,
  };
}

/** A proposal as raw actions, or as contract calls the SDK encodes (`proposalActions`). */
export type ProposeParams = WriteOptions & (ProposalActions | { calls: readonly ContractCall[]; description: string });

/**
 * Submits a proposal to the DAO. Returns its id and the actions needed to queue and execute it.
 *
 * @example
 * const proposal = await propose(walletClient, {
 *   calls: [setRegistrantCall({ deployment, code: "US-RC1", registrant: label })],
 *   description: "Registrant code US-RC1 to its label",
 * });
 * await propose(walletClient, {
 *   targets: [tippingAddress], values: [0n],
 *   calldatas: [encodeFunctionData({ abi: harmonieTippingAbi, functionName: "setFee", args: [300] })],
 *   description: "Tipping fee to 3%",
 * });
 */
export async function propose(client: HarmonieClient, params: ProposeParams) {
  const deployment = resolveDeployment(client, params);
  const call = proposeCall({ ...params, deployment });
  const [targets, values, calldatas, description] = call.args;
  const { hash, receipt, event } = await send(client, deployment, call, "ProposalCreated", waitAsAsked(params));
  const { proposalId } = event;
  return { hash, receipt, proposalId, targets, values, calldatas, description };
}

/**
 * The governor call submitting a proposal, from raw actions or from contract calls (`proposalActions`);
 * refuses an empty description or no action.
 *
 * @example
 * const call = proposeCall({ deployment, calls: [flagTrackCall({ deployment, isrc, reason })], description: "Flag …" });
 */
export function proposeCall(params: ProposeParams & { deployment: Deployment }) {
  if (!params.description.trim())
    throw new InvalidInputError("A proposal needs a description: it is its text on chain.");
  const { targets, values, calldatas, description } = "calls" in params ? proposalActions(params) : params;
  if (targets.length === 0) throw new InvalidInputError("A proposal needs at least one action.");
  return contractCall({
    ...governor(params.deployment),
    functionName: "propose",
    args: [targets, values, calldatas, description],
  });
}

const SUPPORT = { against: 0, for: 1, abstain: 2 } as const;

/**
 * Votes on a proposal with the caller's delegated hVOTE, optionally with a public reason.
 *
 * @example
 * await castVote(walletClient, { proposalId, support: "for", reason: "Fairer for artists" });
 */
export async function castVote(
  client: HarmonieClient,
  params: WriteOptions & { proposalId: bigint; support: keyof typeof SUPPORT; reason?: string },
) {
  const deployment = resolveDeployment(client, params);
  const call = castVoteCall({ ...params, deployment });
  const { hash, receipt, event } = await send(client, deployment, call, "VoteCast", waitAsAsked(params));
  return { hash, receipt, weight: event.weight };
}

/** The governor call voting for, against or abstaining on a proposal, with an optional public reason. */
export function castVoteCall(params: {
  deployment: Deployment;
  proposalId: bigint;
  support: keyof typeof SUPPORT;
  reason?: string;
}) {
  return contractCall({
    ...governor(params.deployment),
    functionName: "castVoteWithReason",
    args: [params.proposalId, SUPPORT[params.support], params.reason ?? ""],
  });
}

function descriptionHash(description: string) {
  return keccak256(toHex(description));
}

/** Queues a succeeded proposal in the timelock. */
export async function queueProposal(client: HarmonieClient, params: WriteOptions & ProposalActions) {
  const deployment = resolveDeployment(client, params);
  const call = queueProposalCall({ ...params, deployment });
  const { hash, receipt, event } = await send(client, deployment, call, "ProposalQueued", waitAsAsked(params));
  return { hash, receipt, etaSeconds: event.etaSeconds };
}

/** The governor call queueing a succeeded proposal, named by its actions and description. */
export function queueProposalCall(params: ProposalActions & { deployment: Deployment }) {
  return contractCall({
    ...governor(params.deployment),
    functionName: "queue",
    args: [params.targets, params.values, params.calldatas, descriptionHash(params.description)],
  });
}

/** Executes a queued proposal after the timelock delay. */
export async function executeProposal(
  client: HarmonieClient,
  params: WriteOptions & ProposalActions,
): Promise<WriteResult> {
  const deployment = resolveDeployment(client, params);
  const call = executeProposalCall({ ...params, deployment });
  const { hash, receipt } = await send(client, deployment, call, "ProposalExecuted", waitAsAsked(params));
  return { hash, receipt };
}

/** The governor call executing a queued proposal once the timelock delay is over. */
export function executeProposalCall(params: ProposalActions & { deployment: Deployment }) {
  return contractCall({
    ...governor(params.deployment),
    functionName: "execute",
    args: [params.targets, params.values, params.calldatas, descriptionHash(params.description)],
  });
}

/** A proposal's state by name. */
export async function getProposalState(client: HarmonieClient, params: DeploymentOption & { proposalId: bigint }) {
  const deployment = resolveDeployment(client, params);
  const state = await read(client, {
    ...governor(deployment),
    functionName: "state",
    args: [params.proposalId],
  });
  return PROPOSAL_STATES[state];
}

/**
 * Whether `account` has already voted on a proposal (the governor accepts one vote per account).
 *
 * @example
 * if (!(await hasVoted(publicClient, { proposalId, account }))) showVoteForm();
 */
export async function hasVoted(
  client: HarmonieClient,
  params: DeploymentOption & { proposalId: bigint; account: Address },
) {
  const deployment = resolveDeployment(client, params);
  return read(client, {
    ...governor(deployment),
    functionName: "hasVoted",
    args: [params.proposalId, params.account],
  });
}

/** An account's stake, current votes and pending unstake. */
export async function getStake(client: HarmonieClient, params: DeploymentOption & { account: Address }) {
  const deployment = resolveDeployment(client, params);
  const token = stakedCore(deployment);
  const [balance, votes, delegatee, pending] = await Promise.all([
    read(client, { ...token, functionName: "balanceOf", args: [params.account] }),
    read(client, { ...token, functionName: "getVotes", args: [params.account] }),
    read(client, { ...token, functionName: "delegates", args: [params.account] }),
    read(client, {
      ...token,
      functionName: "pendingUnstakeOf",
      args: [params.account],
    }),
  ]);
  return { balance, votes, delegatee, pendingUnstake: pending.amount, unlockAt: pending.unlockAt };
}
