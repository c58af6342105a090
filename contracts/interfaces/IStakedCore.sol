// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// @title IStakedCore
/// @notice CORE staked 1:1 into a voting token (ERC20Votes, timestamp clock). Unstaking is a request
/// that escrows the tokens (they stop counting as votes) and a withdrawal after the cooldown.
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

    /// @notice Thrown when staking or unstaking zero.
    error StakedCoreZeroAmount();

    /// @notice Thrown when there is no pending unstake.
    error StakedCoreNothingToUnstake(address account);

    /// @notice Thrown when the cooldown has not ended.
    error StakedCoreCooldownActive(uint256 unlockAt);

    /// @notice Thrown when the CORE transfer to the unstaker fails.
    error StakedCoreTransferFailed(address to, uint256 amount);

    /// @notice Stakes `msg.value` CORE, minting as many tokens.
    function stake() external payable;

    /// @notice Escrows `amount` tokens and starts the cooldown.
    function requestUnstake(uint256 amount) external;

    /// @notice Returns the escrowed tokens to the caller.
    function cancelUnstake() external;

    /// @notice Burns the escrowed tokens and sends the CORE, once the cooldown is over.
    function completeUnstake() external;

    /// @notice The caller's pending unstake.
    function pendingUnstakeOf(address account) external view returns (PendingUnstake memory);

    /// @notice Seconds between an unstake request and its withdrawal.
    function cooldown() external view returns (uint256);
}
