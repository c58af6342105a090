// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {ContentRegistry} from "../licensing/ContentRegistry.sol";
import {IContentRegistry} from "../interfaces/IContentRegistry.sol";
import {HarmonieTipping} from "../tipping/HarmonieTipping.sol";
import {IHarmonieTipping} from "../interfaces/IHarmonieTipping.sol";
import {TestStablecoin} from "./mocks/TestStablecoin.sol";
import {Test} from "./utils/Test.sol";

/// @notice Fee and split arithmetic: every wei of a tip or a licence sale ends up somewhere.
contract FeesTest is Test {
    address private constant ARTIST = address(0xA271);
    address private constant FAN = address(0xFA17);
    address private constant REFERRER = address(0x2EF);

    receive() external payable {}

    function _tipping(uint16 feeBps, uint16 shareBps, address token) private returns (HarmonieTipping) {
        address[] memory tokens = new address[](token == address(0) ? 0 : 1);
        uint128[] memory minimums = new uint128[](tokens.length);
        if (tokens.length != 0) (tokens[0], minimums[0]) = (token, 1);
        return new HarmonieTipping(address(this), 1, feeBps, 1 days, shareBps, tokens, minimums);
    }

    function test_fuzz_tipping_withdrawalSplitsGrossIntoNetAndFee(uint96 amount, uint16 feeBps) public {
        feeBps = uint16(bound(feeBps, 0, 1_000));
        amount = uint96(bound(amount, 1, type(uint96).max));
        HarmonieTipping tipping = _tipping(feeBps, 0, address(0));
        vm.deal(FAN, amount);
        vm.prank(FAN);
        tipping.tip{value: amount}(ARTIST, 0, "");
        (uint256 net, uint256 fee) = tipping.earningsOf(ARTIST, address(0));
        assertEq(fee, (uint256(amount) * feeBps) / 10_000, "fee");
        vm.prank(ARTIST);
        tipping.withdraw(address(0));
        assertEq(ARTIST.balance, net, "artist paid net");
        assertEq(tipping.owedFees(address(0)), fee, "fee owed");
        assertEq(address(tipping).balance, fee, "only the fee remains");
        assertEq(net + fee, amount, "nothing lost");
    }

    /// @notice A referred token tip to a split: the artist side loses exactly the fee, the referrer's
    /// share comes out of the fee, and every unit is credited to someone.
    function test_fuzz_tipping_referredSplitTokenTipAccountsForEveryUnit(
        uint96 amount,
        uint16 feeBps,
        uint16 shareBps,
        uint8 splitCount,
        uint256 seed
    ) public {
        feeBps = uint16(bound(feeBps, 0, 1_000));
        shareBps = uint16(bound(shareBps, 0, 10_000));
        splitCount = uint8(bound(splitCount, 1, 16));
        amount = uint96(bound(amount, 1, type(uint96).max));
        (HarmonieTipping tipping, address usdc, IHarmonieTipping.Share[] memory shares) = _referredSplitTip(
            amount,
            feeBps,
            shareBps,
            _randomShares(splitCount, seed)
        );
        uint256 fee = (uint256(amount) * feeBps) / 10_000;
        _checkReferral(tipping, usdc, (fee * shareBps) / 10_000, fee);
        uint256 credited = _checkShares(tipping, usdc, shares, amount - fee);
        assertEq(credited, amount - fee, "artist side is the amount less the fee");
        assertEq(credited + fee, TestStablecoin(usdc).balanceOf(address(tipping)), "every unit held");
    }

    function _checkReferral(HarmonieTipping tipping, address token, uint256 referral, uint256 fee) private view {
        (uint256 referrerNet, uint256 referrerFee) = tipping.earningsOf(REFERRER, token);
        assertEq(referrerNet, referral, "referral");
        assertEq(referrerFee, 0, "a referral is settled");
        assertEq(tipping.owedFees(token), fee - referral, "treasury's part");
    }

    function _referredSplitTip(
        uint96 amount,
        uint16 feeBps,
        uint16 shareBps,
        IHarmonieTipping.Share[] memory shares
    ) private returns (HarmonieTipping tipping, address, IHarmonieTipping.Share[] memory) {
        TestStablecoin usdc = new TestStablecoin();
        tipping = _tipping(feeBps, shareBps, address(usdc));
        vm.prank(ARTIST);
        tipping.setSplit(0, shares);
        usdc.mint(FAN, amount);
        vm.prank(FAN);
        usdc.approve(address(tipping), amount);
        vm.prank(FAN);
        tipping.tipToken(address(usdc), ARTIST, 9, amount, "", REFERRER);
        return (tipping, address(usdc), shares);
    }

    /// @dev Each recipient holds its share of `total` as settled credit; dust goes to the first.
    function _checkShares(
        HarmonieTipping tipping,
        address token,
        IHarmonieTipping.Share[] memory shares,
        uint256 total
    ) private view returns (uint256 credited) {
        for (uint256 i; i < shares.length; ++i) {
            (uint256 net, uint256 unsettled) = tipping.earningsOf(shares[i].recipient, token);
            assertEq(unsettled, 0, "settled credit");
            uint256 share = (total * shares[i].bps) / 10_000;
            if (i == 0) assertLe(net - share, shares.length, "dust bounded");
            else assertEq(net, share, "share");
            credited += net;
        }
    }

    /// @notice A fee raise waits for its notice period; withdrawals before it pay the old fee.
    function test_fuzz_tipping_feeRaiseWaitsForNotice(uint96 amount, uint16 raisedBps, uint32 wait) public {
        amount = uint96(bound(amount, 1, type(uint96).max));
        raisedBps = uint16(bound(raisedBps, 251, 1_000));
        HarmonieTipping tipping = _tipping(250, 0, address(0));
        vm.deal(FAN, amount);
        vm.prank(FAN);
        tipping.tip{value: amount}(ARTIST, 0, "");
        uint256 announced = block.timestamp;
        tipping.setFee(raisedBps);
        vm.warp(announced + bound(wait, 0, 2 days));
        uint256 expected = block.timestamp < announced + 1 days ? 250 : raisedBps;
        assertEq(tipping.fees().feeBps, expected, "fee in force");
        vm.prank(ARTIST);
        tipping.withdraw(address(0));
        assertEq(tipping.owedFees(address(0)), (uint256(amount) * expected) / 10_000, "fee taken");
    }

    function test_feeRaise_takesEffectExactlyAtTheEndOfTheNotice() public {
        HarmonieTipping tipping = _tipping(250, 0, address(0));
        uint256 announced = block.timestamp;
        tipping.setFee(900);
        assertEq(tipping.fees().pendingFrom, announced + 1 days, "announced");
        vm.warp(announced + 1 days - 1);
        assertEq(tipping.fees().feeBps, 250, "old fee until the last second");
        assertEq(tipping.fees().pendingFeeBps, 900, "still pending");
        vm.warp(announced + 1 days);
        assertEq(tipping.fees().feeBps, 900, "new fee from the end of the notice");
        assertEq(tipping.fees().pendingFeeBps, 0, "no longer pending");
    }

    function _randomShares(uint256 count, uint256 seed) private pure returns (IHarmonieTipping.Share[] memory) {
        // Random positive shares summing to 10,000.
        IHarmonieTipping.Share[] memory shares = new IHarmonieTipping.Share[](count);
        uint256 left = 10_000;
        for (uint256 i; i < count; ++i) {
            uint256 remaining = count - i - 1;
            uint256 bps = i == count - 1 ? left : bound(uint256(keccak256(abi.encode(seed, i))), 1, left - remaining);
            left -= bps;
            shares[i] = IHarmonieTipping.Share({recipient: address(uint160(0x1000 + i)), bps: uint16(bps)});
        }
        return shares;
    }

    function test_fuzz_registry_saleSplitsExactly(uint96 price, uint16 feeBps, uint8 splitCount, uint256 seed) public {
        feeBps = uint16(bound(feeBps, 0, 1_000));
        splitCount = uint8(bound(splitCount, 1, 16));
        ContentRegistry registry = new ContentRegistry(
            address(this),
            address(this),
            IHarmonieTipping(address(1)),
            feeBps
        );

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
