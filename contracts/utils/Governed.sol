// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {Pausable} from "@openzeppelin/contracts/utils/Pausable.sol";
import {IGoverned} from "../interfaces/IGoverned.sol";

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

/// @notice A Governed contract the timelock can pause (OpenZeppelin Pausable's events and errors).
abstract contract GovernedPausable is Governed, Pausable {
    /// @notice Stops the state-changing functions marked `whenNotPaused`.
    function pause() external onlyGovernance {
        _pause();
    }

    /// @notice Resumes normal operation.
    function unpause() external onlyGovernance {
        _unpause();
    }
}
