// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IHarmonieTipping} from "../../interfaces/IHarmonieTipping.sol";

/// @notice A session key that is a contract: when the gas allowance reaches it, it tries to tip from,
/// or close, the tab being opened.
contract ReentrantKey {
    IHarmonieTipping public immutable tipping;
    bytes public reentryError;
    address public artist;

    constructor(IHarmonieTipping tipping_, address artist_) {
        (tipping, artist) = (tipping_, artist_);
    }

    function closeTab() external {
        tipping.closeTab(address(this));
    }

    receive() external payable {
        try tipping.closeTab(address(this)) {} catch (bytes memory reason) {
            reentryError = reason;
        }
    }
}
