// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {Governor} from "@openzeppelin/contracts/governance/Governor.sol";
import {GovernorCountingSimple} from "@openzeppelin/contracts/governance/extensions/GovernorCountingSimple.sol";
import {GovernorProposalGuardian} from "@openzeppelin/contracts/governance/extensions/GovernorProposalGuardian.sol";
import {GovernorPreventLateQuorum} from "@openzeppelin/contracts/governance/extensions/GovernorPreventLateQuorum.sol";
import {GovernorSettings} from "@openzeppelin/contracts/governance/extensions/GovernorSettings.sol";
import {GovernorTimelockControl} from "@openzeppelin/contracts/governance/extensions/GovernorTimelockControl.sol";
import {GovernorVotes} from "@openzeppelin/contracts/governance/extensions/GovernorVotes.sol";
import {GovernorVotesQuorumFraction} from "@openzeppelin/contracts/governance/extensions/GovernorVotesQuorumFraction.sol";
import {TimelockController} from "@openzeppelin/contracts/governance/TimelockController.sol";
import {IVotes} from "@openzeppelin/contracts/governance/utils/IVotes.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";
import {Checkpoints} from "@openzeppelin/contracts/utils/structs/Checkpoints.sol";
import {IHarmonieGovernor} from "../interfaces/IHarmonieGovernor.sol";

/// @title HarmonieGovernor
/// @notice The HarmonieCORE DAO: hVOTE holders (CORE staked in StakedCore) propose and vote; passed
/// proposals run through the TimelockController, which holds the treasury and administers the protocol.
/// Stock OpenZeppelin modules, plus one addition: a quorum floor (see IHarmonieGovernor).
/// @dev A proposal guardian (GovernorProposalGuardian) can cancel any proposal before it executes and
/// pause registry, profiles and live sessions; only a passed proposal changes or removes it. With no
/// guardian, OpenZeppelin lets each proposer cancel its own proposals at any stage instead.
contract HarmonieGovernor is
    IHarmonieGovernor,
    Governor,
    GovernorSettings,
    GovernorCountingSimple,
    GovernorVotes,
    GovernorVotesQuorumFraction,
    GovernorTimelockControl,
    GovernorPreventLateQuorum,
    GovernorProposalGuardian
{
    using Checkpoints for Checkpoints.Trace208;

    // Checkpointed on the governor's clock, like the quorum numerator, so a new floor applies only to
    // proposals whose snapshot comes after it.
    Checkpoints.Trace208 private _quorumFloorHistory;

    /// @param votingDelay_ Seconds between a proposal and the start of voting (timestamp clock).
    /// @param votingPeriod_ Seconds voting lasts.
    /// @param proposalThreshold_ Votes needed to propose.
    /// @param quorumPercent Share of the voting supply that must vote for or abstain.
    /// @param lateQuorumExtension_ Seconds voting is extended when quorum is reached late.
    /// @param guardian_ May cancel any proposal and pause the protocol (a multisig on Core; zero = none).
    /// @param quorumFloor_ The fewest votes (for + abstain) any proposal needs, whatever the supply.
    constructor(
        IVotes token,
        TimelockController timelock,
        uint48 votingDelay_,
        uint32 votingPeriod_,
        uint256 proposalThreshold_,
        uint256 quorumPercent,
        uint48 lateQuorumExtension_,
        address guardian_,
        uint256 quorumFloor_
    )
        Governor("HarmonieGovernor")
        GovernorSettings(votingDelay_, votingPeriod_, proposalThreshold_)
        GovernorVotes(token)
        GovernorVotesQuorumFraction(quorumPercent)
        GovernorTimelockControl(timelock)
        GovernorPreventLateQuorum(lateQuorumExtension_)
    {
        _setProposalGuardian(guardian_);
        // No supply check here: nothing is staked yet when the DAO is deployed.
        _updateQuorumFloor(quorumFloor_);
    }

    /// @inheritdoc IHarmonieGovernor
    function quorumFloor() public view returns (uint256) {
        return _quorumFloorHistory.latest();
    }

    /// @inheritdoc IHarmonieGovernor
    function quorumFloor(uint256 timepoint) public view returns (uint256) {
        return _optimisticUpperLookupRecent(_quorumFloorHistory, timepoint);
    }

    /// @inheritdoc IHarmonieGovernor
    function setQuorumFloor(uint256 newFloor) external onlyGovernance {
        uint256 supply = IERC20(address(token())).totalSupply();
        require(newFloor <= supply, HarmonieGovernorQuorumFloorAboveSupply(newFloor, supply));
        _updateQuorumFloor(newFloor);
    }

    /// @notice Votes a proposal whose snapshot is `timepoint` needs: the quorum fraction of the supply
    /// then, or the floor then, whichever is larger.
    function quorum(uint256 timepoint) public view override(Governor, GovernorVotesQuorumFraction) returns (uint256) {
        return Math.max(super.quorum(timepoint), quorumFloor(timepoint));
    }

    function _updateQuorumFloor(uint256 newFloor) private {
        uint256 oldFloor = quorumFloor();
        _quorumFloorHistory.push(clock(), SafeCast.toUint208(newFloor));
        emit QuorumFloorUpdated(oldFloor, newFloor);
    }

    // The overrides below only resolve OpenZeppelin's multiple inheritance.

    function votingDelay() public view override(Governor, GovernorSettings) returns (uint256) {
        return super.votingDelay();
    }

    function votingPeriod() public view override(Governor, GovernorSettings) returns (uint256) {
        return super.votingPeriod();
    }

    function proposalThreshold() public view override(Governor, GovernorSettings) returns (uint256) {
        return super.proposalThreshold();
    }

    function state(uint256 proposalId) public view override(Governor, GovernorTimelockControl) returns (ProposalState) {
        return super.state(proposalId);
    }

    function proposalDeadline(
        uint256 proposalId
    ) public view override(Governor, GovernorPreventLateQuorum) returns (uint256) {
        return super.proposalDeadline(proposalId);
    }

    function proposalNeedsQueuing(
        uint256 proposalId
    ) public view override(Governor, GovernorTimelockControl) returns (bool) {
        return super.proposalNeedsQueuing(proposalId);
    }

    function _tallyUpdated(uint256 proposalId) internal override(Governor, GovernorPreventLateQuorum) {
        super._tallyUpdated(proposalId);
    }

    function _queueOperations(
        uint256 proposalId,
        address[] memory targets,
        uint256[] memory values,
        bytes[] memory calldatas,
        bytes32 descriptionHash
    ) internal override(Governor, GovernorTimelockControl) returns (uint48) {
        return super._queueOperations(proposalId, targets, values, calldatas, descriptionHash);
    }

    function _executeOperations(
        uint256 proposalId,
        address[] memory targets,
        uint256[] memory values,
        bytes[] memory calldatas,
        bytes32 descriptionHash
    ) internal override(Governor, GovernorTimelockControl) {
        super._executeOperations(proposalId, targets, values, calldatas, descriptionHash);
    }

    function _cancel(
        address[] memory targets,
        uint256[] memory values,
        bytes[] memory calldatas,
        bytes32 descriptionHash
    ) internal override(Governor, GovernorTimelockControl) returns (uint256) {
        return super._cancel(targets, values, calldatas, descriptionHash);
    }

    function _validateCancel(
        uint256 proposalId,
        address caller
    ) internal view override(Governor, GovernorProposalGuardian) returns (bool) {
        return super._validateCancel(proposalId, caller);
    }

    function _executor() internal view override(Governor, GovernorTimelockControl) returns (address) {
        return super._executor();
    }
}
