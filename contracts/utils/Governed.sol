// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {Pausable} from "@openzeppelin/contracts/utils/Pausable.sol";
import {IGoverned, IGuarded} from "../interfaces/IGoverned.sol";

/// @notice Admin rights held by one immutable address: the DAO's timelock. Immutable rather than
/// Ownable because the protocol has exactly one admin for life and reading it costs no storage.
abstract contract Governed is IGoverned {
    /// @inheritdoc IGoverned
    address public immutable governance;

    constructor(address governance_) {
        require(governance_ != address(0), GovernedZeroAddress());
        governance = governance_;
    }

    modifier onlyGovernance() {
        require(msg.sender == governance, GovernedUnauthorized(msg.sender));
        _;
    }
}

/// @notice A Governed contract with an emergency brake: the DAO's guardian (a multisig on Core) or the
/// timelock can pause it; only the timelock unpauses. The guardian is read from the governor on every
/// call, so governance changes or removes it in one place (`HarmonieGovernor.setProposalGuardian`).
abstract contract GovernedPausable is Governed, Pausable {
    /// @notice The governor whose proposal guardian may pause.
    IGuarded public immutable guardianSource;

    constructor(address guardianSource_) {
        require(guardianSource_ != address(0), GovernedZeroAddress());
        guardianSource = IGuarded(guardianSource_);
    }

    /// @notice Stops the state-changing functions marked `whenNotPaused`. Timelock or guardian.
    function pause() external {
        require(
            msg.sender == governance || msg.sender == guardianSource.proposalGuardian(),
            GovernedUnauthorized(msg.sender)
        );
        _pause();
    }

    /// @notice Resumes normal operation. Timelock only: a guardian can stop the protocol, never restart it.
    function unpause() external onlyGovernance {
        _unpause();
    }
}
