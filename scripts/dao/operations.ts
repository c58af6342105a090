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
  "guardian",
  "quorum-floor",
  "allow-token",
  "remove-token",
] as const;
export type ProposalKind = (typeof PROPOSAL_KINDS)[number];

const STATES = ["Pending", "Active", "Canceled", "Defeated", "Succeeded", "Queued", "Expired", "Executed"];
const SUPPORT = { against: 0, for: 1, abstain: 2 } as const;
const LOG_CHUNK = 5_000; // public RPCs cap eth_getLogs ranges
const ERC20_METADATA = ["function symbol() view returns (string)", "function decimals() view returns (uint8)"];
const PAUSABLE: Record<string, { name: ContractName; label: string }> = {
  registry: { name: "ContentRegistry", label: "the content registry" },
  profiles: { name: "ArtistProfiles", label: "artist profiles" },
  live: { name: "LiveStreams", label: "live sessions" },
};

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
 * Turns a proposal in domain terms into the governor's targets, values and calldata, with a
 * plain-language summary of what passing it does.
 */
export async function buildProposal(
  ethers: HardhatEthers,
  deployment: Deployment,
  input: ProposalInput,
): Promise<Built> {
  const tipping = await ethers.getContractAt("HarmonieTipping", address(deployment, "HarmonieTipping"));
  const registry = await ethers.getContractAt("ContentRegistry", address(deployment, "ContentRegistry"));
  const governor = await governorOf(ethers, deployment);
  const requireBps = () => {
    if (input.bps === undefined || !Number.isInteger(input.bps) || input.bps < 0 || input.bps > 1_000) {
      throw new Error(`--bps must be a whole number of basis points from 0 to 1000 (10%), got ${input.bps}`);
    }
    return input.bps;
  };
  const percent = (bps: number) => `${bps / 100}% (${bps} basis points)`;
  const trackId = async () => {
    if (!input.track) throw new Error("--track is required: a track id or an ISRC");
    const plain = input.track.replaceAll("-", "").toUpperCase();
    return /^\d+$/.test(input.track) ? BigInt(input.track) : registry.trackIdOf(plain);
  };
  const requireToken = async () => {
    if (!input.token || !ethers.isAddress(input.token))
      throw new Error(`--token must be an address, got ${input.token}`);
    const token = new ethers.Contract(input.token, ERC20_METADATA, ethers.provider);
    try {
      return { address: input.token, symbol: String(await token.symbol()), decimals: Number(await token.decimals()) };
    } catch {
      throw new Error(`--token ${input.token} is not an ERC-20 with a symbol and decimals`);
    }
  };
  const call = (target: string, data: string, summary: string) => ({
    targets: [target],
    values: [0n],
    calldatas: [data],
    summary,
  });

  switch (input.kind) {
    case "tip-fee": {
      const bps = requireBps();
      return call(
        address(deployment, "HarmonieTipping"),
        tipping.interface.encodeFunctionData("setFee", [bps]),
        `Set the platform fee on tips to ${percent(bps)}. A raise takes effect after the tipping contract's notice period.`,
      );
    }
    case "license-fee": {
      const bps = requireBps();
      return call(
        address(deployment, "ContentRegistry"),
        registry.interface.encodeFunctionData("setFee", [bps]),
        `Set the platform fee on licence sales to ${percent(bps)}.`,
      );
    }
    case "flag":
      if (!input.reason) throw new Error("--reason is required to flag a track");
      return call(
        address(deployment, "ContentRegistry"),
        registry.interface.encodeFunctionData("flagTrack", [await trackId(), input.reason]),
        `Flag track ${input.track} as disputed (${input.reason}): it is frozen until unflagged, revoked or reassigned.`,
      );
    case "unflag":
      return call(
        address(deployment, "ContentRegistry"),
        registry.interface.encodeFunctionData("unflagTrack", [await trackId()]),
        `Lift the dispute flag on track ${input.track}.`,
      );
    case "revoke":
      if (!input.reason) throw new Error("--reason is required to revoke a track");
      return call(
        address(deployment, "ContentRegistry"),
        registry.interface.encodeFunctionData("revokeTrack", [await trackId(), input.reason]),
        `Revoke track ${input.track} (${input.reason}): it stops selling for good; licence holders keep access.`,
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
        `Reassign track ${input.track} to ${input.artist} with new splits (${input.reason}): future revenue goes to them.`,
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
        registrant === ethers.ZeroAddress
          ? `Unclaim registrant code ${code.slice(0, 2)}-${code.slice(2)}: its ISRCs become first-come again.`
          : `Give registrant code ${code.slice(0, 2)}-${code.slice(2)} to ${registrant}: tracks under it need its approval.`,
      );
    }
    case "grant": {
      if (!input.to || !ethers.isAddress(input.to)) throw new Error(`--to must be an address, got ${input.to}`);
      if (!input.amount) throw new Error("--amount (in CORE) is required for a grant");
      return {
        targets: [input.to],
        values: [ethers.parseEther(input.amount)],
        calldatas: ["0x"],
        summary: `Pay a grant of ${input.amount} CORE from the treasury to ${input.to}.`,
      };
    }
    case "pause":
    case "unpause": {
      const pausable = PAUSABLE[input.contract ?? ""];
      if (!pausable) {
        throw new Error(`--contract must be one of ${Object.keys(PAUSABLE).join(", ")}, got ${input.contract}`);
      }
      const contract = await ethers.getContractAt("ContentRegistry", address(deployment, pausable.name));
      return call(
        address(deployment, pausable.name),
        contract.interface.encodeFunctionData(input.kind),
        input.kind === "pause"
          ? `Pause ${pausable.label} until a later proposal unpauses them.`
          : `Unpause ${pausable.label}.`,
      );
    }
    case "guardian": {
      const none = input.address === "none";
      if (!none && (!input.address || !ethers.isAddress(input.address))) {
        throw new Error(`--address must be the new guardian's address or none, got ${input.address}`);
      }
      const guardian = none ? ethers.ZeroAddress : ethers.getAddress(input.address!);
      return call(
        address(deployment, "HarmonieGovernor"),
        governor.interface.encodeFunctionData("setProposalGuardian", [guardian]),
        guardian === ethers.ZeroAddress
          ? "Remove the guardian: only the timelock can pause, and each proposer can cancel its own proposals."
          : `Make ${guardian} the guardian: it can cancel any proposal before it executes and pause the content ` +
              "registry, artist profiles and live sessions (only the DAO unpauses).",
      );
    }
    case "quorum-floor": {
      if (!input.votes || !/^\d+(\.\d+)?$/.test(input.votes)) {
        throw new Error(`--votes must be a number of votes, e.g. 100000, got ${input.votes}`);
      }
      const floor = ethers.parseEther(input.votes);
      const token = await ethers.getContractAt("StakedCore", address(deployment, "StakedCore"));
      const supply = await token.totalSupply();
      if (floor > supply) {
        throw new Error(
          `--votes ${input.votes} is more than the ${ethers.formatEther(supply)} votes that exist: no proposal could pass`,
        );
      }
      return call(
        address(deployment, "HarmonieGovernor"),
        governor.interface.encodeFunctionData("setQuorumFloor", [floor]),
        `Require at least ${input.votes} votes (for or abstain) for a proposal to pass, from the proposals whose ` +
          "voting starts after this one executes.",
      );
    }
    case "allow-token": {
      const token = await requireToken();
      let minimum: bigint;
      try {
        minimum = ethers.parseUnits(input.minimum ?? "", token.decimals);
      } catch {
        minimum = 0n;
      }
      if (minimum <= 0n) {
        throw new Error(`--minimum must be a positive amount of ${token.symbol}, got ${input.minimum}`);
      }
      return call(
        address(deployment, "HarmonieTipping"),
        tipping.interface.encodeFunctionData("allowToken", [token.address, minimum]),
        `Accept ${token.symbol} (${token.address}) for tips, with a minimum tip of ${input.minimum} ${token.symbol}.`,
      );
    }
    case "remove-token": {
      const token = await requireToken();
      if ((await tipping.minimumTipOf(ethers.ZeroAddress, token.address)) === 0n) {
        throw new Error(`--token ${token.symbol} (${token.address}) is not accepted for tips`);
      }
      return call(
        address(deployment, "HarmonieTipping"),
        tipping.interface.encodeFunctionData("removeToken", [token.address]),
        `Stop accepting ${token.symbol} (${token.address}) for tips. Earnings already credited in it can still be withdrawn.`,
      );
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
