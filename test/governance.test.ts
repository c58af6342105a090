import { expect } from "chai";
import { deployProtocol, ethers, ISRC, networkHelpers, trackInput } from "./fixtures.ts";

const { loadFixture, time } = networkHelpers;
const ONE = ethers.parseEther("1");
const HOUR = 3600n;

enum ProposalState {
  Pending,
  Active,
  Canceled,
  Defeated,
  Succeeded,
  Queued,
  Expired,
  Executed,
}

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
      expect((await registry.trackOf(trackId)).flagged).to.equal(true);
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
      // A large holder makes fan's 10 stCORE fall short of the 4% quorum until it votes too.
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
