/**
 * DAO operations against a deployed protocol: build proposals in the protocol's own terms, then
 * vote, queue, execute and report status. Used by the `hardhat dao …` tasks and by the tests.
 */
import type { HardhatEthers } from "@nomicfoundation/hardhat-ethers/types";
import { readFileSync, existsSync } from "node:fs";
import path from "node:path";
import type { ContractName, Deployment } from "../../sdk/src/deployments.ts";

export const PROPOSAL_KINDS = [
  "tip-fee",
  "license-fee",
  "flag",
  "unflag",
  "revoke",
  "reassign",
  "registrant",
  "grant",
  "pause",
  "unpause",
] as const;
export type ProposalKind = (typeof PROPOSAL_KINDS)[number];

const STATES = ["Pending", "Active", "Canceled", "Defeated", "Succeeded", "Queued", "Expired", "Executed"];
const SUPPORT = { against: 0, for: 1, abstain: 2 } as const;
const LOG_CHUNK = 5_000; // public RPCs cap eth_getLogs ranges

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
  description: string;
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

/** Turns a proposal in domain terms into the governor's targets, values and calldata. */
export async function buildProposal(ethers: HardhatEthers, deployment: Deployment, input: ProposalInput) {
  const tipping = await ethers.getContractAt("HarmonieTipping", address(deployment, "HarmonieTipping"));
  const registry = await ethers.getContractAt("ContentRegistry", address(deployment, "ContentRegistry"));
  const requireBps = () => {
    if (input.bps === undefined || !Number.isInteger(input.bps) || input.bps < 0 || input.bps > 1_000) {
      throw new Error(`--bps must be a whole number of basis points from 0 to 1000 (10%), got ${input.bps}`);
    }
    return input.bps;
  };
  const trackId = async () => {
    if (!input.track) throw new Error("--track is required: a track id or an ISRC");
    const plain = input.track.replaceAll("-", "").toUpperCase();
    return /^\d+$/.test(input.track) ? BigInt(input.track) : registry.trackIdOf(plain);
  };
  const call = (target: string, data: string) => ({ targets: [target], values: [0n], calldatas: [data] });

  switch (input.kind) {
    case "tip-fee":
      return call(
        address(deployment, "HarmonieTipping"),
        tipping.interface.encodeFunctionData("setFee", [requireBps()]),
      );
    case "license-fee":
      return call(
        address(deployment, "ContentRegistry"),
        registry.interface.encodeFunctionData("setFee", [requireBps()]),
      );
    case "flag":
      if (!input.reason) throw new Error("--reason is required to flag a track");
      return call(
        address(deployment, "ContentRegistry"),
        registry.interface.encodeFunctionData("flagTrack", [await trackId(), input.reason]),
      );
    case "unflag":
      return call(
        address(deployment, "ContentRegistry"),
        registry.interface.encodeFunctionData("unflagTrack", [await trackId()]),
      );
    case "revoke":
      if (!input.reason) throw new Error("--reason is required to revoke a track");
      return call(
        address(deployment, "ContentRegistry"),
        registry.interface.encodeFunctionData("revokeTrack", [await trackId(), input.reason]),
      );
    case "reassign": {
      if (!input.artist || !ethers.isAddress(input.artist)) {
        throw new Error(`--artist must be the rightful artist's address, got ${input.artist}`);
      }
      if (!input.reason) throw new Error("--reason is required to reassign a track");
      const splits = parseSplits(ethers, input.splits ?? `${input.artist}:10000`);
      return call(
        address(deployment, "ContentRegistry"),
        registry.interface.encodeFunctionData("reassignTrack", [
          await trackId(),
          input.artist,
          splits,
          input.metadata ?? "",
          input.reason,
        ]),
      );
    }
    case "registrant": {
      const code = (input.code ?? "").replaceAll("-", "").toUpperCase();
      if (!/^[A-Z]{2}[A-Z0-9]{3}$/.test(code)) {
        throw new Error(`--code must be a registrant code like US-RC1, got ${input.code}`);
      }
      const registrant = input.to === "none" ? ethers.ZeroAddress : input.to;
      if (!registrant || !ethers.isAddress(registrant)) {
        throw new Error(`--to must be the registrant's address or "none", got ${input.to}`);
      }
      return call(
        address(deployment, "ContentRegistry"),
        registry.interface.encodeFunctionData("setRegistrant", [code, registrant]),
      );
    }
    case "grant": {
      if (!input.to || !ethers.isAddress(input.to)) throw new Error(`--to must be an address, got ${input.to}`);
      if (!input.amount) throw new Error("--amount (in CORE) is required for a grant");
      return { targets: [input.to], values: [ethers.parseEther(input.amount)], calldatas: ["0x"] };
    }
    case "pause":
    case "unpause": {
      const names: Record<string, ContractName> = {
        registry: "ContentRegistry",
        profiles: "ArtistProfiles",
        live: "LiveStreams",
      };
      const name = names[input.contract ?? ""];
      if (!name) throw new Error(`--contract must be one of ${Object.keys(names).join(", ")}, got ${input.contract}`);
      const pausable = await ethers.getContractAt("ContentRegistry", address(deployment, name));
      return call(address(deployment, name), pausable.interface.encodeFunctionData(input.kind));
    }
    default:
      throw new Error(`Unknown proposal kind "${input.kind}": use one of ${PROPOSAL_KINDS.join(", ")}`);
  }
}

/** `0xA…:7000,0xB…:3000` → splits; the contract checks the total, this checks the shape. */
function parseSplits(ethers: HardhatEthers, text: string) {
  return text.split(",").map((part) => {
    const [recipient, bps] = part.trim().split(":");
    if (!recipient || !ethers.isAddress(recipient) || !/^\d+$/.test(bps ?? "")) {
      throw new Error(`--splits must be address:bps pairs separated by commas, got "${part}"`);
    }
    return { recipient, bps: Number(bps) };
  });
}

async function governorOf(ethers: HardhatEthers, deployment: Deployment) {
  return ethers.getContractAt("HarmonieGovernor", address(deployment, "HarmonieGovernor"));
}

export async function propose(ethers: HardhatEthers, deployment: Deployment, input: ProposalInput): Promise<Proposal> {
  if (!input.description?.trim()) throw new Error("--description is required: it is the proposal's text on chain");
  const { targets, values, calldatas } = await buildProposal(ethers, deployment, input);
  const governor = await governorOf(ethers, deployment);
  await (await governor.propose(targets, values, calldatas, input.description)).wait();
  const proposalId = await governor.hashProposal(targets, values, calldatas, ethers.id(input.description));
  return { proposalId, targets, values, calldatas, description: input.description };
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
  support: keyof typeof SUPPORT,
  reason = "",
) {
  if (!(support in SUPPORT)) throw new Error(`--support must be for, against or abstain, got ${support}`);
  const governor = await governorOf(ethers, deployment);
  await (await governor.castVoteWithReason(proposalId, SUPPORT[support], reason)).wait();
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
