// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {ContentRegistry} from "../licensing/ContentRegistry.sol";
import {IContentRegistry} from "../interfaces/IContentRegistry.sol";
import {StakedCore} from "../governance/StakedCore.sol";
import {HarmonieTipping} from "../tipping/HarmonieTipping.sol";
import {Test, Vm} from "./utils/Test.sol";

/// @dev Random tips, withdrawals, fee changes and sweeps by a few actors.
contract TippingHandler {
    Vm private constant vm = Vm(address(uint160(uint256(keccak256("hevm cheat code")))));
    HarmonieTipping public immutable tipping;
    address[3] public artists = [address(0xA1), address(0xA2), address(0xA3)];

    constructor(HarmonieTipping tipping_) {
        tipping = tipping_;
    }

    function tip(uint256 artistIndex, uint96 amount, uint8 fanIndex) external {
        // Fans are plain accounts: `deal` on a fuzzed address could overwrite a contract's balance.
        address fan = address(uint160(0xF000 + fanIndex));
        amount = uint96(1 + (amount % 100 ether));
        vm.deal(fan, amount);
        vm.prank(fan);
        tipping.tip{value: amount}(artists[artistIndex % 3], 0, "invariant");
    }

    function withdraw(uint256 artistIndex) external {
        address artist = artists[artistIndex % 3];
        (uint256 net, uint256 fee) = tipping.earningsOf(artist);
        if (net + fee == 0) return;
        vm.prank(artist);
        tipping.withdraw();
    }

    function setFee(uint16 bps) external {
        vm.prank(tipping.governance());
        tipping.setFee(bps % 1_001);
    }

    function sweep() external {
        if (tipping.owedFees() != 0) tipping.sweepFees();
    }
}

/// @dev Random purchases of a capped offer by many buyers.
contract LicenseHandler {
    Vm private constant vm = Vm(address(uint160(uint256(keccak256("hevm cheat code")))));
    ContentRegistry public immutable registry;
    uint256 public immutable trackId;
    address[] public buyers;

    constructor(ContentRegistry registry_, uint256 trackId_) {
        registry = registry_;
        trackId = trackId_;
    }

    function buy(uint8 buyerIndex, uint256 offerId) external {
        address buyer = address(uint160(0xB000 + buyerIndex));
        offerId %= 2;
        uint256 price = registry.offerOf(trackId, offerId).price;
        vm.deal(buyer, price);
        vm.prank(buyer);
        try registry.purchaseLicense{value: price}(trackId, offerId) {
            buyers.push(buyer);
        } catch {}
    }

    function buyerCount() external view returns (uint256) {
        return buyers.length;
    }
}

/// @dev Random stakes, unstake requests, cancellations, completions and time jumps.
contract StakingHandler {
    Vm private constant vm = Vm(address(uint160(uint256(keccak256("hevm cheat code")))));
    StakedCore public immutable stakedCore;
    address[3] public stakers = [address(0x51), address(0x52), address(0x53)];

    constructor(StakedCore stakedCore_) {
        stakedCore = stakedCore_;
    }

    function stake(uint256 who, uint96 amount) external {
        address staker = stakers[who % 3];
        amount = uint96(1 + (amount % 1_000 ether));
        vm.deal(staker, amount);
        vm.prank(staker);
        stakedCore.stake{value: amount}();
    }

    function requestUnstake(uint256 who, uint256 amount) external {
        address staker = stakers[who % 3];
        uint256 balance = stakedCore.balanceOf(staker);
        if (balance == 0) return;
        vm.prank(staker);
        stakedCore.requestUnstake(1 + (amount % balance));
    }

    function cancelUnstake(uint256 who) external {
        address staker = stakers[who % 3];
        if (stakedCore.pendingUnstakeOf(staker).amount == 0) return;
        vm.prank(staker);
        stakedCore.cancelUnstake();
    }

    function completeUnstake(uint256 who) external {
        address staker = stakers[who % 3];
        if (stakedCore.pendingUnstakeOf(staker).amount == 0) return;
        vm.warp(stakedCore.pendingUnstakeOf(staker).unlockAt);
        vm.prank(staker);
        stakedCore.completeUnstake();
    }
}

contract TippingInvariantTest is Test {
    TippingHandler private handler;
    HarmonieTipping private tipping;

    function setUp() public {
        tipping = new HarmonieTipping(address(this), 1, 250);
        handler = new TippingHandler(tipping);
        targetContract(address(handler));
    }

    receive() external payable {}

    /// @notice The contract holds exactly the artists' unwithdrawn credit plus the fees owed.
    function invariant_balanceEqualsCreditsPlusOwedFees() public view {
        uint256 credits;
        for (uint256 i; i < 3; ++i) {
            (uint256 net, uint256 fee) = tipping.earningsOf(handler.artists(i));
            credits += net + fee;
        }
        assertEq(address(tipping).balance, credits + tipping.owedFees(), "balance");
    }
}

contract LicenseSupplyInvariantTest is Test {
    LicenseHandler private handler;
    ContentRegistry private registry;
    uint256 private trackId;

    function setUp() public {
        registry = new ContentRegistry(address(this), 500);
        IContentRegistry.Split[] memory splits = new IContentRegistry.Split[](1);
        splits[0] = IContentRegistry.Split(address(0xA1), 10_000);
        IContentRegistry.LicenseTerms[] memory offers = new IContentRegistry.LicenseTerms[](2);
        offers[0] = IContentRegistry.LicenseTerms(1 ether, 5, 0, true, false);
        offers[1] = IContentRegistry.LicenseTerms(0.1 ether, 3, 30 days, false, false);
        trackId = registry.registerTrack(IContentRegistry.TrackInput("USRC17607839", "bafy", true, 0, splits, offers));
        handler = new LicenseHandler(registry, trackId);
        targetContract(address(handler));
    }

    /// @notice No offer ever sells past its cap, and every sale minted exactly one token.
    function invariant_supplyNeverExceedsCap() public view {
        uint256 sold;
        for (uint256 offerId; offerId < 2; ++offerId) {
            IContentRegistry.LicenseOffer memory offer = registry.offerOf(trackId, offerId);
            assertLe(offer.sold, offer.supplyCap, "cap");
            sold += offer.sold;
        }
        assertEq(sold, handler.buyerCount(), "one sale per successful purchase");
    }
}

contract StakingInvariantTest is Test {
    StakingHandler private handler;
    StakedCore private stakedCore;

    function setUp() public {
        stakedCore = new StakedCore(1 days);
        handler = new StakingHandler(stakedCore);
        targetContract(address(handler));
    }

    /// @notice stCORE supply equals the CORE held: escrowed requests count until withdrawn.
    function invariant_supplyEqualsCoreHeld() public view {
        assertEq(stakedCore.totalSupply(), address(stakedCore).balance, "supply");
    }
}
