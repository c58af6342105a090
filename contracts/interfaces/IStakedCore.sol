// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// @title IStakedCore
/// @notice CORE staked 1:1 into the DAO's voting token, hVOTE (ERC20Votes, timestamp clock). Unstaking is
/// a request that escrows the tokens (they stop counting as votes) and a withdrawal after the cooldown.
/// @dev The cooldown outlasts every vote the stake can have cast: a vote counts the voter's weight at
/// the proposal's snapshot, in the past, so escrowing tokens at a request cannot take back votes
/// already counted from them. Instead the CORE stays locked for as long as a proposal voted on after
/// the snapshot can take to execute (voting period + late-quorum extension + timelock delay, read
/// from the governor), so whoever voted with it is still staked when the proposal takes effect.
interface IStakedCore {
    /// @notice An unstake request: escrowed amount and when it can be withdrawn.
    struct PendingUnstake {
        uint192 amount;
        uint64 unlockAt;
    }

    /// @notice Emitted when `account` stakes CORE.
    event Staked(address indexed account, uint256 amount);

    /// @notice Emitted when `account` asks to unstake; a repeat request adds to the amount and restarts the cooldown.
    event UnstakeRequested(address indexed account, uint256 amount, uint256 unlockAt);

    /// @notice Emitted when `account` cancels its pending unstake and gets its tokens back.
    event UnstakeCancelled(address indexed account, uint256 amount);

    /// @notice Emitted when `account` withdraws its CORE after the cooldown.
    event Unstaked(address indexed account, uint256 amount);

    /// @notice Emitted once, when the deployer names the governor whose settings the cooldown covers.
    event GovernorBound(address indexed governor);

    /// @notice Thrown when staking or unstaking zero.
    error StakedCoreZeroAmount();

    /// @notice Thrown when there is no pending unstake.
    error StakedCoreNothingToUnstake(address account);

    /// @notice Thrown when the cooldown has not ended.
    error StakedCoreCooldownActive(uint256 unlockAt);

    /// @notice Thrown when the CORE transfer to the unstaker fails.
    error StakedCoreTransferFailed(address to, uint256 amount);

    /// @notice Thrown when anyone but the deployer binds the governor.
    error StakedCoreUnauthorized(address caller);

    /// @notice Thrown when a governor is bound a second time.
    error StakedCoreGovernorAlreadyBound(address governor);

    /// @notice Thrown when binding the zero address or a governor that counts another token's votes.
    error StakedCoreInvalidGovernor(address governor);

    /// @notice Stakes `msg.value` CORE, minting as many tokens.
    function stake() external payable;

    /// @notice Escrows `amount` tokens and (re)starts the cooldown; a repeat request never brings the
    /// unlock time forward.
    function requestUnstake(uint256 amount) external;

    /// @notice Returns the escrowed tokens to the caller.
    function cancelUnstake() external;

    /// @notice Burns the escrowed tokens and sends the CORE, once the cooldown is over.
    function completeUnstake() external;

    /// @notice The caller's pending unstake.
    function pendingUnstakeOf(address account) external view returns (PendingUnstake memory);

    /// @notice Names the governor whose settings the cooldown covers. Once, by the deployer (the governor
    /// is deployed after the token it counts).
    function bindGovernor(address governor) external;

    /// @notice The bound governor, or zero before `bindGovernor`.
    function governor() external view returns (address);

    /// @notice The shortest cooldown, whatever the governor's settings.
    function minimumCooldown() external view returns (uint256);

    /// @notice Seconds between an unstake request and its withdrawal: `minimumCooldown`, or the longest
    /// a vote can take to execute — the governor's voting period + late-quorum extension + its timelock's
    /// minimum delay, read live — whichever is longer. The minimum alone if the governor cannot queue
    /// proposals any more (its timelock does not answer, or its delay does not fit an eta).
    function cooldown() external view returns (uint256);
}

/// @notice The governor settings StakedCore's cooldown covers (OpenZeppelin Governor getters).
interface IVoteLifetime {
    function token() external view returns (address);
    function votingPeriod() external view returns (uint256);
    function lateQuorumVoteExtension() external view returns (uint48);
    function timelock() external view returns (address);
}

/// @notice The timelock setting StakedCore's cooldown covers (OpenZeppelin TimelockController).
interface ITimelockDelay {
    function getMinDelay() external view returns (uint256);
}
