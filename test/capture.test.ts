import { expect } from "chai";
import HarmonieModule from "../deploy/Harmonie.ts";
import {
  actions,
  connection,
  ethers,
  lifecycleArgs,
  networkHelpers,
  propose,
  ProposalState,
  type ProposalActions,
} from "./fixtures.ts";

// Issue 11, item 3: with the mainnet defaults, one account staked 1,000 CORE, proposed PROPOSER_ROLE on
// the timelock for itself, pausing the registry and the tip fee at its 10% cap, passed all three alone
// (the quorum at the snapshot was 40 votes), and had its CORE back two days before they executed.
// Each defence is shown on its own below.

const { loadFixture, time } = networkHelpers;
const CORE = ethers.parseEther("1");
const DAY = 24n * 3600n;

/** The protocol as deployed to Core mainnet (no parameters file), with a guardian multisig. */
async function mainnetDefaults() {
  const [deployer, attacker, guardian, whale] = await ethers.getSigners();
  const deployed = await connection.ignition.deploy(HarmonieModule, {
    parameters: { Governance: { guardian: guardian.address } },
  });
  const governor = await ethers.getContractAt("HarmonieGovernor", deployed.governor);
  const timelock = await ethers.getContractAt("TimelockController", deployed.timelock);
  const stakedCore = await ethers.getContractAt("StakedCore", deployed.stakedCore);
  const registry = await ethers.getContractAt("ContentRegistry", deployed.registry);
  const tipping = await ethers.getContractAt("HarmonieTipping", deployed.tipping);
  const cap = await tipping.MAX_FEE_BPS();
  const capture = async (what: string): Promise<ProposalActions> => {
    switch (what) {
      case "proposer":
        return actions("Timelock proposer role", [
          timelock,
          "grantRole",
          [ethers.id("PROPOSER_ROLE"), attacker.address],
        ]);
      case "pause":
        return actions("Pause the registry", [registry, "pause", []]);
      default:
        return actions("Tip fee at the cap", [tipping, "setFee", [cap]]);
    }
  };
  return { deployer, attacker, guardian, whale, governor, timelock, stakedCore, registry, tipping, cap, capture };
}

type Mainnet = Awaited<ReturnType<typeof mainnetDefaults>>;

/** `who` stakes and self-delegates `amount` CORE, then proposes `p` and waits for voting to open. */
async function stakeAndPropose(f: Mainnet, who: Mainnet["attacker"], amount: bigint, p: ProposalActions) {
  await networkHelpers.setBalance(who.address, amount + 10n * CORE);
  await f.stakedCore.connect(who).stake({ value: amount });
  await f.stakedCore.connect(who).delegate(who.address);
  await time.increase(1);
  const proposalId = await propose(f, who, p);
  const snapshot = await f.governor.proposalSnapshot(proposalId);
  await time.increaseTo(snapshot + 1n);
  return { proposalId, snapshot };
}

describe("Capture by a lone staker (mainnet defaults)", () => {
  it("deploys with the settings of the measured attack, a 100,000-vote floor and the cooldown bound", async () => {
    const { governor, timelock, stakedCore } = await loadFixture(mainnetDefaults);
    expect(await governor.votingDelay()).to.equal(DAY);
    expect(await governor.votingPeriod()).to.equal(7n * DAY);
    expect(await governor.lateQuorumVoteExtension()).to.equal(2n * DAY);
    expect(await governor.proposalThreshold()).to.equal(1_000n * CORE);
    expect(await governor["quorumNumerator()"]()).to.equal(4n);
    expect(await governor["quorumFloor()"]()).to.equal(100_000n * CORE);
    expect(await timelock.getMinDelay()).to.equal(2n * DAY);
    expect(await stakedCore.minimumCooldown()).to.equal(7n * DAY);
    expect(await stakedCore.governor()).to.equal(await governor.getAddress());
    // 7 days of voting + 2 of late-quorum extension + 2 of timelock delay, over the 7-day minimum.
    expect(await stakedCore.cooldown()).to.equal(11n * DAY);
  });

  for (const what of ["proposer", "pause", "fee"]) {
    it(`the quorum floor defeats the 1,000-CORE attacker's ${what} proposal`, async () => {
      const f = await loadFixture(mainnetDefaults);
      const { governor, stakedCore, attacker } = f;
      const p = await f.capture(what);
      const { proposalId, snapshot } = await stakeAndPropose(f, attacker, 1_000n * CORE, p);
      // Right after the snapshot, as measured: the escrow does not undo votes already counted.
      await stakedCore.connect(attacker).requestUnstake(1_000n * CORE);
      await governor.connect(attacker).castVote(proposalId, 1);
      expect((await governor.proposalVotes(proposalId)).forVotes).to.equal(1_000n * CORE);
      // The fraction alone was 40 votes; the floor is 100,000.
      expect(((await stakedCore.getPastTotalSupply(snapshot)) * 4n) / 100n).to.equal(40n * CORE);
      expect(await governor.quorum(snapshot)).to.equal(100_000n * CORE);
      await time.increaseTo((await governor.proposalDeadline(proposalId)) + 1n);
      expect(await governor.state(proposalId)).to.equal(ProposalState.Defeated);
      await expect(governor.queue(...lifecycleArgs(p))).to.be.revertedWithCustomError(
        governor,
        "GovernorUnexpectedProposalState",
      );
    });
  }

  it("a staker who meets the floor votes, unstakes after the snapshot and is still locked when its proposal executes", async () => {
    const f = await loadFixture(mainnetDefaults);
    const { governor, stakedCore, registry, whale } = f;
    const p = await f.capture("pause");
    const { proposalId } = await stakeAndPropose(f, whale, 100_000n * CORE, p);
    await stakedCore.connect(whale).requestUnstake(100_000n * CORE);
    const requestedAt = BigInt(await time.latest());
    await governor.connect(whale).castVote(proposalId, 1);
    await time.increaseTo((await governor.proposalDeadline(proposalId)) + 1n);
    await governor.queue(...lifecycleArgs(p));
    const eta = await governor.proposalEta(proposalId);
    const { unlockAt } = await stakedCore.pendingUnstakeOf(whale.address);
    expect(unlockAt).to.equal(requestedAt + 11n * DAY);
    expect(unlockAt).to.be.greaterThanOrEqual(eta);
    // The old 7-day cooldown would have unlocked two days before execution.
    expect(requestedAt + 7n * DAY).to.be.lessThan(eta - DAY);
    await time.increaseTo(eta);
    await governor.execute(...lifecycleArgs(p));
    expect(await registry.paused()).to.equal(true);
    await expect(stakedCore.connect(whale).completeUnstake())
      .to.be.revertedWithCustomError(stakedCore, "StakedCoreCooldownActive")
      .withArgs(unlockAt);
  });

  it("the guardian cancels the queued capture before the timelock runs it", async () => {
    const f = await loadFixture(mainnetDefaults);
    const { governor, timelock, tipping, attacker, guardian, whale } = f;
    // Enough stake to meet the floor, all three actions in one proposal.
    const p = await actions(
      "Routine maintenance",
      [timelock, "grantRole", [ethers.id("PROPOSER_ROLE"), attacker.address]],
      [f.registry, "pause", []],
      [tipping, "setFee", [f.cap]],
    );
    const { proposalId } = await stakeAndPropose(f, whale, 100_000n * CORE, p);
    await governor.connect(whale).castVote(proposalId, 1);
    await time.increaseTo((await governor.proposalDeadline(proposalId)) + 1n);
    await governor.queue(...lifecycleArgs(p));
    expect(await governor.state(proposalId)).to.equal(ProposalState.Queued);
    // GovernorTimelockControl salts each operation with the governor's address.
    const salt = ethers.toBeHex((BigInt(await governor.getAddress()) << 96n) ^ BigInt(ethers.id(p.description)), 32);
    const operationId = await timelock.hashOperationBatch(p.targets, p.values, p.calldatas, ethers.ZeroHash, salt);
    expect(await timelock.isOperationPending(operationId)).to.equal(true);

    await expect(governor.connect(guardian).cancel(...lifecycleArgs(p)))
      .to.emit(governor, "ProposalCanceled")
      .withArgs(proposalId)
      .and.to.emit(timelock, "Cancelled")
      .withArgs(operationId);
    expect(await governor.state(proposalId)).to.equal(ProposalState.Canceled);
    expect(await timelock.isOperation(operationId)).to.equal(false);
    await time.increase(2n * DAY);
    await expect(governor.execute(...lifecycleArgs(p))).to.be.revertedWithCustomError(
      governor,
      "GovernorUnexpectedProposalState",
    );
    expect(await timelock.hasRole(ethers.id("PROPOSER_ROLE"), attacker.address)).to.equal(false);
    expect(await f.registry.paused()).to.equal(false);
    expect((await tipping.fees()).pendingFeeBps).to.not.equal(f.cap);
  });
});
