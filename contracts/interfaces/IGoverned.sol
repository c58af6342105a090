// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// @title IGoverned
/// @notice Contracts administered by the DAO's TimelockController (which also holds the treasury).
interface IGoverned {
    /// @notice Thrown when an admin function is called by anyone but the timelock.
    error GovernedUnauthorized(address caller);

    /// @notice Thrown when a required address argument is the zero address.
    error GovernedZeroAddress();

    /// @notice The TimelockController: the only admin, and the treasury that receives platform fees.
    function governance() external view returns (address);
}

/// @title IGuarded
/// @notice The part of the governor that pausable contracts read: its guardian (zero if none).
interface IGuarded {
    /// @notice The address that may cancel proposals and pause the protocol in an emergency.
    function proposalGuardian() external view returns (address);
}
