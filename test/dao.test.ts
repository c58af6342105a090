import { readFileSync } from "node:fs";
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
  if (input.description) expect(status.description).to.equal(input.description);
  return status;
}

describe("DAO operations (hardhat dao …)", () => {
  it("changes the licence fee from a proposal in domain terms", async () => {
    const { deployment, registry } = await loadFixture(withDeployment);
    const status = await runThrough(deployment, { kind: "license-fee", bps: 100, description: "Licence fee to 1%" });
    expect(status.votes.for).to.equal(ethers.parseEther("10"));
    expect(await registry.feeBps()).to.equal(100n);
  });

  it("takes --support for, against or abstain only (not an Object property such as constructor)", async () => {
    const { deployment, governor } = await loadFixture(withDeployment);
    const { proposalId } = await dao.propose(ethers, deployment, { kind: "license-fee", bps: 100 });
    await time.increase(2);
    for (const support of ["maybe", "constructor", "toString", "FOR"]) {
      await expect(dao.vote(ethers, deployment, proposalId, support)).to.be.rejectedWith(
        /--support must be for, against or abstain/,
      );
    }
    await dao.vote(ethers, deployment, proposalId, "against");
    expect((await governor.proposalVotes(proposalId)).againstVotes).to.equal(ethers.parseEther("10"));
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
    const f = await loadFixture(withDeployment);
    const { deployment } = f;
    const stablecoin = await f.stablecoin.getAddress();
    const other = await (await ethers.deployContract("TestStablecoin")).getAddress();
    const cases: [dao.ProposalInput, RegExp][] = [
      [{ kind: "tip-fee", bps: 2_000, description: "x" }, /from 0 to 1000 \(10%\), got 2000/],
      [{ kind: "tip-fee", bps: 2.5, description: "x" }, /--bps must be a whole number/],
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
      [
        { kind: "registrant", code: "US-RC", to: ethers.ZeroAddress, description: "x" },
        /"US-RC" is not a valid registrant code/,
      ],
      [{ kind: "registrant", code: "US-RC1", to: "label", description: "x" }, /--to must be/],
      [{ kind: "pause", contract: "tipping", description: "x" }, /--contract must be one of/],
      [{ kind: "guardian", address: "0x123" }, /--address must be the new guardian's address or none/],
      [{ kind: "guardian" }, /--address must be/],
      [{ kind: "quorum-floor", votes: "1e3" }, /--votes must be a number of votes/],
      [{ kind: "quorum-floor", votes: "11" }, /more than the 10.0 votes that exist/],
      [{ kind: "allow-token", token: "0x123", minimum: "1" }, /--token must be an address/],
      [{ kind: "allow-token", token: ethers.ZeroAddress, minimum: "1" }, /is not an ERC-20/],
      [{ kind: "allow-token", token: stablecoin, minimum: "0" }, /--minimum must be a positive amount of USDC/],
      [{ kind: "allow-token", token: stablecoin, minimum: "0.0000001" }, /--minimum must be a positive amount/],
      [{ kind: "allow-token", token: stablecoin }, /--minimum must be a positive amount/],
      [{ kind: "remove-token", token: other }, /is not accepted for tips/],
      [{ kind: "mint" as dao.ProposalKind, description: "x" }, /Unknown proposal kind/],
    ];
    for (const [input, message] of cases) {
      let error: Error | undefined;
      await dao.propose(ethers, deployment, input).catch((e: Error) => (error = e));
      expect(error?.message, JSON.stringify(input)).to.match(message);
    }
    await expect(dao.findProposal(ethers, deployment, 1n)).to.be.rejectedWith(/No proposal 1/);
  });

  it("reads ISRCs and registrant codes as the contract does (test/vectors/isrc.json)", async () => {
    const { deployment } = await loadFixture(withDeployment);
    const vectors = JSON.parse(readFileSync("test/vectors/isrc.json", "utf8"));
    const flag = (track: string) => dao.buildProposal(ethers, deployment, { kind: "flag", track, reason: "r" });
    for (const { input, canonical } of vectors.isrc.aliases) {
      expect((await flag(input)).calldatas, input).to.deep.equal((await flag(canonical)).calldatas);
    }
    for (const input of vectors.isrc.invalid.filter((i: string) => i !== "")) {
      await expect(flag(input), JSON.stringify(input)).to.be.rejectedWith(/is not a valid ISRC/);
    }
    for (const code of vectors.registrantCode.invalid) {
      const built = dao.buildProposal(ethers, deployment, { kind: "registrant", code, to: "none" });
      await expect(built, JSON.stringify(code)).to.be.rejectedWith(/is not a valid registrant code/);
    }
  });

  it("writes a plain-language description, dated, when none is given", async () => {
    const { deployment, tipping } = await loadFixture(withDeployment);
    const day = new Date((await time.latest()) * 1000).toISOString().slice(0, 10);
    const status = await runThrough(deployment, { kind: "tip-fee", bps: 100 });
    expect(status.description).to.equal(
      `Set the platform fee on tips to 1% (100 basis points). A raise takes effect after the tipping contract's notice period. (proposed ${day})`,
    );
    expect((await tipping.fees()).feeBps).to.equal(100n);
  });

  it("sets and removes the guardian", async () => {
    const { deployment, governor, registry, other, asTimelock } = await loadFixture(withDeployment);
    const set = await runThrough(deployment, { kind: "guardian", address: other.address.toLowerCase() });
    expect(set.description).to.match(new RegExp(`^Make ${other.address} the guardian: it can cancel any proposal`));
    expect(await governor.proposalGuardian()).to.equal(other.address);
    await registry.connect(other).pause();
    await registry.connect(asTimelock).unpause();
    const removed = await runThrough(deployment, { kind: "guardian", address: "none" });
    expect(removed.description).to.match(/^Remove the guardian/);
    expect(await governor.proposalGuardian()).to.equal(ethers.ZeroAddress);
    await expect(registry.connect(other).pause()).to.be.revertedWithCustomError(registry, "GovernedUnauthorized");
  });

  it("sets the quorum floor in whole votes", async () => {
    const { deployment, governor } = await loadFixture(withDeployment);
    const status = await runThrough(deployment, { kind: "quorum-floor", votes: "2.5" });
    expect(status.description).to.match(/^Require at least 2.5 votes \(for or abstain\)/);
    expect(await governor["quorumFloor()"]()).to.equal(ethers.parseEther("2.5"));
  });

  it("allows a payment token with a minimum in its own units, and removes it", async () => {
    const { deployment, tipping, artist } = await loadFixture(withDeployment);
    const usdt = await ethers.deployContract("TestStablecoin"); // 6 decimals, like Core's bridged USDT
    const token = await usdt.getAddress();
    const allowed = await runThrough(deployment, { kind: "allow-token", token, minimum: "0.5" });
    expect(allowed.description).to.match(
      new RegExp(`^Accept USDC \\(${token}\\) for tips, with a minimum tip of 0.5 USDC`),
    );
    expect(await tipping.minimumTipOf(artist.address, token)).to.equal(500_000n);
    const removed = await runThrough(deployment, { kind: "remove-token", token });
    expect(removed.description).to.match(/^Stop accepting USDC/);
    expect(await tipping.minimumTipOf(artist.address, token)).to.equal(0n);
  });
});
