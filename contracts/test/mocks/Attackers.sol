// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IHarmonieTipping} from "../../interfaces/IHarmonieTipping.sol";
import {IContentRegistry} from "../../interfaces/IContentRegistry.sol";

/// @notice An artist contract that re-enters `withdraw` when paid, and records how that went.
contract ReentrantArtist {
    IHarmonieTipping public immutable tipping;
    bytes public reentryError;
    uint256 public paidTimes;

    constructor(IHarmonieTipping tipping_) {
        tipping = tipping_;
    }

    function withdraw() external {
        tipping.withdraw(address(0));
    }

    receive() external payable {
        ++paidTimes;
        try tipping.withdraw(address(0)) {} catch (bytes memory reason) {
            reentryError = reason;
        }
    }
}

/// @notice A buyer contract that re-enters `purchaseLicense` from the ERC-1155 receive hook, and a
/// collaborator that re-enters `withdraw` when paid.
contract ReentrantBuyer {
    IContentRegistry public immutable registry;
    bytes public reentryError;
    uint256 public hookCalls;
    uint256 public paidTimes;
    uint256 private _trackId;
    uint256 private _offerId;

    constructor(IContentRegistry registry_) {
        registry = registry_;
    }

    function buy(uint256 trackId, uint256 offerId) external payable {
        (_trackId, _offerId) = (trackId, offerId);
        registry.purchaseLicense{value: msg.value}(trackId, offerId, address(0));
    }

    function withdraw() external {
        registry.withdraw(address(0));
    }

    function onERC1155Received(address, address, uint256, uint256, bytes calldata) external returns (bytes4) {
        ++hookCalls;
        // Buy again with the same payment while the first purchase is still running.
        try registry.purchaseLicense{value: address(this).balance}(_trackId, _offerId, address(0)) {} catch (
            bytes memory reason
        ) {
            reentryError = reason;
        }
        return this.onERC1155Received.selector;
    }

    receive() external payable {
        ++paidTimes;
        try registry.withdraw(address(0)) {} catch (bytes memory reason) {
            reentryError = reason;
        }
    }
}

/// @notice Refuses every CORE transfer, to exercise failed payouts.
contract RejectingReceiver {
    receive() external payable {
        revert("no thanks");
    }
}

/// @notice A minimal ERC-1271 smart wallet owned by one EOA.
contract ERC1271Wallet {
    address public immutable owner;

    constructor(address owner_) {
        owner = owner_;
    }

    function isValidSignature(bytes32 digest, bytes calldata signature) external view returns (bytes4) {
        (bytes32 r, bytes32 s) = abi.decode(signature[:64], (bytes32, bytes32));
        address signer = ecrecover(digest, uint8(signature[64]), r, s);
        return signer == owner ? this.isValidSignature.selector : bytes4(0xffffffff);
    }

    receive() external payable {}
}

/// @notice A smart wallet whose ERC-1271 check tries to withdraw its own credit first, and approves
/// the signature only if that re-entry worked.
contract ReentrantWallet {
    IHarmonieTipping public immutable tipping;
    address public immutable owner;

    constructor(IHarmonieTipping tipping_, address owner_) {
        (tipping, owner) = (tipping_, owner_);
    }

    function isValidSignature(bytes32, bytes calldata) external returns (bytes4) {
        try tipping.withdraw(address(0)) {
            return this.isValidSignature.selector;
        } catch {
            return bytes4(0xffffffff);
        }
    }

    receive() external payable {}
}

interface IUnstakeable {
    function stake() external payable;

    function requestUnstake(uint256 amount) external;

    function completeUnstake() external;
}

/// @notice A staker contract that re-enters `completeUnstake` when its CORE arrives, and records how
/// that went.
contract ReentrantUnstaker {
    IUnstakeable public immutable stakedCore;
    bytes public reentryError;
    uint256 public paidTimes;

    constructor(IUnstakeable stakedCore_) {
        stakedCore = stakedCore_;
    }

    function stakeAndRequest() external payable {
        stakedCore.stake{value: msg.value}();
        stakedCore.requestUnstake(msg.value);
    }

    function complete() external {
        stakedCore.completeUnstake();
    }

    receive() external payable {
        ++paidTimes;
        try stakedCore.completeUnstake() {} catch (bytes memory reason) {
            reentryError = reason;
        }
    }
}
