/**
 * DAO operations against a deployed protocol: build proposals in the protocol's own terms, then
 * vote, queue, execute and report status. Used by the `hardhat dao …` tasks and by the tests.
 */
import type { HardhatEthers } from "@nomicfoundation/hardhat-ethers/types";
import { readFileSync, existsSync } from "node:fs";
import path from "node:path";
import type { Address } from "viem";
import type { ContractName, Deployment } from "../../sdk/src/deployments.ts";
import {
  PAUSABLE_CONTRACTS,
  type PausableContract,
  planProposal,
  PROPOSAL_KINDS as KINDS,
  type ProposalInput as SdkProposalInput,
} from "../../sdk/src/proposals.ts";

export const PROPOSAL_KINDS = Object.keys(KINDS) as (keyof typeof KINDS)[];
export type ProposalKind = keyof typeof KINDS;

const STATES = ["Pending", "Active", "Canceled", "Defeated", "Succeeded", "Queued", "Expired", "Executed"];
const SUPPORT = { against: 0, for: 1, abstain: 2 } as const;
const LOG_CHUNK = 5_000; // public RPCs cap eth_getLogs ranges
const ERC20_METADATA = ["function symbol() view returns (string)", "function decimals() view returns (uint8)"];
const ZERO = "0x0000000000000000000000000000000000000000" as Address;

export interface ProposalInput {
  kind: ProposalKind;
  /** Fee in basis points (tip-fee, license-fee). */
  bps?: number;
  /** Track id or ISRC (flag, unflag, revoke, reassign). */
  track?: string;
  /** Why (flag, revoke, reassign): stored in the contract's event. */
  reason?: string;
  /** The rightful artist (reassign). */
  artist?: string;
  /** New splits, `address:bps,…` summing to 10000 (reassign; default: all to the artist). */
  splits?: string;
  /** New metadata package CID (reassign; default: keep). */
  metadata?: string;
  /** Registrant code, `US-RC1` or `USRC1` (registrant). */
  code?: string;
  /** Grant recipient (grant), or the registrant's address or `none` (registrant). */
  to?: string;
  amount?: string;
  /** Contract to pause or unpause: registry, profiles or live. */
  contract?: string;
  /** The new guardian, or "none" to remove it (guardian). */
  address?: string;
  /** Quorum floor in whole votes, e.g. "100000" (quorum-floor). */
  votes?: string;
  /** ERC-20 to accept or stop accepting for tips (allow-token, remove-token). */
  token?: string;
  /** Smallest tip in the token's own units, e.g. "0.01" (allow-token). */
  minimum?: string;
  /** The proposal's text on chain; a plain-language one is written when left out. */
  description?: string;
}

/** Actions plus the plain-language text used when the proposer gives none. */
interface Built {
  targets: string[];
  values: bigint[];
  calldatas: string[];
  summary: string;
}

export interface Proposal {
  proposalId: bigint;
  targets: string[];
  values: bigint[];
  calldatas: string[];
  description: string;
}

/** deployments/<chainId>.json, or the one in HARMONIE_DEPLOYMENTS_DIR (where `npm run deploy` wrote it). */
export function readDeployment(chainId: number | bigint): Deployment {
  const file = path.join(process.env.HARMONIE_DEPLOYMENTS_DIR || "deployments", `${chainId}.json`);
  if (!existsSync(file)) throw new Error(`No deployment for chain ${chainId} (${file}): run \`npm run deploy\` first`);
  return JSON.parse(readFileSync(file, "utf8"));
}

function address(deployment: Deployment, name: ContractName): string {
  const contract = deployment.contracts[name];
  if (!contract) throw new Error(`${name} is not in the deployment for chain ${deployment.chainId}`);
  return contract.address;
}

/**
 * Turns the CLI's flags into the SDK's proposal input (`planProposal`, the same builder the dApp uses),
 * reading from the chain what a proposal needs and checking what only the chain knows (a token's
 * symbol and decimals, that it is accepted, the votes that exist).
 */
export async function buildProposal(
  ethers: HardhatEthers,
  deployment: Deployment,
  input: ProposalInput,
): Promise<Built> {
  const plan = planProposal(deployment, await proposalInput(ethers, deployment, input));
  return { targets: plan.targets, values: plan.values, calldatas: plan.calldatas, summary: plan.summary };
}

async function proposalInput(
  ethers: HardhatEthers,
  deployment: Deployment,
  input: ProposalInput,
): Promise<SdkProposalInput> {
  const requireAddress = (flag: string, value: string | undefined, what = "an address") => {
    if (!value || !ethers.isAddress(value)) throw new Error(`--${flag} must be ${what}, got ${value}`);
    return ethers.getAddress(value) as Address;
  };
  const orNone = (flag: string, value: string | undefined, what: string) =>
    value === "none" ? ZERO : requireAddress(flag, value, what);
  const track = () => {
    if (!input.track) throw new Error("--track is required: a track id or an ISRC");
    return /^\d+$/.test(input.track) ? { trackId: BigInt(input.track) } : { isrc: input.track };
  };
  const reason = (what: string) => {
    if (!input.reason?.trim()) throw new Error(`--reason is required to ${what} a track`);
    return input.reason;
  };
  const requireToken = async () => {
    const address = requireAddress("token", input.token);
    const token = new ethers.Contract(address, ERC20_METADATA, ethers.provider);
    try {
      return { address, symbol: String(await token.symbol()), decimals: Number(await token.decimals()) };
    } catch {
      throw new Error(`--token ${address} is not an ERC-20 with a symbol and decimals`);
    }
  };

  switch (input.kind) {
    case "tip-fee":
    case "license-fee":
      if (input.bps === undefined || !Number.isInteger(input.bps)) {
        throw new Error(`--bps must be a whole number of basis points, got ${input.bps}`);
      }
      return { kind: input.kind, bps: input.bps };
    case "flag":
      return { kind: "flag", ...track(), reason: reason("flag") };
    case "unflag":
      return { kind: "unflag", ...track() };
    case "revoke":
      return { kind: "revoke", ...track(), reason: reason("revoke") };
    case "reassign": {
      const artist = requireAddress("artist", input.artist, "the rightful artist's address");
      return {
        kind: "reassign",
        ...track(),
        artist,
        reason: reason("reassign"),
        splits: input.splits === undefined ? undefined : parseSplits(ethers, input.splits),
        metadataCid: input.metadata,
      };
    }
    case "registrant":
      return {
        kind: "registrant",
        code: input.code ?? "",
        registrant: orNone("to", input.to, `the registrant's address or "none"`),
      };
    case "grant": {
      const to = requireAddress("to", input.to);
      if (!input.amount) throw new Error("--amount (in CORE) is required for a grant");
      return { kind: "grant", to, amount: ethers.parseEther(input.amount) };
    }
    case "pause":
    case "unpause":
      if (!(input.contract && input.contract in PAUSABLE_CONTRACTS)) {
        throw new Error(
          `--contract must be one of ${Object.keys(PAUSABLE_CONTRACTS).join(", ")}, got ${input.contract}`,
        );
      }
      return { kind: input.kind, contract: input.contract as PausableContract };
    case "guardian":
      return { kind: "guardian", guardian: orNone("address", input.address, "the new guardian's address or none") };
    case "quorum-floor": {
      if (!input.votes || !/^\d+(\.\d+)?$/.test(input.votes)) {
        throw new Error(`--votes must be a number of votes, e.g. 100000, got ${input.votes}`);
      }
      const votes = ethers.parseEther(input.votes);
      const staked = await ethers.getContractAt("StakedCore", deployment.contracts.StakedCore.address);
      const supply = await staked.totalSupply();
      if (votes > supply) {
        throw new Error(
          `--votes ${input.votes} is more than the ${ethers.formatEther(supply)} votes that exist: no proposal could pass`,
        );
      }
      return { kind: "quorum-floor", votes };
    }
    case "allow-token": {
      const token = await requireToken();
      let minimum = 0n;
      try {
        minimum = ethers.parseUnits(input.minimum ?? "", token.decimals);
      } catch {
        // reported below
      }
      if (minimum <= 0n)
        throw new Error(`--minimum must be a positive amount of ${token.symbol}, got ${input.minimum}`);
      return { kind: "allow-token", token, minimum };
    }
    case "remove-token": {
      const token = await requireToken();
      const tipping = await ethers.getContractAt("HarmonieTipping", deployment.contracts.HarmonieTipping.address);
      if ((await tipping.minimumTipOf(ZERO, token.address)) === 0n) {
        throw new Error(`--token ${token.symbol} (${token.address}) is not accepted for tips`);
      }
      return { kind: "remove-token", token };
    }
    default:
      throw new Error(`Unknown proposal kind "${input.kind}": use one of ${PROPOSAL_KINDS.join(", ")}`);
  }
}

/** `0xA…:7000,0xB…:3000` → splits; the SDK checks the total, this checks the shape. */
function parseSplits(ethers: HardhatEthers, text: string) {
  return text.split(",").map((part) => {
    const [recipient, bps] = part.trim().split(":");
    if (!recipient || !ethers.isAddress(recipient) || !/^\d+$/.test(bps ?? "")) {
      throw new Error(`--splits must be address:bps pairs separated by commas, got "${part}"`);
    }
    return { recipient: ethers.getAddress(recipient) as Address, bps: Number(bps) };
  });
}

async function governorOf(ethers: HardhatEthers, deployment: Deployment) {
  return ethers.getContractAt("HarmonieGovernor", address(deployment, "HarmonieGovernor"));
}

export async function propose(ethers: HardhatEthers, deployment: Deployment, input: ProposalInput): Promise<Proposal> {
  const { targets, values, calldatas, summary } = await buildProposal(ethers, deployment, input);
  const description = input.description?.trim() ? input.description : await dated(ethers, summary);
  const governor = await governorOf(ethers, deployment);
  await (await governor.propose(targets, values, calldatas, description)).wait();
  const proposalId = await governor.hashProposal(targets, values, calldatas, ethers.id(description));
  return { proposalId, targets, values, calldatas, description };
}

/**
 * A written summary with the chain's date: the description is part of the proposal id, so the same
 * action proposed again later (a second pause, say) gets a new id instead of colliding.
 */
async function dated(ethers: HardhatEthers, summary: string) {
  const block = await ethers.provider.getBlock("latest");
  return `${summary} (proposed ${new Date(Number(block!.timestamp) * 1000).toISOString().slice(0, 10)})`;
}

/** Finds a proposal's actions and text from its ProposalCreated event. */
export async function findProposal(
  ethers: HardhatEthers,
  deployment: Deployment,
  proposalId: bigint,
): Promise<Proposal> {
  const governor = await governorOf(ethers, deployment);
  const latest = await ethers.provider.getBlockNumber();
  for (let from = deployment.contracts.HarmonieGovernor.blockNumber; from <= latest; from += LOG_CHUNK) {
    const events = await governor.queryFilter(
      governor.filters.ProposalCreated(),
      from,
      Math.min(from + LOG_CHUNK - 1, latest),
    );
    const event = events.find((e) => e.args.proposalId === proposalId);
    if (event) {
      const { targets, calldatas, description } = event.args;
      return { proposalId, targets: [...targets], values: [...event.args[3]], calldatas: [...calldatas], description };
    }
  }
  throw new Error(`No proposal ${proposalId} on chain ${deployment.chainId}`);
}

export async function vote(
  ethers: HardhatEthers,
  deployment: Deployment,
  proposalId: bigint,
  support: string, // as typed on the command line
  reason = "",
) {
  if (!Object.hasOwn(SUPPORT, support)) throw new Error(`--support must be for, against or abstain, got ${support}`);
  const governor = await governorOf(ethers, deployment);
  await (await governor.castVoteWithReason(proposalId, SUPPORT[support as keyof typeof SUPPORT], reason)).wait();
}

export async function queue(ethers: HardhatEthers, deployment: Deployment, proposalId: bigint) {
  const { targets, values, calldatas, description } = await findProposal(ethers, deployment, proposalId);
  const governor = await governorOf(ethers, deployment);
  await (await governor.queue(targets, values, calldatas, ethers.id(description))).wait();
}

export async function execute(ethers: HardhatEthers, deployment: Deployment, proposalId: bigint) {
  const { targets, values, calldatas, description } = await findProposal(ethers, deployment, proposalId);
  const governor = await governorOf(ethers, deployment);
  await (await governor.execute(targets, values, calldatas, ethers.id(description))).wait();
}

export async function status(ethers: HardhatEthers, deployment: Deployment, proposalId: bigint) {
  const governor = await governorOf(ethers, deployment);
  const { description } = await findProposal(ethers, deployment, proposalId);
  const [againstVotes, forVotes, abstainVotes] = await governor.proposalVotes(proposalId);
  const snapshot = await governor.proposalSnapshot(proposalId);
  return {
    proposalId,
    description,
    state: STATES[Number(await governor.state(proposalId))],
    votes: { for: forVotes, against: againstVotes, abstain: abstainVotes },
    // The quorum is fixed at the snapshot, which a pending proposal has not reached yet.
    quorum: snapshot < (await governor.clock()) ? await governor.quorum(snapshot) : null,
    voteStart: snapshot,
    voteEnd: await governor.proposalDeadline(proposalId),
    eta: await governor.proposalEta(proposalId),
  };
}
