// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IERC20Metadata} from "@openzeppelin/contracts/token/ERC20/extensions/IERC20Metadata.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {SignatureChecker} from "@openzeppelin/contracts/utils/cryptography/SignatureChecker.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {IHarmonieTipping} from "../interfaces/IHarmonieTipping.sol";
import {Governed} from "../utils/Governed.sol";

/// @title HarmonieTipping
/// @notice Tips in CORE or allow-listed ERC-20s, with a message, credited and pulled by withdrawal;
/// tabs that session keys tip from without wallet prompts; per-artist and per-session tip splits;
/// referrer shares of the platform fee.
/// @dev Gas design: a plain CORE tip touches exactly one storage slot, the artist's own (credit,
/// minimum, flags and nonce packed together), and reads no configuration. Hence:
///  - the platform fee is applied when the credit is withdrawn. A fee raise is announced on chain and
///    takes effect `feeNoticePeriod` later, so every artist can withdraw at the old fee first.
///  - a tip to an artist with a split is noticed from a flag bit in that same slot.
///  - a referred tip is the exception: the referrer's share is a share of this tip's fee, so its fee
///    is settled at once and the rest is credited as fee-free ("settled") credit.
///  - there is no pause: a tip only moves the tipper's own funds into a credit.
/// ERC-20s: a transfer in is measured by the balance it adds, so a fee-on-transfer token is refused;
/// rebasing tokens cannot be detected on chain and must not be allow-listed.
contract HarmonieTipping is IHarmonieTipping, Governed, EIP712, ReentrancyGuardTransient {
    using SafeERC20 for IERC20;

    /*//////////////////////////////////////////////////////////////
                               CONSTANTS
    //////////////////////////////////////////////////////////////*/

    /// @notice Longest tip message, in bytes.
    uint256 public constant MAX_MESSAGE_BYTES = 280;

    /// @notice Hard cap on the platform fee: 10%.
    uint256 public constant MAX_FEE_BPS = 1_000;

    /// @dev Most recipients in one split.
    uint256 private constant _MAX_SPLIT_RECIPIENTS = 16;

    bytes32 public constant WITHDRAW_TYPEHASH = keccak256(
        "Withdraw(address account,address token,address to,uint256 maxFeeBps,uint256 nonce,uint256 deadline)"
    );

    /// @notice The protocol-wide minimum CORE tip (anti-spam floor), fixed at deployment.
    uint256 public immutable protocolMinimumTip;

    /// @dev How long a fee raise waits between its announcement and taking effect.
    uint256 private immutable feeNoticePeriod;

    address private constant _CORE = address(0);
    uint256 private constant _BPS = 10_000;

    /*//////////////////////////////////////////////////////////////
                                STORAGE
    //////////////////////////////////////////////////////////////*/

    /// @dev One slot per account, everything a plain tip reads and writes, packed by hand so such a
    /// tip is one SLOAD and one SSTORE: bits 0–127 CORE credit (before the fee), 128–222 the artist's
    /// minimum tip, bit 223 "has a split", 224–255 the signed-withdrawal nonce. The split flag is the
    /// minimum's top bit on purpose: read as a 96-bit minimum it is above any possible tip (2^95 wei
    /// is ~19 times CORE's supply), so the comparison every tip makes anyway also detects a split.
    mapping(address account => uint256) private _accounts;

    /// @dev Credit in ERC-20s (`gross`, fee due at withdrawal) and settled credit in any token
    /// including CORE (`net`, from referred tips and referrals: fee already taken).
    struct Credit {
        uint128 gross;
        uint128 net;
    }

    mapping(address token => mapping(address account => Credit)) private _credits;

    /// @dev One slot, read and written together at withdrawal.
    struct FeeState {
        uint16 feeBps;
        uint16 pendingFeeBps;
        uint40 effectiveAt; // 0: no raise pending
        uint16 referrerShareBps;
        uint160 owedCore;
    }

    FeeState private _fees;

    /// @dev Allow-listed iff `minimumTip != 0`; owed fees outlive a removal.
    struct TokenState {
        uint128 minimumTip;
        uint128 owedFees;
    }

    mapping(address token => TokenState) private _tokens;

    /// @dev Two slots: (fan, expiresAt, hasReferrer) and (token, balance), both read by a tab tip.
    struct TabState {
        address fan;
        uint40 expiresAt;
        bool hasReferrer;
        address token;
        uint96 balance;
    }

    mapping(address key => TabState) private _tabs;
    mapping(address key => address) private _tabReferrers;

    /// @dev keccak256(artist, streamId) → shares packed as `recipient | bps << 160`.
    mapping(bytes32 splitKey => uint256[]) private _splits;
    mapping(address artist => uint256) private _splitCounts;

    uint256 private constant _CREDIT_MASK = type(uint128).max;
    uint256 private constant _MINIMUM_SHIFT = 128;
    uint256 private constant _HAS_SPLIT = 1 << 223;
    uint256 private constant _NONCE_SHIFT = 224;
    uint256 private constant _NONCE_ONE = 1 << 224;

    constructor(
        address governance_,
        uint256 protocolMinimumTip_,
        uint16 feeBps_,
        uint256 feeNoticePeriod_,
        uint16 referrerShareBps_,
        address[] memory tokens_,
        uint128[] memory tokenMinimums_
    ) Governed(governance_) EIP712("HarmonieTipping", "2") {
        require(feeBps_ <= MAX_FEE_BPS, HarmonieTippingFeeAboveCap(feeBps_, MAX_FEE_BPS));
        require(referrerShareBps_ <= _BPS, HarmonieTippingShareAboveCap(referrerShareBps_));
        require(protocolMinimumTip_ != 0, HarmonieTippingZeroTip());
        protocolMinimumTip = protocolMinimumTip_;
        feeNoticePeriod = feeNoticePeriod_;
        _fees.feeBps = feeBps_;
        _fees.referrerShareBps = referrerShareBps_;
        // Indexers learn the starting settings from the same events as every later change.
        emit FeeUpdated(0, feeBps_, block.timestamp);
        emit ReferrerShareUpdated(0, referrerShareBps_);
        require(tokens_.length == tokenMinimums_.length, HarmonieTippingInvalidToken(address(0)));
        for (uint256 i; i < tokens_.length; ++i) _allowToken(tokens_[i], tokenMinimums_[i]);
    }

    /*//////////////////////////////////////////////////////////////
                                 TIPPING
    //////////////////////////////////////////////////////////////*/

    /// @inheritdoc IHarmonieTipping
    function tip(address artist, uint256 streamId, string calldata message) external payable {
        require(artist != address(0), HarmonieTippingZeroAddress());
        _checkMessage(message);
        uint256 account = _accounts[artist];
        if (msg.value < _minimumOrSplit(account)) {
            // Below the minimum, or the artist has a split.
            _checkMinimum(msg.value, _minimumOf(account));
            _credit(artist, streamId, _CORE, msg.value, false);
        } else {
            // The credit is the low 128 bits, so adding to the word adds to the credit. It cannot carry
            // into the minimum: a credit is at most this contract's balance, and 2^128 wei (~3.4e20 CORE)
            // is far above CORE's supply (2.1e9).
            unchecked {
                _accounts[artist] = account + msg.value;
            }
        }
        _emitTipSent(artist, msg.sender, streamId, msg.value, message);
    }

    /// @inheritdoc IHarmonieTipping
    function tipWithReferrer(
        address artist,
        uint256 streamId,
        string calldata message,
        address referrer
    ) external payable {
        require(artist != address(0), HarmonieTippingZeroAddress());
        _checkMessage(message);
        _checkMinimum(msg.value, _minimumOf(_accounts[artist]));
        _route(artist, streamId, _CORE, msg.value, referrer);
        emit TipSent(artist, msg.sender, streamId, msg.value, message);
    }

    /// @inheritdoc IHarmonieTipping
    function tipToken(
        address token,
        address artist,
        uint256 streamId,
        uint256 amount,
        string calldata message,
        address referrer
    ) external nonReentrant {
        require(artist != address(0), HarmonieTippingZeroAddress());
        _checkMessage(message);
        _checkMinimum(amount, _tokenMinimum(token));
        _pull(token, msg.sender, amount);
        _route(artist, streamId, token, amount, referrer);
        emit TokenTipSent(artist, token, streamId, msg.sender, amount, message);
    }

    /// @inheritdoc IHarmonieTipping
    function setMinimumTip(uint88 minimum) external {
        uint256 account = _accounts[msg.sender];
        _accounts[msg.sender] =
            (account & ~(uint256(type(uint88).max) << _MINIMUM_SHIFT)) | (uint256(minimum) << _MINIMUM_SHIFT);
        emit MinimumTipSet(msg.sender, minimum);
    }

    /// @inheritdoc IHarmonieTipping
    function setSplit(uint256 streamId, Share[] calldata shares) external {
        uint256 count = shares.length;
        require(count <= _MAX_SPLIT_RECIPIENTS, HarmonieTippingInvalidSplit());
        uint256 total;
        for (uint256 i; i < count; ++i) {
            Share calldata share = shares[i];
            require(share.recipient != address(0) && share.bps != 0, HarmonieTippingInvalidSplit());
            for (uint256 j; j < i; ++j) require(shares[j].recipient != share.recipient, HarmonieTippingInvalidSplit());
            total += share.bps;
        }
        require(count == 0 || total == _BPS, HarmonieTippingInvalidSplit());

        uint256[] storage stored = _splits[_splitKey(msg.sender, streamId)];
        bool wasSet = stored.length != 0;
        // Shrink or grow in place: a split stores one word per recipient.
        while (stored.length > count) stored.pop();
        for (uint256 i; i < count; ++i) {
            uint256 word = uint256(uint160(shares[i].recipient)) | (uint256(shares[i].bps) << 160);
            if (i < stored.length) stored[i] = word;
            else stored.push(word);
        }
        if (wasSet != (count != 0)) {
            uint256 splits = wasSet ? _splitCounts[msg.sender] - 1 : _splitCounts[msg.sender] + 1;
            _splitCounts[msg.sender] = splits;
            uint256 account = _accounts[msg.sender];
            _accounts[msg.sender] = splits == 0 ? account & ~_HAS_SPLIT : account | _HAS_SPLIT;
        }
        emit SplitSet(msg.sender, streamId, shares);
    }

    /*//////////////////////////////////////////////////////////////
                              TABS AND KEYS
    //////////////////////////////////////////////////////////////*/

    /// @inheritdoc IHarmonieTipping
    function openTab(
        address key,
        address token,
        uint256 amount,
        uint40 expiresAt,
        address referrer
    ) external payable nonReentrant {
        require(key != address(0), HarmonieTippingZeroAddress());
        require(_tabs[key].fan == address(0) && expiresAt > block.timestamp, HarmonieTippingInvalidTab(key));
        require(amount != 0, HarmonieTippingZeroTip());
        if (token != _CORE) require(_tokens[token].minimumTip != 0, HarmonieTippingTokenNotAllowed(token));
        uint256 gas = _fund(token, amount);
        _tabs[key] = TabState({
            fan: msg.sender,
            expiresAt: expiresAt,
            hasReferrer: referrer != address(0),
            token: token,
            balance: SafeCast.toUint96(amount)
        });
        if (referrer != address(0)) _tabReferrers[key] = referrer;
        emit TabOpened(msg.sender, key, token, amount, expiresAt, referrer);
        if (gas != 0) _send(_CORE, key, gas);
    }

    /// @inheritdoc IHarmonieTipping
    function topUpTab(address key, uint256 amount) external payable nonReentrant {
        TabState storage tab = _tabs[key];
        require(tab.fan == msg.sender, HarmonieTippingNoTab(key));
        require(block.timestamp < tab.expiresAt, HarmonieTippingTabExpired(key, tab.expiresAt));
        require(amount != 0, HarmonieTippingZeroTip());
        uint256 gas = _fund(tab.token, amount);
        uint96 balance = SafeCast.toUint96(tab.balance + amount);
        tab.balance = balance;
        emit TabToppedUp(msg.sender, key, amount, balance);
        if (gas != 0) _send(_CORE, key, gas);
    }

    /// @inheritdoc IHarmonieTipping
    function closeTab(address key) external payable nonReentrant {
        TabState memory tab = _tabs[key];
        require(tab.fan != address(0) && (msg.sender == tab.fan || msg.sender == key), HarmonieTippingNoTab(key));
        delete _tabs[key];
        if (tab.hasReferrer) delete _tabReferrers[key];
        emit TabClosed(tab.fan, key, tab.token, tab.balance, msg.value);
        if (tab.token != _CORE) {
            if (tab.balance != 0) _send(tab.token, tab.fan, tab.balance);
            if (msg.value != 0) _send(_CORE, tab.fan, msg.value);
        } else if (tab.balance + msg.value != 0) {
            _send(_CORE, tab.fan, tab.balance + msg.value);
        }
    }

    /// @inheritdoc IHarmonieTipping
    function tipFromTab(address artist, uint256 streamId, uint256 amount, string calldata message) external {
        TabState storage tab = _tabs[msg.sender];
        (address fan, uint256 expiresAt, bool hasReferrer) = (tab.fan, tab.expiresAt, tab.hasReferrer);
        require(fan != address(0), HarmonieTippingNoTab(msg.sender));
        require(block.timestamp < expiresAt, HarmonieTippingTabExpired(msg.sender, expiresAt));
        require(artist != address(0), HarmonieTippingZeroAddress());
        _checkMessage(message);
        (address token, uint96 balance) = (tab.token, tab.balance);
        require(amount <= balance, HarmonieTippingTabExceeded(msg.sender, amount, balance));
        // Checked above: the balance is at least the amount.
        unchecked {
            tab.balance = balance - uint96(amount);
        }
        address referrer = hasReferrer ? _tabReferrers[msg.sender] : address(0);
        if (token == _CORE) {
            uint256 account = _accounts[artist];
            if (amount < _minimumOrSplit(account) || referrer != address(0)) {
                _checkMinimum(amount, _minimumOf(account));
                _route(artist, streamId, _CORE, amount, referrer);
            } else {
                // As in `tip`: a credit never reaches bit 128.
                unchecked {
                    _accounts[artist] = account + amount;
                }
            }
            emit TipSent(artist, fan, streamId, amount, message);
        } else {
            _checkMinimum(amount, _tokenMinimum(token));
            _route(artist, streamId, token, amount, referrer);
            emit TokenTipSent(artist, token, streamId, fan, amount, message);
        }
    }

    /*//////////////////////////////////////////////////////////////
                               WITHDRAWALS
    //////////////////////////////////////////////////////////////*/

    /// @inheritdoc IHarmonieTipping
    function withdraw(address token) external nonReentrant {
        _withdraw(msg.sender, token, msg.sender, MAX_FEE_BPS);
    }

    /// @inheritdoc IHarmonieTipping
    function withdrawTo(address token, address to) external nonReentrant {
        require(to != address(0), HarmonieTippingZeroAddress());
        _withdraw(msg.sender, token, to, MAX_FEE_BPS);
    }

    /// @inheritdoc IHarmonieTipping
    function withdrawFor(
        address account,
        address token,
        address to,
        uint256 maxFeeBps,
        uint256 deadline,
        bytes calldata signature
    ) external nonReentrant {
        require(block.timestamp <= deadline, HarmonieTippingSignatureExpired(deadline));
        require(to != address(0), HarmonieTippingZeroAddress());
        uint256 nonce = _accounts[account] >> _NONCE_SHIFT;
        bytes32 digest = _hashTypedDataV4(
            keccak256(abi.encode(WITHDRAW_TYPEHASH, account, token, to, maxFeeBps, nonce, deadline))
        );
        require(
            SignatureChecker.isValidSignatureNow(account, digest, signature),
            HarmonieTippingInvalidSignature(account)
        );
        _withdraw(account, token, to, maxFeeBps);
    }

    /// @inheritdoc IHarmonieTipping
    function invalidateNonce() external {
        uint256 account = _accounts[msg.sender];
        _accounts[msg.sender] = account + _NONCE_ONE;
        emit NonceInvalidated(msg.sender, account >> _NONCE_SHIFT);
    }

    /*//////////////////////////////////////////////////////////////
                               GOVERNANCE
    //////////////////////////////////////////////////////////////*/

    /// @inheritdoc IHarmonieTipping
    function setFee(uint16 bps) external onlyGovernance {
        require(bps <= MAX_FEE_BPS, HarmonieTippingFeeAboveCap(bps, MAX_FEE_BPS));
        FeeState memory fees = _fees;
        uint16 current = _feeInForce(fees);
        uint256 effectiveAt = block.timestamp;
        if (bps <= current) {
            (fees.feeBps, fees.pendingFeeBps, fees.effectiveAt) = (bps, 0, 0);
        } else {
            // A raise restarts the notice period, even over a raise already pending.
            effectiveAt += feeNoticePeriod;
            (fees.feeBps, fees.pendingFeeBps, fees.effectiveAt) = (current, bps, SafeCast.toUint40(effectiveAt));
        }
        _fees = fees;
        emit FeeUpdated(current, bps, effectiveAt);
    }

    /// @inheritdoc IHarmonieTipping
    function setReferrerShare(uint16 bps) external onlyGovernance {
        require(bps <= _BPS, HarmonieTippingShareAboveCap(bps));
        uint256 previous = _fees.referrerShareBps;
        _fees.referrerShareBps = bps;
        emit ReferrerShareUpdated(previous, bps);
    }

    /// @inheritdoc IHarmonieTipping
    function allowToken(address token, uint128 minimumTip) external onlyGovernance {
        _allowToken(token, minimumTip);
    }

    /// @inheritdoc IHarmonieTipping
    function removeToken(address token) external onlyGovernance {
        require(_tokens[token].minimumTip != 0, HarmonieTippingTokenNotAllowed(token));
        _tokens[token].minimumTip = 0;
        emit TokenRemoved(token);
    }

    /// @inheritdoc IHarmonieTipping
    function sweepFees(address token) external nonReentrant {
        uint256 amount;
        if (token == _CORE) {
            amount = _fees.owedCore;
            _fees.owedCore = 0;
        } else {
            amount = _tokens[token].owedFees;
            _tokens[token].owedFees = 0;
        }
        require(amount != 0, HarmonieTippingNoFees(token));
        emit FeesSwept(governance, token, amount);
        _send(token, governance, amount);
    }

    /*//////////////////////////////////////////////////////////////
                                  VIEWS
    //////////////////////////////////////////////////////////////*/

    /// @inheritdoc IHarmonieTipping
    function earningsOf(address account, address token) external view returns (uint256 net, uint256 fee) {
        Credit memory credit = _credits[token][account];
        uint256 gross = token == _CORE ? _accounts[account] & _CREDIT_MASK : credit.gross;
        fee = (gross * _feeInForce(_fees)) / _BPS;
        net = gross - fee + credit.net;
    }

    /// @inheritdoc IHarmonieTipping
    function minimumTipOf(address artist, address token) external view returns (uint256) {
        return token == _CORE ? _minimumOf(_accounts[artist]) : _tokens[token].minimumTip;
    }

    /// @inheritdoc IHarmonieTipping
    function nonces(address account) external view returns (uint256) {
        return _accounts[account] >> _NONCE_SHIFT;
    }

    /// @inheritdoc IHarmonieTipping
    function fees() external view returns (FeeSchedule memory schedule) {
        FeeState memory state = _fees;
        schedule.feeBps = _feeInForce(state);
        if (state.effectiveAt > block.timestamp)
            (schedule.pendingFeeBps, schedule.pendingFrom) = (state.pendingFeeBps, state.effectiveAt);
        schedule.referrerShareBps = state.referrerShareBps;
        schedule.noticePeriod = feeNoticePeriod;
    }

    /// @inheritdoc IHarmonieTipping
    function owedFees(address token) external view returns (uint256) {
        return token == _CORE ? _fees.owedCore : _tokens[token].owedFees;
    }

    /// @inheritdoc IHarmonieTipping
    function tabOf(address key) external view returns (Tab memory) {
        TabState memory tab = _tabs[key];
        return Tab(tab.fan, tab.token, tab.balance, tab.expiresAt, _tabReferrers[key]);
    }

    /// @inheritdoc IHarmonieTipping
    function splitOf(address artist, uint256 streamId) external view returns (Share[] memory shares) {
        uint256[] storage stored = _splits[_splitKey(artist, streamId)];
        shares = new Share[](stored.length);
        for (uint256 i; i < shares.length; ++i) {
            shares[i] = Share(address(uint160(stored[i])), uint16(stored[i] >> 160));
        }
    }

    /*//////////////////////////////////////////////////////////////
                                INTERNAL
    //////////////////////////////////////////////////////////////*/

    function _allowToken(address token, uint128 minimumTip) private {
        require(minimumTip != 0, HarmonieTippingZeroTip());
        // Indexers and apps show amounts with the token's symbol and decimals: a token must have both.
        // (An address without code is refused first: `try` cannot catch a call to it.)
        require(token.code.length != 0, HarmonieTippingInvalidToken(token));
        string memory symbol;
        uint8 decimals;
        try IERC20Metadata(token).symbol() returns (string memory symbol_) {
            symbol = symbol_;
        } catch {
            revert HarmonieTippingInvalidToken(token);
        }
        try IERC20Metadata(token).decimals() returns (uint8 decimals_) {
            decimals = decimals_;
        } catch {
            revert HarmonieTippingInvalidToken(token);
        }
        _tokens[token].minimumTip = minimumTip;
        emit TokenAllowed(token, symbol, decimals, minimumTip);
    }

    /// @dev Credits a tip of `amount`: with a referrer its fee is settled now and shared, else the fee
    /// waits for the withdrawal.
    function _route(address artist, uint256 streamId, address token, uint256 amount, address referrer) private {
        if (referrer == address(0)) return _credit(artist, streamId, token, amount, false);
        FeeState memory fees = _fees;
        uint256 fee = (amount * _feeInForce(fees)) / _BPS;
        uint256 referral = (fee * fees.referrerShareBps) / _BPS;
        _credit(artist, streamId, token, amount - fee, true);
        _add(referrer, token, referral, true);
        _addOwedFees(token, fee - referral);
        emit ReferralPaid(referrer, token, artist, referral, fee);
    }

    /// @dev Credits `amount` earned by `artist` to them or to the split for this tip.
    function _credit(address artist, uint256 streamId, address token, uint256 amount, bool settled) private {
        if (_accounts[artist] & _HAS_SPLIT != 0) {
            uint256 splitStreamId = streamId;
            uint256[] storage shares = _splits[_splitKey(artist, streamId)];
            if (shares.length == 0 && streamId != 0) {
                splitStreamId = 0;
                shares = _splits[_splitKey(artist, 0)];
            }
            uint256 count = shares.length;
            if (count != 0) {
                // Rounding dust goes to the first recipient: every unit is credited to someone.
                uint256 rest = amount;
                for (uint256 i = 1; i < count; ++i) {
                    uint256 word = shares[i];
                    uint256 share = (amount * (word >> 160)) / _BPS;
                    rest -= share;
                    _share(artist, address(uint160(word)), token, share, settled, splitStreamId);
                }
                _share(artist, address(uint160(shares[0])), token, rest, settled, splitStreamId);
                return;
            }
        }
        _add(artist, token, amount, settled);
    }

    /// @dev One recipient's share of a split tip, announced so indexers need not redo the arithmetic.
    function _share(
        address artist,
        address recipient,
        address token,
        uint256 amount,
        bool settled,
        uint256 splitStreamId
    ) private {
        _add(recipient, token, amount, settled);
        emit TipShared(artist, recipient, token, amount, splitStreamId);
    }

    function _add(address account, address token, uint256 amount, bool settled) private {
        if (settled) {
            _credits[token][account].net += SafeCast.toUint128(amount);
        } else if (token == _CORE) {
            // As in `tip`: a CORE credit never reaches bit 128.
            unchecked {
                _accounts[account] += amount;
            }
        } else {
            _credits[token][account].gross += SafeCast.toUint128(amount);
        }
    }

    function _addOwedFees(address token, uint256 amount) private {
        if (token == _CORE) _fees.owedCore += SafeCast.toUint160(amount);
        else _tokens[token].owedFees += SafeCast.toUint128(amount);
    }

    function _withdraw(address account, address token, address to, uint256 maxFeeBps) private {
        uint256 packed = _accounts[account];
        Credit memory credit = _credits[token][account];
        uint256 gross = token == _CORE ? packed & _CREDIT_MASK : credit.gross;
        require(gross != 0 || credit.net != 0, HarmonieTippingNothingToWithdraw(account, token));
        uint256 feeBps_ = _feeInForce(_fees);
        require(feeBps_ <= maxFeeBps, HarmonieTippingFeeAboveSigned(feeBps_, maxFeeBps));
        uint256 fee = (gross * feeBps_) / _BPS;

        // Every withdrawal uses up the nonce: withdrawing revokes every older signature.
        _accounts[account] = (token == _CORE ? packed - gross : packed) + _NONCE_ONE;
        if (token != _CORE || credit.net != 0) delete _credits[token][account];
        if (fee != 0) _addOwedFees(token, fee);
        uint256 amount = gross - fee + credit.net;
        emit Withdrawn(account, token, to, amount, fee);
        _send(token, to, amount);
    }

    /// @dev Takes `amount` of `token` from the caller; returns the CORE sent beyond it (key gas).
    function _fund(address token, uint256 amount) private returns (uint256 extra) {
        if (token == _CORE) {
            require(msg.value >= amount, HarmonieTippingTokenShortfall(_CORE, amount, msg.value));
            return msg.value - amount;
        }
        _pull(token, msg.sender, amount);
        return msg.value;
    }

    /// @dev Pulls `amount` and checks it arrived in full, so no credit is ever unbacked.
    function _pull(address token, address from, uint256 amount) private {
        uint256 before = IERC20(token).balanceOf(address(this));
        IERC20(token).safeTransferFrom(from, address(this), amount);
        uint256 received = IERC20(token).balanceOf(address(this)) - before;
        require(received == amount, HarmonieTippingTokenShortfall(token, amount, received));
    }

    function _send(address token, address to, uint256 amount) private {
        if (token != _CORE) return IERC20(token).safeTransfer(to, amount);
        (bool ok, ) = to.call{value: amount}("");
        require(ok, HarmonieTippingTransferFailed(to, amount));
    }

    /// @dev `emit TipSent(...)` written out: the ABI encoder's copy of the message costs the hottest
    /// path ~100 gas more than a plain calldatacopy.
    function _emitTipSent(
        address artist,
        address from,
        uint256 streamId,
        uint256 amount,
        string calldata message
    ) private {
        bytes32 topic = TipSent.selector;
        assembly ("memory-safe") {
            let data := mload(0x40)
            mstore(data, from)
            mstore(add(data, 0x20), amount)
            mstore(add(data, 0x40), 0x60)
            mstore(add(data, 0x60), message.length)
            calldatacopy(add(data, 0x80), message.offset, message.length)
            // Zero the padding after the message.
            mstore(add(add(data, 0x80), message.length), 0)
            log3(data, add(0x80, and(add(message.length, 31), not(31))), topic, artist, streamId)
        }
    }

    function _checkMessage(string calldata message) private pure {
        require(
            bytes(message).length <= MAX_MESSAGE_BYTES,
            HarmonieTippingMessageTooLong(bytes(message).length, MAX_MESSAGE_BYTES)
        );
    }

    function _checkMinimum(uint256 amount, uint256 minimum) private pure {
        if (amount < minimum) {
            // The minimum is at least 1 for an allowed token, so a zero tip always lands here.
            if (amount == 0) revert HarmonieTippingZeroTip();
            revert HarmonieTippingBelowMinimum(amount, minimum);
        }
    }

    function _minimumOf(uint256 account) private view returns (uint256) {
        return _minimumOrSplit(account & ~_HAS_SPLIT);
    }

    /// @dev The artist's minimum, or more than any tip when they have a split.
    function _minimumOrSplit(uint256 account) private view returns (uint256) {
        uint256 own = uint96(account >> _MINIMUM_SHIFT);
        return own > protocolMinimumTip ? own : protocolMinimumTip;
    }

    function _tokenMinimum(address token) private view returns (uint256 minimum) {
        minimum = _tokens[token].minimumTip;
        require(minimum != 0, HarmonieTippingTokenNotAllowed(token));
    }

    function _feeInForce(FeeState memory fees) private view returns (uint16) {
        return fees.effectiveAt != 0 && block.timestamp >= fees.effectiveAt ? fees.pendingFeeBps : fees.feeBps;
    }

    function _splitKey(address artist, uint256 streamId) private pure returns (bytes32) {
        return keccak256(abi.encode(artist, streamId));
    }
}
