// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// @notice The cheatcodes these tests use, at the standard cheatcode address Hardhat's Solidity test
/// runner serves. (forge-std is not on the npm registry in a current version, and nothing may be
/// downloaded from elsewhere, so the few declarations needed live here.)
interface Vm {
    function deal(address account, uint256 newBalance) external;
    function prank(address sender) external;
    function warp(uint256 timestamp) external;
    function assume(bool condition) external pure;
    function expectRevert(bytes calldata revertData) external;
    function addr(uint256 privateKey) external pure returns (address);
    function readFile(string calldata path) external view returns (string memory);
    function parseJsonStringArray(string calldata json, string calldata key) external pure returns (string[] memory);
    function parseJson(string calldata json, string calldata key) external pure returns (bytes memory);
}

/// @notice Minimal test base: cheatcodes, assertions, and invariant target selection.
abstract contract Test {
    Vm internal constant vm = Vm(address(uint160(uint256(keccak256("hevm cheat code")))));

    address[] private _targetContracts;

    error AssertionFailed(string what, uint256 left, uint256 right);

    function assertEq(uint256 left, uint256 right, string memory what) internal pure {
        if (left != right) revert AssertionFailed(what, left, right);
    }

    function assertLe(uint256 left, uint256 right, string memory what) internal pure {
        if (left > right) revert AssertionFailed(what, left, right);
    }

    function assertTrue(bool condition, string memory what) internal pure {
        if (!condition) revert AssertionFailed(what, 0, 1);
    }

    function bound(uint256 x, uint256 min, uint256 max) internal pure returns (uint256) {
        return min + (x % (max - min + 1));
    }

    /// @dev Invariant runs call random functions of these contracts only.
    function targetContract(address target) internal {
        _targetContracts.push(target);
    }

    function targetContracts() public view returns (address[] memory) {
        return _targetContracts;
    }
}
