// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {TimelockController} from "@openzeppelin/contracts/governance/TimelockController.sol";
import {HarmonieGovernor} from "../governance/HarmonieGovernor.sol";
import {StakedCore} from "../governance/StakedCore.sol";
import {Test} from "./utils/Test.sol";

/// @dev The DAO over random settings: whatever the voting delay, period, late-quorum extension,
/// timelock delay and minimum cooldown, a voter who unstakes after the snapshot gets its CORE back
/// no earlier than the proposal it voted on can execute, and the quorum is max(fraction, floor).
contract GovernanceFuzzTest is Test {
    address private constant VOTER = address(0x7E);
    uint256 private constant STAKE = 100 ether;

    StakedCore private token;
    TimelockController private timelock;
    HarmonieGovernor private governor;

    function _deploy(
        uint256 votingDelay,
        uint256 votingPeriod,
        uint256 extension,
        uint256 delay,
        uint256 minimum,
        uint256 floor
    ) private {
        token = new StakedCore(minimum);
        address[] memory executors = new address[](1); // zero: anyone executes
        timelock = new TimelockController(delay, new address[](0), executors, address(this));
        governor = new HarmonieGovernor(
            token,
            timelock,
            uint48(votingDelay),
            uint32(votingPeriod),
            0,
            4,
            uint48(extension),
            address(0),
            floor
        );
        timelock.grantRole(timelock.PROPOSER_ROLE(), address(governor));
        token.bindGovernor(address(governor));
    }

    function _stake(address who, uint256 amount) private {
        vm.deal(who, amount);
        vm.prank(who);
        token.stake{value: amount}();
        vm.prank(who);
        token.delegate(who);
    }

    function testFuzz_unstakeAfterSnapshotUnlocksNoEarlierThanExecution(
        uint256 votingDelay,
        uint256 votingPeriod,
        uint256 extension,
        uint256 delay,
        uint256 minimum,
        uint256 requestOffset,
        uint256 voteOffset
    ) public {
        votingPeriod = bound(votingPeriod, 1, 60 days);
        // OpenZeppelin caps the extension at the voting period.
        _deploy(
            bound(votingDelay, 0, 30 days),
            votingPeriod,
            bound(extension, 0, votingPeriod),
            bound(delay, 0, 30 days),
            bound(minimum, 0, 30 days),
            0
        );
        _stake(VOTER, STAKE);
        vm.warp(block.timestamp + 1);

        address[] memory targets = new address[](1);
        targets[0] = address(token);
        uint256[] memory values = new uint256[](1);
        bytes[] memory calldatas = new bytes[](1);
        calldatas[0] = abi.encodeCall(StakedCore.cooldown, ());
        vm.prank(VOTER);
        uint256 proposalId = governor.propose(targets, values, calldatas, "fuzz");
        uint256 snapshot = governor.proposalSnapshot(proposalId);
        uint256 deadline = governor.proposalDeadline(proposalId);

        // After the snapshot (an earlier request would have taken the votes out of it), while voting is
        // open; the vote comes at or after the request, possibly late enough to extend the deadline.
        uint256 requestAt = snapshot + 1 + (requestOffset % (deadline - snapshot));
        uint256 voteAt = requestAt + (voteOffset % (deadline - requestAt + 1));
        vm.warp(requestAt);
        vm.prank(VOTER);
        token.requestUnstake(STAKE);
        vm.warp(voteAt);
        vm.prank(VOTER);
        governor.castVote(proposalId, 1);

        // The earliest the proposal can run: queued the second voting ends, executed after the delay.
        vm.warp(governor.proposalDeadline(proposalId) + 1);
        governor.queue(targets, values, calldatas, keccak256("fuzz"));
        uint256 eta = governor.proposalEta(proposalId);
        assertLe(eta, token.pendingUnstakeOf(VOTER).unlockAt, "CORE back before the vote executes");
    }

    function testFuzz_quorumIsTheLargerOfFractionAndFloor(uint256 staked, uint256 floor) public {
        staked = bound(staked, 1, 1e9 ether);
        floor = bound(floor, 0, 1e9 ether);
        _deploy(1, 1 days, 0, 1 days, 0, floor);
        _stake(VOTER, staked);
        vm.warp(block.timestamp + 1);
        uint256 fraction = (staked * 4) / 100;
        assertEq(governor.quorum(block.timestamp - 1), fraction > floor ? fraction : floor, "quorum");
    }
}
