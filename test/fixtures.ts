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
  const deployed = await connection.ignition.deploy(LocalHarmonieModule, { parameters: loadParameters("default") });
  const [deployer, artist, fan, collaborator, other] = await ethers.getSigners();
  const at = async <Name extends string>(name: Name, contract: { getAddress(): Promise<string> }) =>
    ethers.getContractAt(name, await contract.getAddress());

  const tipping = await at("HarmonieTipping", deployed.tipping);
  const registry = await at("ContentRegistry", deployed.registry);
  const profiles = await at("ArtistProfiles", deployed.profiles);
  const liveStreams = await at("LiveStreams", deployed.liveStreams);
  const stakedCore = await at("StakedCore", deployed.stakedCore);
  const governor = await at("HarmonieGovernor", deployed.governor);
  const timelock = await at("TimelockController", deployed.timelock);
  const stablecoin = await at("TestStablecoin", deployed.stablecoin);

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
