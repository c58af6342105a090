// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {ERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/ERC20Permit.sol";
import {ERC20Votes} from "@openzeppelin/contracts/token/ERC20/extensions/ERC20Votes.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {Nonces} from "@openzeppelin/contracts/utils/Nonces.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {IStakedCore, ITimelockDelay, IVoteLifetime} from "../interfaces/IStakedCore.sol";

/// @title StakedCore (Harmonie Vote, hVOTE)
/// @notice The DAO's voting token: CORE staked 1:1. Votes use a timestamp clock (EIP-6372) because
/// Core's block time is a protocol parameter, not a promise. Named "Harmonie Vote" (hVOTE) because
/// "stCORE" is Core's own liquid-staking token: a wallet or explorer must never confuse the two.
/// @dev Escrowed unstake requests stay in the total supply until withdrawn, so the CORE held always
/// equals the token supply. The cooldown covers the governor's vote lifetime (see IStakedCore).
contract StakedCore is IStakedCore, ERC20, ERC20Permit, ERC20Votes, ReentrancyGuardTransient {
    /// @inheritdoc IStakedCore
    uint256 public immutable minimumCooldown;

    /// @inheritdoc IStakedCore
    address public governor;

    // The governor is deployed after this token (it takes the token's address), so it is bound once
    // afterwards, by whoever deployed the token.
    address private immutable _deployer;

    mapping(address account => PendingUnstake) private _pending;

    constructor(uint256 minimumCooldown_) ERC20("Harmonie Vote", "hVOTE") ERC20Permit("Harmonie Vote") {
        minimumCooldown = minimumCooldown_;
        _deployer = msg.sender;
    }

    /// @inheritdoc IStakedCore
    function bindGovernor(address governor_) external {
        require(msg.sender == _deployer, StakedCoreUnauthorized(msg.sender));
        require(governor == address(0), StakedCoreGovernorAlreadyBound(governor));
        require(
            governor_ != address(0) && IVoteLifetime(governor_).token() == address(this),
            StakedCoreInvalidGovernor(governor_)
        );
        governor = governor_;
        emit GovernorBound(governor_);
    }

    /// @inheritdoc IStakedCore
    function cooldown() public view returns (uint256) {
        address bound = governor;
        if (bound == address(0)) return minimumCooldown;
        // A vote cast just after the snapshot can count until the (extended) deadline, and the proposal
        // executes a timelock delay after that at the earliest.
        (bool ok, uint256 votingPeriod) = _read(bound, IVoteLifetime.votingPeriod.selector);
        (bool ok2, uint256 extension) = _read(bound, IVoteLifetime.lateQuorumVoteExtension.selector);
        (bool ok3, uint256 timelock) = _read(bound, IVoteLifetime.timelock.selector);
        (bool ok4, uint256 delay) = _read(address(uint160(timelock)), ITimelockDelay.getMinDelay.selector);
        // Exits must not depend on governance staying sane. A governor whose timelock cannot answer, or
        // whose delay does not fit its uint48 eta (a delay of 2^48 - 1 already cannot: the eta adds the
        // current time), cannot queue any proposal: no vote can execute, so
        // the minimum is enough (and the sum below cannot overflow).
        if (!(ok && ok2 && ok3 && ok4) || (votingPeriod | extension | delay) >= type(uint48).max) {
            return minimumCooldown;
        }
        return Math.max(minimumCooldown, votingPeriod + extension + delay);
    }

    /// @inheritdoc IStakedCore
    function stake() external payable {
        require(msg.value != 0, StakedCoreZeroAmount());
        _mint(msg.sender, msg.value);
        emit Staked(msg.sender, msg.value);
    }

    /// @inheritdoc IStakedCore
    function requestUnstake(uint256 amount) external {
        require(amount != 0, StakedCoreZeroAmount());
        _transfer(msg.sender, address(this), amount);
        PendingUnstake storage pending = _pending[msg.sender];
        pending.amount += uint192(amount);
        // Never earlier than before: a top-up after governance shortened the settings must not free
        // tokens that voted under the longer ones.
        pending.unlockAt = uint64(Math.max(pending.unlockAt, block.timestamp + cooldown()));
        emit UnstakeRequested(msg.sender, pending.amount, pending.unlockAt);
    }

    /// @inheritdoc IStakedCore
    function cancelUnstake() external {
        uint256 amount = _pending[msg.sender].amount;
        require(amount != 0, StakedCoreNothingToUnstake(msg.sender));
        delete _pending[msg.sender];
        _transfer(address(this), msg.sender, amount);
        emit UnstakeCancelled(msg.sender, amount);
    }

    /// @inheritdoc IStakedCore
    function completeUnstake() external nonReentrant {
        PendingUnstake memory pending = _pending[msg.sender];
        require(pending.amount != 0, StakedCoreNothingToUnstake(msg.sender));
        require(block.timestamp >= pending.unlockAt, StakedCoreCooldownActive(pending.unlockAt));
        delete _pending[msg.sender];
        _burn(address(this), pending.amount);
        emit Unstaked(msg.sender, pending.amount);
        (bool ok, ) = msg.sender.call{value: pending.amount}("");
        require(ok, StakedCoreTransferFailed(msg.sender, pending.amount));
    }

    /// @inheritdoc IStakedCore
    function pendingUnstakeOf(address account) external view returns (PendingUnstake memory) {
        return _pending[account];
    }

    /// @notice EIP-6372 clock: seconds.
    function clock() public view override returns (uint48) {
        return uint48(block.timestamp);
    }

    /// @notice EIP-6372 clock description.
    // solhint-disable-next-line func-name-mixedcase
    function CLOCK_MODE() public pure override returns (string memory) {
        return "mode=timestamp";
    }

    /// @dev A one-word getter of `target`, or false if it reverts or answers anything else.
    function _read(address target, bytes4 selector) private view returns (bool ok, uint256 value) {
        (bool success, bytes memory data) = target.staticcall(abi.encodeWithSelector(selector));
        if (!success || data.length != 32) return (false, 0);
        return (true, abi.decode(data, (uint256)));
    }

    function _update(address from, address to, uint256 value) internal override(ERC20, ERC20Votes) {
        super._update(from, to, value);
    }

    function nonces(address owner) public view override(ERC20Permit, Nonces) returns (uint256) {
        return super.nonces(owner);
    }
}
