// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {StakedCore} from "../governance/StakedCore.sol";
import {HarmonieTipping} from "../tipping/HarmonieTipping.sol";
import {IHarmonieTipping} from "../interfaces/IHarmonieTipping.sol";
import {TestStablecoin} from "./mocks/TestStablecoin.sol";
import {Test, Vm} from "./utils/Test.sol";

/// @dev Random tips (CORE, token, referred, split, from tabs), tabs opened and closed, withdrawals, fee
/// changes, sweeps and time jumps by a few actors.
contract TippingHandler {
    Vm private constant vm = Vm(address(uint160(uint256(keccak256("hevm cheat code")))));
    HarmonieTipping public immutable tipping;
    TestStablecoin public immutable usdc;
    address public constant REFERRER = address(0x2EF);
    address[3] public artists = [address(0xA1), address(0xA2), address(0xA3)];
    /// Artist 0 splits its tips between these two (and itself).
    address[2] public bandmates = [address(0xB1), address(0xB2)];

    address[] public keys;
    mapping(address key => uint256) public funded;
    mapping(address key => uint256) public spent;
    /// Tips that went through although the key's tab had expired or was closed.
    uint256 public forbiddenSpends;
    mapping(address key => bool) public closed;

    constructor(HarmonieTipping tipping_, TestStablecoin usdc_) {
        (tipping, usdc) = (tipping_, usdc_);
        IHarmonieTipping.Share[] memory shares = new IHarmonieTipping.Share[](3);
        shares[0] = IHarmonieTipping.Share(artists[0], 5_000);
        shares[1] = IHarmonieTipping.Share(bandmates[0], 3_333);
        shares[2] = IHarmonieTipping.Share(bandmates[1], 1_667);
        vm.prank(artists[0]);
        tipping.setSplit(0, shares);
    }

    function accounts() external view returns (address[6] memory) {
        return [artists[0], artists[1], artists[2], bandmates[0], bandmates[1], REFERRER];
    }

    function keyCount() external view returns (uint256) {
        return keys.length;
    }

    function _fan(uint8 index) private pure returns (address) {
        // Fans are plain accounts: `deal` on a fuzzed address could overwrite a contract's balance.
        return address(uint160(0xF000 + (index % 8)));
    }

    function tip(uint256 artistIndex, uint96 amount, uint8 fanIndex, bool referred) external {
        address fan = _fan(fanIndex);
        amount = uint96(1 + (amount % 100 ether));
        vm.deal(fan, amount);
        vm.prank(fan);
        if (referred) tipping.tipWithReferrer{value: amount}(artists[artistIndex % 3], 0, "invariant", REFERRER);
        else tipping.tip{value: amount}(artists[artistIndex % 3], 0, "invariant");
    }

    function tipToken(uint256 artistIndex, uint64 amount, uint8 fanIndex, bool referred) external {
        address fan = _fan(fanIndex);
        amount = uint64(1 + (amount % 1e12));
        usdc.mint(fan, amount);
        vm.prank(fan);
        usdc.approve(address(tipping), amount);
        vm.prank(fan);
        tipping.tipToken(address(usdc), artists[artistIndex % 3], 0, amount, "", referred ? REFERRER : address(0));
    }

    function openTab(uint8 fanIndex, uint96 amount, uint16 lifetime, bool inToken, bool referred) external {
        address fan = _fan(fanIndex);
        address key = address(uint160(0xC000 + keys.length));
        amount = uint96(1 + (amount % 50 ether));
        address token = inToken ? address(usdc) : address(0);
        uint40 expiresAt = uint40(block.timestamp + 1 + (lifetime % 2 hours));
        address referrer = referred ? REFERRER : address(0);
        if (inToken) {
            usdc.mint(fan, amount);
            vm.prank(fan);
            usdc.approve(address(tipping), amount);
            vm.prank(fan);
            tipping.openTab(key, token, amount, expiresAt, referrer);
        } else {
            vm.deal(fan, amount);
            vm.prank(fan);
            tipping.openTab{value: amount}(key, token, amount, expiresAt, referrer);
        }
        keys.push(key);
        funded[key] = amount;
    }

    function tipFromTab(uint256 keyIndex, uint256 artistIndex, uint96 amount) external {
        if (keys.length == 0) return;
        address key = keys[keyIndex % keys.length];
        IHarmonieTipping.Tab memory tab = tipping.tabOf(key);
        amount = uint96(amount % (uint256(funded[key]) + 1));
        vm.prank(key);
        try tipping.tipFromTab(artists[artistIndex % 3], 0, amount, "tab") {
            spent[key] += amount;
            if (closed[key] || block.timestamp >= tab.expiresAt) ++forbiddenSpends;
        } catch {}
    }

    function closeTab(uint256 keyIndex, bool byKey) external {
        if (keys.length == 0) return;
        address key = keys[keyIndex % keys.length];
        IHarmonieTipping.Tab memory tab = tipping.tabOf(key);
        if (tab.fan == address(0)) return;
        vm.prank(byKey ? key : tab.fan);
        tipping.closeTab(key);
        closed[key] = true;
    }

    function withdraw(uint256 accountIndex, bool inToken) external {
        address account = this.accounts()[accountIndex % 6];
        address token = inToken ? address(usdc) : address(0);
        (uint256 net, uint256 fee) = tipping.earningsOf(account, token);
        if (net + fee == 0) return;
        vm.prank(account);
        tipping.withdraw(token);
    }

    function setFee(uint16 bps) external {
        vm.prank(tipping.governance());
        tipping.setFee(bps % 1_001);
    }

    function sweep(bool inToken) external {
        address token = inToken ? address(usdc) : address(0);
        if (tipping.owedFees(token) != 0) tipping.sweepFees(token);
    }

    function wait(uint16 seconds_) external {
        vm.warp(block.timestamp + seconds_);
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
    TestStablecoin private usdc;

    function setUp() public {
        usdc = new TestStablecoin();
        address[] memory tokens = new address[](1);
        uint128[] memory minimums = new uint128[](1);
        (tokens[0], minimums[0]) = (address(usdc), 1);
        tipping = new HarmonieTipping(address(this), 1, 250, 1 hours, 2_000, tokens, minimums);
        handler = new TippingHandler(tipping, usdc);
        targetContract(address(handler));
    }

    receive() external payable {}

    /// @notice Per token, the contract holds exactly every account's credit, the fees owed and every
    /// open tab's balance: no credit is ever unbacked, nothing is stuck.
    function invariant_balanceEqualsCreditsPlusOwedFeesPlusTabs() public view {
        assertEq(address(tipping).balance, _liabilities(address(0)), "CORE");
        assertEq(usdc.balanceOf(address(tipping)), _liabilities(address(usdc)), "USDC");
    }

    /// @notice A session key never spends beyond its cap, after its expiry or once revoked.
    function invariant_sessionKeysStayWithinCapAndLifetime() public view {
        assertEq(handler.forbiddenSpends(), 0, "spent after expiry or revocation");
        for (uint256 i; i < handler.keyCount(); ++i) {
            address key = handler.keys(i);
            assertLe(handler.spent(key), handler.funded(key), "cap");
        }
    }

    function _liabilities(address token) private view returns (uint256 total) {
        address[6] memory accounts = handler.accounts();
        for (uint256 i; i < accounts.length; ++i) {
            (uint256 net, uint256 fee) = tipping.earningsOf(accounts[i], token);
            total += net + fee;
        }
        total += tipping.owedFees(token);
        for (uint256 i; i < handler.keyCount(); ++i) {
            IHarmonieTipping.Tab memory tab = tipping.tabOf(handler.keys(i));
            if (tab.token == token) total += tab.balance;
        }
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

    /// @notice hVOTE supply equals the CORE held: escrowed requests count until withdrawn.
    function invariant_supplyEqualsCoreHeld() public view {
        assertEq(stakedCore.totalSupply(), address(stakedCore).balance, "supply");
    }
}
