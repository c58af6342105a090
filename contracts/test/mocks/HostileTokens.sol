// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {IHarmonieTipping} from "../../interfaces/IHarmonieTipping.sol";

/// @notice Keeps 1% of every transfer: a fee-on-transfer token, which tipping must refuse.
contract FeeOnTransferToken is ERC20 {
    constructor() ERC20("Taxed", "TAX") {}

    function mint(address to, uint256 amount) external {
        _mint(to, amount);
    }

    function _update(address from, address to, uint256 value) internal override {
        if (from == address(0) || to == address(0)) return super._update(from, to, value);
        uint256 tax = value / 100;
        super._update(from, address(0xdead), tax);
        super._update(from, to, value - tax);
    }
}

/// @notice An allow-listed-looking token whose transfers call back into tipping (like an ERC-777
/// hook), trying to withdraw or close a tab again in the middle of the first call.
contract ReentrantToken is ERC20 {
    IHarmonieTipping public immutable tipping;
    bytes public reentryError;
    uint256 public reentries;
    bool private _armed;
    bytes private _call;

    constructor(IHarmonieTipping tipping_) ERC20("Hook", "HOOK") {
        tipping = tipping_;
    }

    function mint(address to, uint256 amount) external {
        _mint(to, amount);
    }

    /// @notice The next transfer calls tipping with `call` (as this token).
    function arm(bytes calldata call) external {
        (_armed, _call) = (true, call);
    }

    function _update(address from, address to, uint256 value) internal override {
        super._update(from, to, value);
        if (!_armed) return;
        _armed = false;
        ++reentries;
        (bool ok, bytes memory reason) = address(tipping).call(_call);
        if (!ok) reentryError = reason;
    }
}

/// @notice Reports a transfer as done while moving nothing, unless it moved the whole amount (a
/// token that lies about success).
contract LyingToken is ERC20 {
    constructor() ERC20("Liar", "LIE") {}

    function mint(address to, uint256 amount) external {
        _mint(to, amount);
    }

    function transferFrom(address, address, uint256) public pure override returns (bool) {
        return true;
    }
}

/// @notice Has a symbol but no `decimals()`: apps could not show its amounts, so it is refused.
contract SymbolOnlyToken {
    function symbol() external pure returns (string memory) {
        return "HALF";
    }
}
