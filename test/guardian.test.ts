import { expect } from "chai";
import {
  actions,
  deployProtocol,
  deployProtocolWithGuardian,
  ethers,
  lifecycleArgs,
  networkHelpers,
  passProposal,
  propose,
  ProposalState,
} from "./fixtures.ts";

const { loadFixture, time } = networkHelpers;
const ONE = ethers.parseEther("1");

/** The guardian fixture with fan holding 10 votes. */
async function withGuardianAndVoter() {
  const f = await deployProtocolWithGuardian();
  await f.stakedCore.connect(f.fan).stake({ value: ONE * 10n });
  await f.stakedCore.connect(f.fan).delegate(f.fan.address);
  await time.increase(1);
  return f;
}

/** Each stage a proposal can be cancelled in, and how to bring a fresh proposal there. */
const STAGES: [
  string,
  ProposalState,
  (f: Awaited<ReturnType<typeof withGuardianAndVoter>>, id: bigint) => Promise<void>,
][] = [
  ["pending", ProposalState.Pending, async () => {}],
  [
    "active",
    ProposalState.Active,
    async ({ governor, fan }, id) => {
      await time.increaseTo((await governor.proposalSnapshot(id)) + 1n);
      await governor.connect(fan).castVote(id, 1);
    },
  ],
  [
    "defeated",
    ProposalState.Defeated,
    async ({ governor, fan }, id) => {
      await time.increaseTo((await governor.proposalSnapshot(id)) + 1n);
      await governor.connect(fan).castVote(id, 0);
      await time.increaseTo((await governor.proposalDeadline(id)) + 1n);
    },
  ],
  [
    "succeeded",
    ProposalState.Succeeded,
    async ({ governor, fan }, id) => {
      await time.increaseTo((await governor.proposalSnapshot(id)) + 1n);
      await governor.connect(fan).castVote(id, 1);
      await time.increaseTo((await governor.proposalDeadline(id)) + 1n);
    },
  ],
];

describe("Guardian", () => {
  for (const [name, state, reach] of STAGES) {
    it(`cancels a proposal that is ${name}`, async () => {
      const f = await loadFixture(withGuardianAndVoter);
      const { governor, tipping, fan, guardian } = f;
      const p = await actions(`Fee to 10% (${name})`, [tipping, "setFee", [1_000]]);
      const id = await propose(f, fan, p);
      await reach(f, id);
      expect(await governor.state(id)).to.equal(state);
      await expect(governor.connect(guardian).cancel(...lifecycleArgs(p)))
        .to.emit(governor, "ProposalCanceled")
        .withArgs(id);
      expect(await governor.state(id)).to.equal(ProposalState.Canceled);
    });
  }

  it("cancels a queued proposal in the timelock too, and cannot cancel an executed one", async () => {
    const f = await loadFixture(withGuardianAndVoter);
    const { governor, tipping, fan, guardian, other } = f;
    const queued = await actions("Fee to 10%", [tipping, "setFee", [1_000]]);
    const id = await passProposal(f, fan, queued, ProposalState.Queued);
    await expect(governor.connect(guardian).cancel(...lifecycleArgs(queued))).to.emit(f.timelock, "Cancelled");
    expect(await governor.state(id)).to.equal(ProposalState.Canceled);
    await time.increaseTo(await governor.proposalEta(id));
    await expect(governor.execute(...lifecycleArgs(queued))).to.be.revertedWithCustomError(
      governor,
      "GovernorUnexpectedProposalState",
    );
    const done = await actions("Fee to 3%", [tipping, "setFee", [300]]);
    await passProposal(f, fan, done);
    await expect(governor.connect(guardian).cancel(...lifecycleArgs(done))).to.be.revertedWithCustomError(
      governor,
      "GovernorUnexpectedProposalState",
    );
    // With a guardian set, a proposer cannot cancel once voting has started, and nobody else at all.
    const active = await actions("Fee to 4%", [tipping, "setFee", [400]]);
    const activeId = await propose(f, fan, active);
    await time.increaseTo((await governor.proposalSnapshot(activeId)) + 1n);
    for (const caller of [fan, other]) {
      await expect(governor.connect(caller).cancel(...lifecycleArgs(active)))
        .to.be.revertedWithCustomError(governor, "GovernorUnableToCancel")
        .withArgs(activeId, caller.address);
    }
  });

  it("pauses registry, profiles and live sessions, and cannot unpause them", async () => {
    const { registry, profiles, liveStreams, guardian, asTimelock } = await loadFixture(withGuardianAndVoter);
    for (const pausable of [registry, profiles, liveStreams]) {
      await expect(pausable.connect(guardian).pause()).to.emit(pausable, "Paused").withArgs(guardian.address);
      expect(await pausable.paused()).to.equal(true);
      await expect(pausable.connect(guardian).unpause())
        .to.be.revertedWithCustomError(pausable, "GovernedUnauthorized")
        .withArgs(guardian.address);
      await expect(pausable.connect(asTimelock).unpause()).to.emit(pausable, "Unpaused");
    }
  });

  it("cannot change or remove itself", async () => {
    const { governor, guardian, other } = await loadFixture(withGuardianAndVoter);
    for (const next of [other.address, ethers.ZeroAddress]) {
      await expect(governor.connect(guardian).setProposalGuardian(next))
        .to.be.revertedWithCustomError(governor, "GovernorOnlyExecutor")
        .withArgs(guardian.address);
    }
    expect(await governor.proposalGuardian()).to.equal(guardian.address);
  });

  it("only a passed proposal replaces or removes it", async () => {
    const f = await loadFixture(withGuardianAndVoter);
    const { governor, registry, profiles, liveStreams, tipping, guardian, other, fan, deployer, asTimelock } = f;
    const replace = await actions("New guardian", [governor, "setProposalGuardian", [other.address]]);
    const replaceId = await propose(f, fan, replace);
    await time.increaseTo((await governor.proposalSnapshot(replaceId)) + 1n);
    await governor.connect(fan).castVote(replaceId, 1);
    await time.increaseTo((await governor.proposalDeadline(replaceId)) + 1n);
    await governor.queue(...lifecycleArgs(replace));
    await time.increaseTo(await governor.proposalEta(replaceId));
    await expect(governor.execute(...lifecycleArgs(replace)))
      .to.emit(governor, "ProposalGuardianSet")
      .withArgs(guardian.address, other.address);

    // The old guardian lost both powers; the new one has them.
    await expect(registry.connect(guardian).pause())
      .to.be.revertedWithCustomError(registry, "GovernedUnauthorized")
      .withArgs(guardian.address);
    const p = await actions("Fee to 10%", [tipping, "setFee", [1_000]]);
    const id = await propose(f, fan, p);
    await expect(governor.connect(guardian).cancel(...lifecycleArgs(p)))
      .to.be.revertedWithCustomError(governor, "GovernorUnableToCancel")
      .withArgs(id, guardian.address);
    await expect(profiles.connect(other).pause()).to.emit(profiles, "Paused");
    await profiles.connect(asTimelock).unpause();
    await expect(governor.connect(other).cancel(...lifecycleArgs(p))).to.emit(governor, "ProposalCanceled");

    await passProposal(f, fan, await actions("No guardian", [governor, "setProposalGuardian", [ethers.ZeroAddress]]));
    expect(await governor.proposalGuardian()).to.equal(ethers.ZeroAddress);
    for (const pausable of [registry, profiles, liveStreams]) {
      for (const caller of [guardian, other, fan, deployer]) {
        await expect(pausable.connect(caller).pause())
          .to.be.revertedWithCustomError(pausable, "GovernedUnauthorized")
          .withArgs(caller.address);
      }
      await expect(pausable.connect(asTimelock).pause()).to.emit(pausable, "Paused");
    }
  });

  it("without a guardian, nobody but the timelock pauses, and proposers may cancel their own proposals", async () => {
    const f = await loadFixture(deployProtocol);
    const { governor, registry, profiles, liveStreams, tipping, stakedCore, fan, other, deployer, asTimelock } = f;
    expect(await governor.proposalGuardian()).to.equal(ethers.ZeroAddress);
    for (const pausable of [registry, profiles, liveStreams]) {
      for (const caller of [fan, other, deployer]) {
        await expect(pausable.connect(caller).pause())
          .to.be.revertedWithCustomError(pausable, "GovernedUnauthorized")
          .withArgs(caller.address);
      }
      await expect(pausable.connect(asTimelock).pause()).to.emit(pausable, "Paused");
    }
    // OpenZeppelin's fallback: with no guardian, each proposer guards its own proposals at any stage.
    await stakedCore.connect(fan).stake({ value: ONE * 10n });
    await stakedCore.connect(fan).delegate(fan.address);
    await time.increase(1);
    const p = await actions("Fee to 10%", [tipping, "setFee", [1_000]]);
    const id = await passProposal(f, fan, p, ProposalState.Queued);
    await expect(governor.connect(other).cancel(...lifecycleArgs(p))).to.be.revertedWithCustomError(
      governor,
      "GovernorUnableToCancel",
    );
    await expect(governor.connect(fan).cancel(...lifecycleArgs(p)))
      .to.emit(governor, "ProposalCanceled")
      .withArgs(id);
  });
});
