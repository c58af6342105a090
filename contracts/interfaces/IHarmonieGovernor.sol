// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// @title IHarmonieGovernor
/// @notice What HarmonieGovernor adds to OpenZeppelin's Governor: a quorum floor. The quorum of a
/// proposal is the larger of the quorum fraction of the voting supply and an absolute number of votes,
/// both read at the proposal's snapshot, so a lone staker cannot pass proposals while little is staked.
interface IHarmonieGovernor {
    /// @notice Emitted when the quorum floor changes; proposals whose snapshot is earlier keep the old one.
    event QuorumFloorUpdated(uint256 oldFloor, uint256 newFloor);

    /// @notice Thrown when governance sets a floor above the votes that exist, which no proposal could
    /// meet (typically an amount given in whole votes where wei were meant).
    error HarmonieGovernorQuorumFloorAboveSupply(uint256 floor, uint256 supply);

    /// @notice The quorum floor in force now, in votes (wei of the voting token).
    function quorumFloor() external view returns (uint256);

    /// @notice The quorum floor in force at `timepoint` (seconds, the governor's clock).
    function quorumFloor(uint256 timepoint) external view returns (uint256);

    /// @notice Sets the quorum floor for proposals whose snapshot is from now on. Governance only.
    function setQuorumFloor(uint256 newFloor) external;
}
