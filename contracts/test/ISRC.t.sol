// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {ISRC} from "../libraries/ISRC.sol";
import {Test} from "./utils/Test.sol";

/// @dev Exposes the library to calldata, as the registry calls it.
contract ISRCHarness {
    function tryPack(string calldata isrc) external pure returns (bool, uint96) {
        return ISRC.tryPack(isrc);
    }

    function tryPackCode(string calldata code) external pure returns (bool, bytes5) {
        return ISRC.tryPackCode(code);
    }

    function unpack(uint96 packed) external pure returns (string memory) {
        return ISRC.unpack(packed);
    }
}

contract ISRCTest is Test {
    ISRCHarness private harness = new ISRCHarness();

    bytes private constant LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
    bytes private constant ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    bytes private constant DIGITS = "0123456789";

    function test_tryPack_knownCode() public view {
        (bool valid, uint96 packed) = harness.tryPack("USRC17607839");
        assertTrue(valid, "valid");
        assertEq(packed, uint96(bytes12("USRC17607839")), "packed");
        assertTrue(keccak256(bytes(harness.unpack(packed))) == keccak256("USRC17607839"), "round trip");
    }

    /// @notice Every code built from the alphabet of each position is valid and round-trips.
    function test_fuzz_tryPack_acceptsEveryWellFormedCode(uint256 seed) public view {
        bytes memory code = new bytes(12);
        for (uint256 i; i < 12; ++i) {
            bytes memory alphabet =
                i < 2
                    ? LETTERS
                    : i < 5
                        ? ALNUM
                        : DIGITS;
            code[i] = alphabet[uint256(keccak256(abi.encode(seed, i))) % alphabet.length];
        }
        (bool valid, uint96 packed) = harness.tryPack(string(code));
        assertTrue(valid, "well-formed code rejected");
        assertTrue(keccak256(bytes(harness.unpack(packed))) == keccak256(code), "round trip");
    }

    /// @notice For any 12 bytes, the library agrees with a position-by-position reference check.
    function test_fuzz_tryPack_matchesReference(bytes12 raw) public view {
        bytes memory code = abi.encodePacked(raw);
        bool expected = true;
        for (uint256 i; i < 12; ++i) {
            bytes1 c = code[i];
            bool letter = c >= 0x41 && c <= 0x5a;
            bool digit = c >= 0x30 && c <= 0x39;
            if (i < 2 && !letter) expected = false;
            if (i >= 2 && i < 5 && !letter && !digit) expected = false;
            if (i >= 5 && !digit) expected = false;
        }
        (bool valid, ) = harness.tryPack(string(code));
        assertTrue(valid == expected, "disagrees with reference");
    }

    /// @notice Any length other than 12 is invalid.
    function test_fuzz_tryPack_rejectsOtherLengths(bytes memory raw) public view {
        vm.assume(raw.length != 12);
        (bool valid, uint96 packed) = harness.tryPack(string(raw));
        assertTrue(!valid && packed == 0, "wrong length accepted");
    }

    /// @notice The shared cases (test/vectors/isrc.json) that the SDK, the metadata schema and the DAO
    /// CLI check too: canonical codes pack and round-trip; every other form is refused as written.
    function test_vectors_isrc() public view {
        string memory json = vm.readFile("test/vectors/isrc.json");
        string[] memory canonical = vm.parseJsonStringArray(json, ".isrc.canonical");
        assertTrue(canonical.length > 0, "no canonical vectors");
        for (uint256 i; i < canonical.length; ++i) {
            (bool valid, uint96 packed) = harness.tryPack(canonical[i]);
            assertTrue(valid, string.concat("refused ", canonical[i]));
            assertTrue(keccak256(bytes(harness.unpack(packed))) == keccak256(bytes(canonical[i])), canonical[i]);
        }
        _assertRefused(abi.decode(vm.parseJson(json, ".isrc.aliases[*].input"), (string[])), false);
        _assertRefused(vm.parseJsonStringArray(json, ".isrc.invalid"), false);
    }

    function test_vectors_registrantCode() public view {
        string memory json = vm.readFile("test/vectors/isrc.json");
        string[] memory canonical = vm.parseJsonStringArray(json, ".registrantCode.canonical");
        assertTrue(canonical.length > 0, "no canonical vectors");
        for (uint256 i; i < canonical.length; ++i) {
            (bool valid, bytes5 packed) = harness.tryPackCode(canonical[i]);
            assertTrue(valid && packed == bytes5(bytes(canonical[i])), string.concat("refused ", canonical[i]));
        }
        _assertRefused(abi.decode(vm.parseJson(json, ".registrantCode.aliases[*].input"), (string[])), true);
        _assertRefused(vm.parseJsonStringArray(json, ".registrantCode.invalid"), true);
    }

    function _assertRefused(string[] memory inputs, bool code) private view {
        assertTrue(inputs.length > 0, "no vectors");
        for (uint256 i; i < inputs.length; ++i) {
            (bool valid, ) = code ? _tryPackCode(inputs[i]) : _tryPack(inputs[i]);
            assertTrue(!valid, string.concat("accepted ", inputs[i]));
        }
    }

    function _tryPack(string memory isrc) private view returns (bool valid, uint256 packed) {
        (valid, packed) = harness.tryPack(isrc);
    }

    function _tryPackCode(string memory code) private view returns (bool valid, uint256 packed) {
        bytes5 raw;
        (valid, raw) = harness.tryPackCode(code);
        packed = uint40(raw);
    }
}
