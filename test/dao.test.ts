import { expect } from "chai";
import type { Deployment } from "../sdk/src/deployments.ts";
import * as dao from "../scripts/dao/operations.ts";
import { deployProtocol, ethers, ISRC, networkHelpers, trackInput } from "./fixtures.ts";

const { loadFixture, time } = networkHelpers;

/** The fixture's addresses in the shape `npm run deploy` writes. */
async function withDeployment() {
  const f = await deployProtocol();
  const entries = {
    HarmonieTipping: f.tipping,
    ContentRegistry: f.registry,
    ArtistProfiles: f.profiles,
    LiveStreams: f.liveStreams,
    StakedCore: f.stakedCore,
    HarmonieGovernor: f.governor,
    TimelockController: f.timelock,
  };
  const contracts: Record<string, { address: `0x${string}`; blockNumber: number }> = {};
  for (const [name, contract] of Object.entries(entries)) {
    contracts[name] = { address: (await contract.getAddress()) as `0x${string}`, blockNumber: 0 };
  }
  const deployment = { chainId: 31337, network: "default", contracts } as Deployment;
  await f.stakedCore.stake({ value: ethers.parseEther("10") });
  await f.stakedCore.delegate(f.deployer.address);
  await time.increase(1);
  return { ...f, deployment };
}

async function runThrough(deployment: Deployment, input: dao.ProposalInput) {
  const { proposalId } = await dao.propose(ethers, deployment, input);
  expect((await dao.status(ethers, deployment, proposalId)).state).to.equal("Pending");
  await time.increase(2);
  await dao.vote(ethers, deployment, proposalId, "for", "yes");
  await time.increase(300);
  expect((await dao.status(ethers, deployment, proposalId)).state).to.equal("Succeeded");
  await dao.queue(ethers, deployment, proposalId);
  await time.increase(60);
  await dao.execute(ethers, deployment, proposalId);
  const status = await dao.status(ethers, deployment, proposalId);
  expect(status.state).to.equal("Executed");
  expect(status.description).to.equal(input.description);
  return status;
}

describe("DAO operations (hardhat dao …)", () => {
  it("changes the licence fee from a proposal in domain terms", async () => {
    const { deployment, registry } = await loadFixture(withDeployment);
    const status = await runThrough(deployment, { kind: "license-fee", bps: 100, description: "Licence fee to 1%" });
    expect(status.votes.for).to.equal(ethers.parseEther("10"));
    expect(await registry.feeBps()).to.equal(100n);
  });

  it("flags a track by its hyphenated ISRC, and pauses a contract", async () => {
    const { deployment, registry, profiles, artist, collaborator } = await loadFixture(withDeployment);
    await registry.connect(artist).registerTrack(trackInput(artist.address, collaborator.address));
    await runThrough(deployment, { kind: "flag", track: "US-RC1-76-07839", reason: "dispute", description: "Flag it" });
    expect((await registry.trackOf(await registry.trackIdOf(ISRC))).status).to.equal(1n); // Flagged
    await runThrough(deployment, { kind: "pause", contract: "profiles", description: "Pause profiles" });
    expect(await profiles.paused()).to.equal(true);
  });

  it("claims a registrant code, reassigns a squatted track and revokes another, in domain terms", async () => {
    const { deployment, registry, artist, collaborator, other } = await loadFixture(withDeployment);
    await registry.connect(other).registerTrack(trackInput(other.address, other.address));
    const trackId = await registry.trackIdOf(ISRC);
    await runThrough(deployment, {
      kind: "reassign",
      track: "US-RC1-76-07839",
      artist: artist.address,
      splits: `${artist.address}:8000,${collaborator.address}:2000`,
      reason: "ISRC belongs to the artist (DAO vote)",
      description: "Reassign US-RC1-76-07839 to its artist",
    });
    expect((await registry.trackOf(trackId)).artist).to.equal(artist.address);
    expect(await registry.splitsOf(trackId)).to.deep.equal([
      [artist.address, 8_000n],
      [collaborator.address, 2_000n],
    ]);
    await runThrough(deployment, {
      kind: "registrant",
      code: "us-rc1",
      to: collaborator.address,
      description: "Label",
    });
    expect(await registry.registrantOf("USRC1")).to.equal(collaborator.address);
    await runThrough(deployment, { kind: "revoke", track: ISRC, reason: "stolen", description: "Revoke it" });
    expect((await registry.trackOf(trackId)).status).to.equal(2n); // Revoked
  });

  it("rejects malformed proposals before sending anything", async () => {
    const { deployment } = await loadFixture(withDeployment);
    const cases: [dao.ProposalInput, RegExp][] = [
      [{ kind: "tip-fee", bps: 2_000, description: "x" }, /--bps must be/],
      [{ kind: "grant", to: "0x123", amount: "1", description: "x" }, /--to must be an address/],
      [{ kind: "grant", to: ethers.ZeroAddress, description: "x" }, /--amount/],
      [{ kind: "flag", track: ISRC, description: "x" }, /--reason is required/],
      [{ kind: "revoke", track: ISRC, description: "x" }, /--reason is required/],
      [{ kind: "reassign", track: ISRC, artist: "nova", reason: "r", description: "x" }, /--artist must be/],
      [{ kind: "reassign", track: ISRC, artist: ethers.ZeroAddress, description: "x" }, /--reason is required/],
      [
        { kind: "reassign", track: ISRC, artist: ethers.ZeroAddress, splits: "0x1:50", reason: "r", description: "x" },
        /--splits must be/,
      ],
      [{ kind: "registrant", code: "US-RC", to: ethers.ZeroAddress, description: "x" }, /--code must be/],
      [{ kind: "registrant", code: "US-RC1", to: "label", description: "x" }, /--to must be/],
      [{ kind: "pause", contract: "tipping", description: "x" }, /--contract must be one of/],
      [{ kind: "tip-fee", bps: 100, description: " " }, /--description is required/],
      [{ kind: "mint" as dao.ProposalKind, description: "x" }, /Unknown proposal kind/],
    ];
    for (const [input, message] of cases) {
      let error: Error | undefined;
      await dao.propose(ethers, deployment, input).catch((e: Error) => (error = e));
      expect(error?.message, JSON.stringify(input)).to.match(message);
    }
    await expect(dao.findProposal(ethers, deployment, 1n)).to.be.rejectedWith(/No proposal 1/);
  });
});
