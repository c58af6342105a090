// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {ContentRegistry} from "../licensing/ContentRegistry.sol";
import {IContentRegistry} from "../interfaces/IContentRegistry.sol";
import {HarmonieTipping} from "../tipping/HarmonieTipping.sol";
import {Test} from "./utils/Test.sol";

/// @notice Fee and split arithmetic: every wei of a tip or a licence sale ends up somewhere.
contract FeesTest is Test {
    address private constant ARTIST = address(0xA271);
    address private constant FAN = address(0xFA17);

    receive() external payable {}

    function test_fuzz_tipping_withdrawalSplitsGrossIntoNetAndFee(uint96 amount, uint16 feeBps) public {
        feeBps = uint16(bound(feeBps, 0, 1_000));
        amount = uint96(bound(amount, 1, type(uint96).max));
        HarmonieTipping tipping = new HarmonieTipping(address(this), 1, feeBps);
        vm.deal(FAN, amount);
        vm.prank(FAN);
        tipping.tip{value: amount}(ARTIST, 0, "");
        (uint256 net, uint256 fee) = tipping.earningsOf(ARTIST);
        assertEq(fee, (uint256(amount) * feeBps) / 10_000, "fee");
        vm.prank(ARTIST);
        tipping.withdraw();
        assertEq(ARTIST.balance, net, "artist paid net");
        assertEq(tipping.owedFees(), fee, "fee owed");
        assertEq(address(tipping).balance, fee, "only the fee remains");
        assertEq(net + fee, amount, "nothing lost");
    }

    function test_fuzz_registry_saleSplitsExactly(uint96 price, uint16 feeBps, uint8 splitCount, uint256 seed) public {
        feeBps = uint16(bound(feeBps, 0, 1_000));
        splitCount = uint8(bound(splitCount, 1, 16));
        ContentRegistry registry = new ContentRegistry(address(this), feeBps);

        // Random positive shares summing to 10,000.
        IContentRegistry.Split[] memory splits = new IContentRegistry.Split[](splitCount);
        uint256 left = 10_000;
        for (uint256 i; i < splitCount; ++i) {
            uint256 remainingSplits = splitCount - i - 1;
            uint256 bps =
                i == splitCount - 1 ? left : bound(uint256(keccak256(abi.encode(seed, i))), 1, left - remainingSplits);
            left -= bps;
            splits[i] = IContentRegistry.Split({recipient: address(uint160(0x1000 + i)), bps: uint16(bps)});
        }
        IContentRegistry.LicenseTerms[] memory offers = new IContentRegistry.LicenseTerms[](1);
        offers[0] = IContentRegistry.LicenseTerms(price, 0, 0, true, true);
        vm.prank(ARTIST);
        uint256 trackId = registry.registerTrack(
            IContentRegistry.TrackInput("USRC17607839", "bafy", true, 0, splits, offers)
        );

        vm.deal(FAN, price);
        vm.prank(FAN);
        registry.purchaseLicense{value: price}(trackId, 0);

        uint256 fee = (uint256(price) * feeBps) / 10_000;
        uint256 rest = price - fee;
        uint256 credited;
        for (uint256 i; i < splitCount; ++i) {
            uint256 credit = registry.creditOf(splits[i].recipient);
            uint256 share = (rest * splits[i].bps) / 10_000;
            // Dust from rounding goes to the first collaborator, at most one wei per other split.
            if (i == 0) assertLe(credit - share, splitCount, "dust bounded");
            else assertEq(credit, share, "share");
            credited += credit;
        }
        assertEq(registry.owedFees(), fee, "fee");
        assertEq(credited + fee, price, "every wei accounted for");
        assertEq(address(registry).balance, price, "balance");
    }
}
