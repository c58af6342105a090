import { expect } from "chai";
import {
  actions,
  deployProtocol,
  ethers,
  ISRC,
  lifecycleArgs,
  networkHelpers,
  passProposal as runProposal,
  propose,
  ProposalState,
  trackInput,
} from "./fixtures.ts";

const { loadFixture, time } = networkHelpers;
const ONE = ethers.parseEther("1");
const HOUR = 3600n;

/** Runs one proposal through the whole DAO: propose, vote, queue, execute. */
async function passProposal(
  f: Awaited<ReturnType<typeof deployProtocol>>,
  targets: string[],
  values: bigint[],
  calldatas: string[],
  description: string,
) {
  const { governor, fan } = f;
  await expect(governor.connect(fan).propose(targets, values, calldatas, description)).to.emit(
    governor,
    "ProposalCreated",
  );
  const proposalId = await governor.hashProposal(targets, values, calldatas, ethers.id(description));
  expect(await governor.state(proposalId)).to.equal(ProposalState.Pending);
  await time.increase((await governor.votingDelay()) + 1n);
  await expect(governor.connect(fan).castVoteWithReason(proposalId, 1, "good for artists"))
    .to.emit(governor, "VoteCast")
    .withArgs(fan.address, proposalId, 1n, ONE * 10n, "good for artists");
  await time.increase(await governor.votingPeriod());
  expect(await governor.state(proposalId)).to.equal(ProposalState.Succeeded);
  await expect(governor.queue(targets, values, calldatas, ethers.id(description))).to.emit(governor, "ProposalQueued");
  await time.increase(await f.timelock.getMinDelay());
  await expect(governor.execute(targets, values, calldatas, ethers.id(description))).to.emit(
    governor,
    "ProposalExecuted",
  );
  expect(await governor.state(proposalId)).to.equal(ProposalState.Executed);
  return proposalId;
}

async function withVoter() {
  const f = await deployProtocol();
  await f.stakedCore.connect(f.fan).stake({ value: ONE * 10n });
  await f.stakedCore.connect(f.fan).delegate(f.fan.address);
  await time.increase(1);
  return f;
}

describe("Governance", () => {
  describe("StakedCore", () => {
    it("stakes CORE 1:1 into voting tokens on a timestamp clock", async () => {
      const { stakedCore, fan } = await loadFixture(deployProtocol);
      await expect(stakedCore.connect(fan).stake({ value: ONE }))
        .to.emit(stakedCore, "Staked")
        .withArgs(fan.address, ONE);
      expect(await stakedCore.balanceOf(fan.address)).to.equal(ONE);
      expect(await ethers.provider.getBalance(await stakedCore.getAddress())).to.equal(ONE);
      expect(await stakedCore.getVotes(fan.address)).to.equal(0n); // votes need a delegation
      await stakedCore.connect(fan).delegate(fan.address);
      expect(await stakedCore.getVotes(fan.address)).to.equal(ONE);
      expect(await stakedCore.CLOCK_MODE()).to.equal("mode=timestamp");
      expect(await stakedCore.clock()).to.equal(BigInt(await time.latest()));
      await expect(stakedCore.connect(fan).stake({ value: 0n })).to.be.revertedWithCustomError(
        stakedCore,
        "StakedCoreZeroAmount",
      );
    });

    it("unstakes through a request, a cooldown and a withdrawal", async () => {
      const { stakedCore, fan } = await loadFixture(withVoter);
      await expect(stakedCore.connect(fan).requestUnstake(0n)).to.be.revertedWithCustomError(
        stakedCore,
        "StakedCoreZeroAmount",
      );
      const cooldown = await stakedCore.cooldown();
      await expect(stakedCore.connect(fan).requestUnstake(ONE * 4n))
        .to.emit(stakedCore, "UnstakeRequested")
        .withArgs(fan.address, ONE * 4n, BigInt(await time.latest()) + 1n + cooldown);
      expect(await stakedCore.getVotes(fan.address)).to.equal(ONE * 6n); // escrowed tokens stop voting
      const pending = await stakedCore.pendingUnstakeOf(fan.address);
      expect(pending.amount).to.equal(ONE * 4n);
      await expect(stakedCore.connect(fan).completeUnstake())
        .to.be.revertedWithCustomError(stakedCore, "StakedCoreCooldownActive")
        .withArgs(pending.unlockAt);
      await time.increaseTo(pending.unlockAt);
      const tx = stakedCore.connect(fan).completeUnstake();
      await expect(tx)
        .to.emit(stakedCore, "Unstaked")
        .withArgs(fan.address, ONE * 4n);
      await expect(tx).to.changeEtherBalance(ethers, fan, ONE * 4n);
      expect(await stakedCore.totalSupply()).to.equal(ONE * 6n);
      expect(await ethers.provider.getBalance(await stakedCore.getAddress())).to.equal(ONE * 6n);
      await expect(stakedCore.connect(fan).completeUnstake())
        .to.be.revertedWithCustomError(stakedCore, "StakedCoreNothingToUnstake")
        .withArgs(fan.address);
    });

    it("cancels a pending unstake", async () => {
      const { stakedCore, fan } = await loadFixture(withVoter);
      await expect(stakedCore.connect(fan).cancelUnstake()).to.be.revertedWithCustomError(
        stakedCore,
        "StakedCoreNothingToUnstake",
      );
      await stakedCore.connect(fan).requestUnstake(ONE);
      await expect(stakedCore.connect(fan).cancelUnstake())
        .to.emit(stakedCore, "UnstakeCancelled")
        .withArgs(fan.address, ONE);
      expect(await stakedCore.balanceOf(fan.address)).to.equal(ONE * 10n);
    });

    it("reverts with TransferFailed when the unstaker refuses CORE", async () => {
      const { stakedCore } = await loadFixture(deployProtocol);
      const holder = await ethers.deployContract("RejectingReceiver");
      const holderAddress = await holder.getAddress();
      await networkHelpers.impersonateAccount(holderAddress);
      await networkHelpers.setBalance(holderAddress, ONE * 2n);
      const asHolder = await ethers.getSigner(holderAddress);
      await stakedCore.connect(asHolder).stake({ value: ONE });
      await stakedCore.connect(asHolder).requestUnstake(ONE);
      await time.increase(await stakedCore.cooldown());
      await expect(stakedCore.connect(asHolder).completeUnstake())
        .to.be.revertedWithCustomError(stakedCore, "StakedCoreTransferFailed")
        .withArgs(holderAddress, ONE);
    });

    it("supports EIP-2612 permits and delegation by signature", async () => {
      const { stakedCore, fan, other } = await loadFixture(withVoter);
      const { chainId } = await ethers.provider.getNetwork();
      const domain = { name: "Harmonie Vote", version: "1", chainId, verifyingContract: await stakedCore.getAddress() };
      const deadline = BigInt(await time.latest()) + HOUR;
      const permit = ethers.Signature.from(
        await fan.signTypedData(
          domain,
          {
            Permit: [
              { name: "owner", type: "address" },
              { name: "spender", type: "address" },
              { name: "value", type: "uint256" },
              { name: "nonce", type: "uint256" },
              { name: "deadline", type: "uint256" },
            ],
          },
          { owner: fan.address, spender: other.address, value: ONE, nonce: 0n, deadline },
        ),
      );
      await stakedCore.connect(other).permit(fan.address, other.address, ONE, deadline, permit.v, permit.r, permit.s);
      expect(await stakedCore.allowance(fan.address, other.address)).to.equal(ONE);
      expect(await stakedCore.nonces(fan.address)).to.equal(1n);
      const delegation = ethers.Signature.from(
        await fan.signTypedData(
          domain,
          {
            Delegation: [
              { name: "delegatee", type: "address" },
              { name: "nonce", type: "uint256" },
              { name: "expiry", type: "uint256" },
            ],
          },
          { delegatee: other.address, nonce: 1n, expiry: deadline },
        ),
      );
      await stakedCore.delegateBySig(other.address, 1n, deadline, delegation.v, delegation.r, delegation.s);
      expect(await stakedCore.getVotes(other.address)).to.equal(ONE * 10n);
    });
  });

  describe("deployment wiring", () => {
    it("makes the governor the timelock's only proposer and leaves no admin", async () => {
      const { timelock, governor, deployer, stakedCore } = await loadFixture(deployProtocol);
      const governorAddress = await governor.getAddress();
      expect(await timelock.hasRole(ethers.id("PROPOSER_ROLE"), governorAddress)).to.equal(true);
      expect(await timelock.hasRole(ethers.id("CANCELLER_ROLE"), governorAddress)).to.equal(true);
      expect(await timelock.hasRole(ethers.id("EXECUTOR_ROLE"), ethers.ZeroAddress)).to.equal(true);
      expect(await timelock.hasRole(ethers.ZeroHash, deployer.address)).to.equal(false);
      expect(await governor.token()).to.equal(await stakedCore.getAddress());
      expect(await governor.timelock()).to.equal(await timelock.getAddress());
      expect(await governor.CLOCK_MODE()).to.equal("mode=timestamp");
      expect(await governor.votingDelay()).to.equal(1n);
      expect(await governor.votingPeriod()).to.equal(300n);
      expect(await governor.proposalThreshold()).to.equal(ONE);
      expect(await governor.lateQuorumVoteExtension()).to.equal(60n);
      expect(await governor["quorumFloor()"]()).to.equal(ONE);
      expect(await governor.proposalGuardian()).to.equal(ethers.ZeroAddress);
      expect(await stakedCore.governor()).to.equal(governorAddress);
      expect(await stakedCore.minimumCooldown()).to.equal(3600n);
      expect(await stakedCore.name()).to.equal("Harmonie Vote");
      expect(await stakedCore.symbol()).to.equal("hVOTE");
      expect((await stakedCore.eip712Domain()).name).to.equal("Harmonie Vote");
    });
  });

  describe("quorum floor", () => {
    it("quorum is the larger of the fraction of the supply and the floor", async () => {
      const { governor, stakedCore, other } = await loadFixture(withVoter);
      // 4% of 10 votes is 0.4: the 1-vote floor rules.
      const small = BigInt(await time.latest());
      await time.increase(1);
      expect(await governor["quorumFloor(uint256)"](small)).to.equal(ONE);
      expect(await governor.quorum(small)).to.equal(ONE);
      // 4% of 1,010 is 40.4: the fraction rules.
      await stakedCore.connect(other).stake({ value: ONE * 1_000n });
      const large = BigInt(await time.latest());
      await time.increase(1);
      expect(await governor.quorum(large)).to.equal((ONE * 1_010n * 4n) / 100n);
    });

    it("only a passed proposal sets it", async () => {
      const { governor, fan, deployer, asTimelock } = await loadFixture(withVoter);
      for (const caller of [fan, deployer]) {
        await expect(governor.connect(caller).setQuorumFloor(0n))
          .to.be.revertedWithCustomError(governor, "GovernorOnlyExecutor")
          .withArgs(caller.address);
      }
      // Even the timelock, outside the execution of a proposal that contains the call.
      await expect(governor.connect(asTimelock).setQuorumFloor(0n)).to.be.revert(ethers);
    });

    it("a new floor applies to proposals snapshotted after it, not to those already voting", async () => {
      const f = await loadFixture(withVoter);
      const { governor, stakedCore, tipping, fan, other } = f;
      await stakedCore.connect(other).stake({ value: ONE * 15n }); // supply 25 (4% = 1 vote), fan votes 10
      const raise = await actions("Quorum floor to 20 votes", [governor, "setQuorumFloor", [ONE * 20n]]);
      const raiseId = await runProposal(f, fan, raise, ProposalState.Queued);
      // Snapshotted while the old floor is in force, voted on after the new one.
      const before = await actions("Fee to 3%", [tipping, "setFee", [300]]);
      const beforeId = await propose(f, fan, before);
      await time.increaseTo(await governor.proposalEta(raiseId));
      await expect(governor.execute(...lifecycleArgs(raise)))
        .to.emit(governor, "QuorumFloorUpdated")
        .withArgs(ONE, ONE * 20n);
      const after = await actions("Fee to 4%", [tipping, "setFee", [400]]);
      const afterId = await propose(f, fan, after);
      await time.increase(2);
      await governor.connect(fan).castVote(beforeId, 1);
      await governor.connect(fan).castVote(afterId, 1);
      const [snapshotBefore, snapshotAfter] = [
        await governor.proposalSnapshot(beforeId),
        await governor.proposalSnapshot(afterId),
      ];
      expect(await governor["quorumFloor(uint256)"](snapshotBefore)).to.equal(ONE);
      expect(await governor["quorumFloor(uint256)"](snapshotAfter)).to.equal(ONE * 20n);
      expect(await governor["quorumFloor()"]()).to.equal(ONE * 20n);
      expect(await governor.quorum(snapshotBefore)).to.equal(ONE);
      expect(await governor.quorum(snapshotAfter)).to.equal(ONE * 20n);
      await time.increaseTo((await governor.proposalDeadline(afterId)) + 1n);
      expect(await governor.state(beforeId)).to.equal(ProposalState.Succeeded);
      expect(await governor.state(afterId)).to.equal(ProposalState.Defeated);
    });

    it("refuses a floor above the supply, accepts one equal to it", async () => {
      const f = await loadFixture(withVoter);
      const { governor, fan } = f;
      const supply = ONE * 10n;
      const tooHigh = await actions("Floor above the supply", [governor, "setQuorumFloor", [supply + 1n]]);
      await runProposal(f, fan, tooHigh, ProposalState.Queued);
      await time.increaseTo(await governor.proposalEta(await governor.hashProposal(...lifecycleArgs(tooHigh))));
      await expect(governor.execute(...lifecycleArgs(tooHigh)))
        .to.be.revertedWithCustomError(governor, "HarmonieGovernorQuorumFloorAboveSupply")
        .withArgs(supply + 1n, supply);
      await runProposal(f, fan, await actions("Floor at the supply", [governor, "setQuorumFloor", [supply]]));
      expect(await governor["quorumFloor()"]()).to.equal(supply);
    });
  });

  describe("unstake cooldown covers the vote lifetime", () => {
    it("is the minimum until a governor is bound, then the longer of the minimum and voting period + extension + delay", async () => {
      const { stakedCore, governor, deployer, fan } = await loadFixture(deployProtocol);
      // The fixture: 3,600 s minimum over 300 + 60 + 60.
      expect(await stakedCore.cooldown()).to.equal(3600n);
      await expect(stakedCore.bindGovernor(governor))
        .to.be.revertedWithCustomError(stakedCore, "StakedCoreGovernorAlreadyBound")
        .withArgs(await governor.getAddress());

      const token = await ethers.deployContract("StakedCore", [100n]);
      expect(await token.cooldown()).to.equal(100n);
      expect(await token.governor()).to.equal(ethers.ZeroAddress);
      const timelock = await ethers.deployContract("TimelockController", [50n, [], [ethers.ZeroAddress], deployer]);
      const own = await ethers.deployContract("HarmonieGovernor", [
        token,
        timelock,
        1n,
        200n,
        0n,
        4n,
        30n,
        ethers.ZeroAddress,
        0n,
      ]);
      await expect(token.connect(fan).bindGovernor(own))
        .to.be.revertedWithCustomError(token, "StakedCoreUnauthorized")
        .withArgs(fan.address);
      await expect(token.bindGovernor(ethers.ZeroAddress))
        .to.be.revertedWithCustomError(token, "StakedCoreInvalidGovernor")
        .withArgs(ethers.ZeroAddress);
      // The fixture's governor counts the fixture's token.
      await expect(token.bindGovernor(governor))
        .to.be.revertedWithCustomError(token, "StakedCoreInvalidGovernor")
        .withArgs(await governor.getAddress());
      await expect(token.bindGovernor(own))
        .to.emit(token, "GovernorBound")
        .withArgs(await own.getAddress());
      expect(await token.governor()).to.equal(await own.getAddress());
      expect(await token.cooldown()).to.equal(200n + 30n + 50n);
    });

    it("follows governance changes to the voting period, the extension and the timelock delay", async () => {
      const f = await loadFixture(withVoter);
      const { governor, timelock, stakedCore, fan } = f;
      await runProposal(
        f,
        fan,
        await actions(
          "Longer votes",
          [governor, "setVotingPeriod", [7_200]],
          [governor, "setLateQuorumVoteExtension", [90]],
          [timelock, "updateDelay", [120]],
        ),
      );
      expect(await stakedCore.cooldown()).to.equal(7_200n + 90n + 120n);
      await expect(stakedCore.connect(fan).requestUnstake(ONE))
        .to.emit(stakedCore, "UnstakeRequested")
        .withArgs(fan.address, ONE, BigInt(await time.latest()) + 1n + 7_410n);
    });

    for (const [name, breakIt] of [
      ["points the governor at a timelock that cannot answer", "updateTimelock"],
      ["sets a timelock delay no eta can hold", "updateDelay"],
      ["sets the largest uint48 delay, which no eta can hold either", "updateDelayMax48"],
    ] as const) {
      it(`falls back to the minimum, so exits stay open, when governance ${name}`, async () => {
        const f = await loadFixture(withVoter);
        const { governor, timelock, stakedCore, tipping, fan, other } = f;
        const broken =
          breakIt === "updateTimelock"
            ? ([governor, "updateTimelock", [other.address]] as const)
            : ([timelock, "updateDelay", [breakIt === "updateDelay" ? 2n ** 48n : 2n ** 48n - 1n]] as const);
        // A longer voting period in the same proposal: without the fallback the cooldown would exceed it.
        await runProposal(f, fan, await actions("Break it", [governor, "setVotingPeriod", [7_200]], [...broken]));
        expect(await stakedCore.cooldown()).to.equal(3600n);
        await expect(stakedCore.connect(fan).requestUnstake(ONE))
          .to.emit(stakedCore, "UnstakeRequested")
          .withArgs(fan.address, ONE, BigInt(await time.latest()) + 1n + 3600n);
        // And no vote can execute any more: the governor cannot queue.
        const p = await actions("Fee to 3%", [tipping, "setFee", [300]]);
        const id = await propose(f, fan, p);
        await time.increaseTo((await governor.proposalSnapshot(id)) + 1n);
        await governor.connect(fan).castVote(id, 1);
        await time.increaseTo((await governor.proposalDeadline(id)) + 1n);
        await expect(governor.queue(...lifecycleArgs(p))).to.be.revert(ethers);
      });
    }

    it("a repeat request never brings the unlock time forward", async () => {
      const f = await loadFixture(withVoter);
      const { governor, stakedCore, fan } = f;
      await runProposal(f, fan, await actions("Longer votes", [governor, "setVotingPeriod", [7_200]]));
      const shorten = await actions("Shorter votes", [governor, "setVotingPeriod", [300]]);
      const shortenId = await runProposal(f, fan, shorten, ProposalState.Queued);
      await stakedCore.connect(fan).requestUnstake(ONE);
      const { unlockAt } = await stakedCore.pendingUnstakeOf(fan.address);
      expect(unlockAt).to.equal(BigInt(await time.latest()) + 7_200n + 60n + 60n);
      await time.increaseTo(await governor.proposalEta(shortenId));
      await governor.execute(...lifecycleArgs(shorten));
      expect(await stakedCore.cooldown()).to.equal(3600n);
      await expect(stakedCore.connect(fan).requestUnstake(ONE))
        .to.emit(stakedCore, "UnstakeRequested")
        .withArgs(fan.address, ONE * 2n, unlockAt);
    });
  });

  describe("end to end", () => {
    it("stake, delegate, propose a fee change, vote, queue, execute: the fee changes", async () => {
      const f = await loadFixture(withVoter);
      const { tipping } = f;
      const calldata = tipping.interface.encodeFunctionData("setFee", [300]);
      await passProposal(f, [await tipping.getAddress()], [0n], [calldata], "Set the tipping fee to 3%");
      // A raise is announced by the execution and takes effect after the notice period.
      const { feeBps, pendingFeeBps, pendingFrom, noticePeriod } = await tipping.fees();
      expect([feeBps, pendingFeeBps]).to.deep.equal([250n, 300n]);
      await networkHelpers.time.increaseTo(pendingFrom);
      expect((await tipping.fees()).feeBps).to.equal(300n);
      expect(noticePeriod).to.equal(120n);
    });

    it("pays a treasury grant from fees the protocol collected", async () => {
      const f = await loadFixture(withVoter);
      const { tipping, artist, fan, other, timelock } = f;
      await tipping.connect(fan).tip(artist.address, 0n, "", { value: ONE * 4n });
      await tipping.connect(artist).withdraw(ethers.ZeroAddress);
      await expect(tipping.sweepFees(ethers.ZeroAddress)).to.changeEtherBalance(ethers, timelock, ONE / 10n);
      const treasury = ONE / 10n;
      const before = await ethers.provider.getBalance(other.address);
      await passProposal(f, [other.address], [treasury], ["0x"], "Grant: community stage equipment");
      expect(await ethers.provider.getBalance(other.address)).to.equal(before + treasury);
    });

    it("flags a disputed track by proposal", async () => {
      const f = await loadFixture(withVoter);
      const { registry, artist, collaborator } = f;
      await registry.connect(artist).registerTrack(trackInput(artist.address, collaborator.address));
      const trackId = await registry.trackIdOf(ISRC);
      const calldata = registry.interface.encodeFunctionData("flagTrack", [trackId, "sample not cleared"]);
      await passProposal(f, [await registry.getAddress()], [0n], [calldata], "Flag USRC17607839: sample not cleared");
      expect((await registry.trackOf(trackId)).status).to.equal(1n); // Flagged
    });

    it("lets the proposer cancel a proposal before voting starts", async () => {
      const { governor, tipping, fan, other } = await loadFixture(withVoter);
      const target = [await tipping.getAddress()];
      const calldata = [tipping.interface.encodeFunctionData("setFee", [0])];
      await governor.connect(fan).propose(target, [0n], calldata, "No fee");
      const descriptionHash = ethers.id("No fee");
      const proposalId = await governor.hashProposal(target, [0n], calldata, descriptionHash);
      await expect(governor.connect(other).cancel(target, [0n], calldata, descriptionHash))
        .to.be.revertedWithCustomError(governor, "GovernorUnableToCancel")
        .withArgs(proposalId, other.address);
      await expect(governor.connect(fan).cancel(target, [0n], calldata, descriptionHash))
        .to.emit(governor, "ProposalCanceled")
        .withArgs(proposalId);
      expect(await governor.state(proposalId)).to.equal(ProposalState.Canceled);
    });

    it("extends voting when quorum is reached late", async () => {
      const f = await loadFixture(withVoter);
      const { governor, stakedCore, tipping, other, fan } = f;
      // A large holder makes fan's 10 hVOTE fall short of the 4% quorum until it votes too.
      await stakedCore.connect(other).stake({ value: ONE * 1_000n });
      await stakedCore.connect(other).delegate(other.address);
      await time.increase(1);
      const calldata = [tipping.interface.encodeFunctionData("setFee", [0])];
      const target = [await tipping.getAddress()];
      await governor.connect(fan).propose(target, [0n], calldata, "No fee");
      const proposalId = await governor.hashProposal(target, [0n], calldata, ethers.id("No fee"));
      const deadline = await governor.proposalDeadline(proposalId);
      await time.increase((await governor.votingDelay()) + 1n);
      await governor.connect(fan).castVote(proposalId, 1);
      const quorum = await governor.quorum(await governor.proposalSnapshot(proposalId));
      expect((await governor.proposalVotes(proposalId)).forVotes).to.be.lessThan(quorum);
      await time.increaseTo(deadline - 5n);
      await expect(governor.connect(other).castVote(proposalId, 1)).to.emit(governor, "ProposalExtended");
      const extended = await governor.proposalDeadline(proposalId);
      expect(extended).to.equal(BigInt(await time.latest()) + (await governor.lateQuorumVoteExtension()));
      await time.increaseTo(deadline + 1n);
      expect(await governor.state(proposalId)).to.equal(ProposalState.Active);
      await time.increaseTo(extended + 1n);
      expect(await governor.state(proposalId)).to.equal(ProposalState.Succeeded);
    });
  });
});
