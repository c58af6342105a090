// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// @title ISRC
/// @notice International Standard Recording Codes (ISO 3901) in their plain 12-character form
/// `CCXXXYYNNNNN`: country (2 letters), registrant (3 letters or digits), year (2 digits),
/// designation (5 digits). The hyphenated form `CC-XXX-YY-NNNNN` and lowercase input are for the
/// SDK to normalise; on chain only the canonical uppercase form is valid.
/// @dev A valid ISRC is 12 ASCII bytes, so it packs losslessly into a uint96 — the track id.
library ISRC {
    /// @notice Validates `isrc` and returns it packed into 96 bits; `valid` is false for any bad input.
    function tryPack(string calldata isrc) internal pure returns (bool valid, uint96 packed) {
        bytes calldata b = bytes(isrc);
        if (b.length != 12) return (false, 0);
        for (uint256 i; i < 12; ++i) {
            bytes1 c = b[i];
            bool isLetter = c >= "A" && c <= "Z";
            bool isDigit = c >= "0" && c <= "9";
            if (
                i < 2
                    ? !isLetter
                    : i < 5
                        ? !(isLetter || isDigit)
                        : !isDigit
            ) return (false, 0);
        }
        return (true, uint96(bytes12(b)));
    }

    /// @notice Validates a registrant code (`CCXXX`: the country and registrant part of an ISRC, the
    /// part a label or distributor is assigned) and returns it as the first 5 bytes of an ISRC.
    function tryPackCode(string calldata code) internal pure returns (bool valid, bytes5 packed) {
        bytes calldata b = bytes(code);
        if (b.length != 5) return (false, 0);
        for (uint256 i; i < 5; ++i) {
            bytes1 c = b[i];
            bool isLetter = c >= "A" && c <= "Z";
            if (i < 2 ? !isLetter : !(isLetter || (c >= "0" && c <= "9"))) return (false, 0);
        }
        return (true, bytes5(b));
    }

    /// @notice The registrant code of a packed ISRC.
    function codeOf(uint96 packed) internal pure returns (bytes5) {
        return bytes5(bytes12(packed));
    }

    /// @notice The plain 12-character ISRC a packed id stands for.
    function unpack(uint96 packed) internal pure returns (string memory) {
        return string(abi.encodePacked(bytes12(packed)));
    }
}
