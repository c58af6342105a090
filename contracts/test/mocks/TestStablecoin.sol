// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";

/// @notice Local networks' stand-in for Core's LayerZero-bridged USDC: 6 decimals, no `permit`, no
/// EIP-3009, so a payment is approve + pay as on Core. Anyone may mint: it is for local chains only
/// (the Ignition local module deploys it; public networks allow-list the real token).
contract TestStablecoin is ERC20 {
    constructor() ERC20("Test USD Coin", "USDC") {}

    function decimals() public pure override returns (uint8) {
        return 6;
    }

    /// @notice A faucet for demos and tests.
    function mint(address to, uint256 amount) external {
        _mint(to, amount);
    }
}
