// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";

/// @title RoyaltyVault
/// @notice A track's royalty address: marketplaces pay EIP-2981 royalties here, and the registry
/// sweeps them into the track's split credits.
/// @dev EIP-2981 names one receiver per sale, so each track gets an address of its own. The registry
/// deploys it with CREATE2 (salt = track id) on the first collection only, so a track costs nothing
/// until it earns royalties; payments made before that simply wait at the address.
contract RoyaltyVault {
    using SafeERC20 for IERC20;

    address private immutable _registry = msg.sender;

    /// @notice Thrown when anyone but the registry sweeps.
    error RoyaltyVaultUnauthorized(address caller);

    /// @notice Thrown when the registry refuses the CORE.
    error RoyaltyVaultTransferFailed();

    /// @notice Sends everything held of `token` (zero: CORE) to the registry. Registry only.
    function sweep(address token) external returns (uint256 amount) {
        require(msg.sender == _registry, RoyaltyVaultUnauthorized(msg.sender));
        if (token == address(0)) {
            amount = address(this).balance;
            (bool ok, ) = _registry.call{value: amount}("");
            require(ok, RoyaltyVaultTransferFailed());
        } else {
            amount = IERC20(token).balanceOf(address(this));
            IERC20(token).safeTransfer(_registry, amount);
        }
    }

    /// @notice Royalties in CORE.
    receive() external payable {}
}
