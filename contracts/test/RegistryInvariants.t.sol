// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {ContentRegistry} from "../licensing/ContentRegistry.sol";
import {IContentRegistry} from "../interfaces/IContentRegistry.sol";
import {HarmonieTipping} from "../tipping/HarmonieTipping.sol";
import {TestStablecoin} from "./mocks/TestStablecoin.sol";
import {Test, Vm} from "./utils/Test.sol";

/// @dev Random sales (CORE and USDC, timed and perpetual, referred or not), renewals, licence
/// transfers, royalties paid and collected, withdrawals, fee sweeps, freezes and reassignments.
contract RegistryHandler {
    Vm private constant vm = Vm(address(uint160(uint256(keccak256("hevm cheat code")))));
    uint256 internal constant OFFERS = 4;
    ContentRegistry public immutable registry;
    TestStablecoin public immutable usdc;
    address public immutable governance;
    uint256 public immutable trackId;
    address public constant REFERRER = address(0x2EF);

    address[4] internal _buyers = [address(0xB1), address(0xB2), address(0xB3), address(0xB4)];
    address[3] internal _artists = [address(0xA1), address(0xA2), address(0xA3)];
    address public constant COLLABORATOR = address(0xC1);

    /// @dev Distinct holders ever, per timed offer.
    mapping(uint256 offerId => uint256) public timedHolders;
    mapping(uint256 offerId => mapping(address => bool)) private _held;
    /// @dev State changes that went through while the track was frozen: must stay 0.
    uint256 public frozenChanges;
    /// @dev Per account and token: everything withdrawn, and what it had earned (credit + withdrawn)
    /// when the track was last reassigned. Earned money is never taken back.
    mapping(address account => mapping(address token => uint256)) public withdrawn;
    mapping(address account => mapping(address token => uint256)) public earnedAtReassignment;

    constructor(ContentRegistry registry_, TestStablecoin usdc_, uint256 trackId_) {
        registry = registry_;
        usdc = usdc_;
        governance = msg.sender;
        trackId = trackId_;
    }

    function accounts() external view returns (address[9] memory all) {
        for (uint256 i; i < 4; ++i) all[i] = _buyers[i];
        for (uint256 i; i < 3; ++i) all[4 + i] = _artists[i];
        all[7] = COLLABORATOR;
        all[8] = REFERRER;
    }

    function buyers() external view returns (address[4] memory) {
        return _buyers;
    }

    function buy(uint8 who, uint8 offer, bool referred) external {
        address buyer = _buyers[who % 4];
        uint256 offerId = offer % OFFERS;
        IContentRegistry.LicenseOffer memory terms = registry.offerOf(trackId, offerId);
        address referrer = referred ? REFERRER : address(0);
        bool frozen = _frozen();
        bool ok;
        if (terms.token == address(0)) {
            vm.deal(buyer, terms.price);
            vm.prank(buyer);
            try registry.purchaseLicense{value: terms.price}(trackId, offerId, referrer) {
                ok = true;
            } catch {}
        } else {
            usdc.mint(buyer, terms.price);
            vm.prank(buyer);
            usdc.approve(address(registry), terms.price);
            vm.prank(buyer);
            try registry.purchaseLicense(trackId, offerId, referrer) {
                ok = true;
            } catch {}
        }
        if (!ok) return;
        if (frozen) ++frozenChanges;
        if (terms.duration != 0 && !_held[offerId][buyer]) {
            _held[offerId][buyer] = true;
            ++timedHolders[offerId];
        }
    }

    function transfer(uint8 from, uint8 to, uint8 offer) external {
        uint256 offerId = (offer % 2) * 3; // offers 0 and 3 are perpetual
        address holder = _buyers[from % 4];
        uint256 tokenId = registry.licenseTokenId(trackId, offerId);
        if (registry.balanceOf(holder, tokenId) == 0) return;
        vm.prank(holder);
        registry.safeTransferFrom(holder, _buyers[to % 4], tokenId, 1, "");
    }

    function edit(uint96 price) external {
        (address artist, , , , , , ) = registry.trackOf(trackId);
        bool frozen = _frozen();
        vm.prank(artist);
        try registry.setOfferPrice(trackId, 0, price % 3 ether) {
            if (frozen) ++frozenChanges;
        } catch {}
        vm.prank(artist);
        try registry.updateMetadata(trackId, "bafy-edited") {
            if (frozen) ++frozenChanges;
        } catch {}
    }

    function payRoyalty(uint64 amount, bool inToken) external {
        address vault = registry.royaltyAddressOf(trackId);
        if (inToken) usdc.mint(vault, amount);
        else vm.deal(vault, vault.balance + amount);
    }

    function collect(bool inToken) external {
        bool frozen = _frozen();
        try registry.collectRoyalties(trackId, inToken ? address(usdc) : address(0)) {
            if (frozen) ++frozenChanges;
        } catch {}
    }

    function withdraw(uint8 who, bool inToken) external {
        address[9] memory all = this.accounts();
        address account = all[who % 9];
        address token = inToken ? address(usdc) : address(0);
        uint256 credit = registry.creditOf(account, token);
        if (credit == 0) return;
        vm.prank(account);
        registry.withdraw(token);
        withdrawn[account][token] += credit;
    }

    function sweep(bool inToken) external {
        address token = inToken ? address(usdc) : address(0);
        if (registry.owedFees(token) != 0) registry.sweepFees(token);
    }

    function flag(bool on) external {
        vm.prank(governance);
        if (on) try registry.flagTrack(trackId, "dispute") {} catch {}
        else try registry.unflagTrack(trackId) {} catch {}
    }

    function earned(address account, address token) public view returns (uint256) {
        return registry.creditOf(account, token) + withdrawn[account][token];
    }

    function reassign(uint8 to) external {
        address[9] memory all = this.accounts();
        for (uint256 i; i < all.length; ++i) {
            earnedAtReassignment[all[i]][address(0)] = earned(all[i], address(0));
            earnedAtReassignment[all[i]][address(usdc)] = earned(all[i], address(usdc));
        }
        IContentRegistry.Split[] memory splits = new IContentRegistry.Split[](2);
        address artist = _artists[to % 3];
        splits[0] = IContentRegistry.Split(artist, 6_000);
        splits[1] = IContentRegistry.Split(COLLABORATOR, 4_000);
        vm.prank(governance);
        registry.reassignTrack(trackId, artist, splits, "", "rightful artist");
    }

    function wait(uint32 seconds_) external {
        vm.warp(block.timestamp + (seconds_ % 40 days));
    }

    function _frozen() private view returns (bool) {
        (, , , , IContentRegistry.TrackStatus status, , ) = registry.trackOf(trackId);
        return status != IContentRegistry.TrackStatus.Active;
    }
}

contract RegistryInvariantTest is Test {
    RegistryHandler private handler;
    ContentRegistry private registry;
    TestStablecoin private usdc;
    uint256 private trackId;

    function setUp() public {
        usdc = new TestStablecoin();
        address[] memory tokens = new address[](1);
        uint128[] memory minimums = new uint128[](1);
        (tokens[0], minimums[0]) = (address(usdc), 1);
        HarmonieTipping tipping = new HarmonieTipping(address(this), 1, 250, 1 hours, 2_000, tokens, minimums);
        registry = new ContentRegistry(address(this), address(this), tipping, 500);

        IContentRegistry.Split[] memory splits = new IContentRegistry.Split[](2);
        splits[0] = IContentRegistry.Split(address(0xA1), 7_000);
        splits[1] = IContentRegistry.Split(address(0xC1), 3_000);
        IContentRegistry.LicenseTerms[] memory offers = new IContentRegistry.LicenseTerms[](4);
        offers[0] = IContentRegistry.LicenseTerms(address(0), 1 ether, 5, 2, 0, true, false);
        offers[1] = IContentRegistry.LicenseTerms(address(0), 0.1 ether, 3, 0, 30 days, false, false);
        offers[2] = IContentRegistry.LicenseTerms(address(usdc), 2_500_000, 2, 0, 7 days, false, false);
        offers[3] = IContentRegistry.LicenseTerms(address(usdc), 9_990_000, 0, 0, 0, true, true);
        vm.prank(address(0xA1));
        trackId = registry.registerTrack(
            IContentRegistry.TrackInput("USRC17607839", "bafy", true, 500, splits, offers)
        );
        handler = new RegistryHandler(registry, usdc, trackId);
        targetContract(address(handler));
    }

    receive() external payable {}

    /// @notice Per token, the registry holds exactly every account's credit plus the fees owed.
    function invariant_balanceEqualsCreditsPlusOwedFees() public view {
        assertEq(address(registry).balance, _liabilities(address(0)), "CORE");
        assertEq(usdc.balanceOf(address(registry)), _liabilities(address(usdc)), "USDC");
    }

    /// @notice No offer issues past its cap; a timed licence is one per holder however often renewed;
    /// every perpetual licence issued is held by someone.
    function invariant_supplyCountsHoldersWithinCap() public view {
        address[4] memory buyers = handler.buyers();
        for (uint256 offerId; offerId < 4; ++offerId) {
            IContentRegistry.LicenseOffer memory offer = registry.offerOf(trackId, offerId);
            if (offer.supplyCap != 0) assertLe(offer.issued, offer.supplyCap, "cap");
            uint256 tokenId = registry.licenseTokenId(trackId, offerId);
            uint256 held;
            for (uint256 i; i < 4; ++i) held += registry.balanceOf(buyers[i], tokenId);
            assertEq(held, offer.issued, "every licence issued is held");
            if (offer.duration != 0) assertEq(offer.issued, handler.timedHolders(offerId), "one per holder");
            if (offer.perBuyerLimit != 0) {
                for (uint256 i; i < 4; ++i) {
                    assertLe(registry.purchasesOf(buyers[i], trackId, offerId), offer.perBuyerLimit, "per buyer");
                }
            }
        }
    }

    /// @notice `licenseOf` counts exactly the perpetual licences an account holds, after any transfers.
    function invariant_holdingsFollowTokens() public view {
        address[4] memory buyers = handler.buyers();
        for (uint256 i; i < 4; ++i) {
            (uint256 perpetual, ) = registry.licenseOf(buyers[i], trackId);
            uint256 held =
                registry.balanceOf(buyers[i], registry.licenseTokenId(trackId, 0)) +
                    registry.balanceOf(buyers[i], registry.licenseTokenId(trackId, 3));
            assertEq(perpetual, held, "perpetual holding");
        }
    }

    /// @notice Reassignment moves future revenue only: what anyone had earned before the last
    /// reassignment is still theirs (credited or withdrawn).
    function invariant_reassignmentKeepsEarnedRevenue() public view {
        address[9] memory accounts = handler.accounts();
        for (uint256 i; i < accounts.length; ++i) {
            for (uint256 t; t < 2; ++t) {
                address token = t == 0 ? address(0) : address(usdc);
                assertLe(
                    handler.earnedAtReassignment(accounts[i], token),
                    handler.earned(accounts[i], token),
                    "earned before"
                );
            }
        }
    }

    /// @notice A frozen track changes nothing: no sale, edit or collection went through while frozen.
    function invariant_frozenTrackChangesNothing() public view {
        assertEq(handler.frozenChanges(), 0, "changes while frozen");
    }

    function _liabilities(address token) private view returns (uint256 total) {
        address[9] memory accounts = handler.accounts();
        for (uint256 i; i < accounts.length; ++i) total += registry.creditOf(accounts[i], token);
        total += registry.owedFees(token);
    }
}
