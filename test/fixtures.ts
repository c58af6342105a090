import { expect } from "chai";
import type { BaseContract } from "ethers";
import { network } from "hardhat";
import { LocalHarmonieModule } from "../deploy/Harmonie.ts";
import { loadParameters } from "../deploy/parameters.ts";

/** One in-process chain shared by every test file; `loadFixture` snapshots and reverts it. */
export const connection = await network.getOrCreate();
export const { ethers, networkHelpers } = connection;

export const ISRC = "USRC17607839";
export const ISRC_2 = "GBAYE0601498";

/** The protocol exactly as `npm run deploy` deploys it: the Ignition modules are the fixture. */
export async function deployProtocol() {
  return deployLocal(loadParameters("default"));
}

/** As `deployProtocol`, with a proposal guardian (the sixth account, standing in for a multisig). */
export async function deployProtocolWithGuardian() {
  const guardian = (await ethers.getSigners())[5];
  const parameters = loadParameters("default");
  const deployed = await deployLocal({
    ...parameters,
    Governance: { ...parameters.Governance, guardian: guardian.address },
  });
  return { ...deployed, guardian };
}

async function deployLocal(parameters: ReturnType<typeof loadParameters>) {
  const deployed = await connection.ignition.deploy(LocalHarmonieModule, { parameters });
  const [deployer, artist, fan, collaborator, other] = await ethers.getSigners();
  // By literal name, so that typechain's overloads type each contract.
  const tipping = await ethers.getContractAt("HarmonieTipping", deployed.tipping);
  const registry = await ethers.getContractAt("ContentRegistry", deployed.registry);
  const profiles = await ethers.getContractAt("ArtistProfiles", deployed.profiles);
  const liveStreams = await ethers.getContractAt("LiveStreams", deployed.liveStreams);
  const stakedCore = await ethers.getContractAt("StakedCore", deployed.stakedCore);
  const governor = await ethers.getContractAt("HarmonieGovernor", deployed.governor);
  const timelock = await ethers.getContractAt("TimelockController", deployed.timelock);
  const stablecoin = await ethers.getContractAt("TestStablecoin", deployed.stablecoin);

  // Unit tests call admin functions as the timelock directly; the governance tests go the long way.
  const timelockAddress = await timelock.getAddress();
  await networkHelpers.impersonateAccount(timelockAddress);
  await networkHelpers.setBalance(timelockAddress, 10n ** 20n);
  const asTimelock = await ethers.getSigner(timelockAddress);

  return {
    tipping,
    registry,
    profiles,
    liveStreams,
    stakedCore,
    governor,
    timelock,
    stablecoin,
    asTimelock,
    deployer,
    artist,
    fan,
    collaborator,
    other,
  };
}

/** Licence terms: a perpetual, uncapped, free CORE offer unless overridden. */
export function offer(overrides: Record<string, unknown> = {}) {
  return {
    token: ethers.ZeroAddress,
    price: 0n,
    supplyCap: 0,
    perBuyerLimit: 0,
    duration: 0,
    commercialUse: false,
    derivativesAllowed: false,
    ...overrides,
  };
}

/** A track input with two collaborators (70/30) and one perpetual offer and one 30-day offer capped at 3. */
export function trackInput(artist: string, collaborator: string, overrides: Record<string, unknown> = {}) {
  return {
    isrc: ISRC,
    metadataCid: "bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdi",
    exclusive: true,
    royaltyBps: 500,
    splits: [
      { recipient: artist, bps: 7_000 },
      { recipient: collaborator, bps: 3_000 },
    ],
    offers: [
      offer({ price: ethers.parseEther("1"), commercialUse: true }),
      offer({ price: ethers.parseEther("0.1"), supplyCap: 3, duration: 30 * 24 * 3600 }),
    ],
    ...overrides,
  };
}

/** OpenZeppelin Governor's `ProposalState`, in its order. */
export const ProposalState = {
  Pending: 0,
  Active: 1,
  Canceled: 2,
  Defeated: 3,
  Succeeded: 4,
  Queued: 5,
  Expired: 6,
  Executed: 7,
} as const;
export type ProposalState = (typeof ProposalState)[keyof typeof ProposalState];

/** A proposal's actions and text, as `propose` takes them. */
export interface ProposalActions {
  targets: string[];
  values: bigint[];
  calldatas: string[];
  description: string;
}

type Dao = Pick<Awaited<ReturnType<typeof deployProtocol>>, "governor">;
type Signer = Awaited<ReturnType<typeof ethers.getSigners>>[number];

/** One call per action, no value: `action(contract, "fn", [args])`. */
export async function actions(
  description: string,
  ...calls: [BaseContract, string, readonly unknown[]][]
): Promise<ProposalActions> {
  return {
    targets: await Promise.all(calls.map(([contract]) => contract.getAddress())),
    values: calls.map(() => 0n),
    calldatas: calls.map(([contract, fn, args]) => contract.interface.encodeFunctionData(fn, args)),
    description,
  };
}

/** The governor's arguments for queue, execute and cancel. */
export function lifecycleArgs(p: ProposalActions) {
  return [p.targets, p.values, p.calldatas, ethers.id(p.description)] as const;
}

/** Proposes as `proposer` and returns the proposal id. */
export async function propose({ governor }: Dao, proposer: Signer, p: ProposalActions) {
  await governor.connect(proposer).propose(p.targets, p.values, p.calldatas, p.description);
  return governor.hashProposal(...lifecycleArgs(p));
}

/**
 * Takes a proposal from its creation to `until` (Queued or Executed): `voter` votes for as soon as
 * voting opens. Returns the proposal id.
 */
export async function passProposal(
  dao: Dao,
  voter: Signer,
  p: ProposalActions,
  until: typeof ProposalState.Queued | typeof ProposalState.Executed = ProposalState.Executed,
) {
  const { governor } = dao;
  const proposalId = await propose(dao, voter, p);
  await networkHelpers.time.increaseTo((await governor.proposalSnapshot(proposalId)) + 1n);
  await governor.connect(voter).castVote(proposalId, 1);
  await networkHelpers.time.increaseTo((await governor.proposalDeadline(proposalId)) + 1n);
  await governor.queue(...lifecycleArgs(p));
  if (until === ProposalState.Executed) {
    await networkHelpers.time.increaseTo(await governor.proposalEta(proposalId));
    await governor.execute(...lifecycleArgs(p));
  }
  expect(await governor.state(proposalId)).to.equal(until);
  return proposalId;
}
