// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// @title IHarmonieTipping
/// @notice Fans tip artists in native CORE or a governance-allow-listed ERC-20 (Core's bridged USDC
/// and USDT), optionally naming a live session, a message and the app that brought them (a referrer).
/// Tips are credited and pulled later. A fan can fund a tab and let a session key tip from it without
/// a wallet prompt per tip. An artist can route tips to a split, per live session or by default.
/// @dev `token` is `address(0)` for native CORE everywhere.
interface IHarmonieTipping {
    /*//////////////////////////////////////////////////////////////
                                 TYPES
    //////////////////////////////////////////////////////////////*/

    /// @notice One recipient of a tip split and their share in basis points.
    struct Share {
        address recipient;
        uint16 bps;
    }

    /// @notice The platform fee settings (basis points; times in seconds since the epoch).
    struct FeeSchedule {
        uint256 feeBps;
        uint256 pendingFeeBps;
        uint256 pendingFrom;
        uint256 referrerShareBps;
        uint256 noticePeriod;
    }

    /// @notice A fan's tab, spendable by one session key until `expiresAt`. Its balance is the key's
    /// spending cap: a key can never tip more than what is left on its tab.
    struct Tab {
        address fan;
        address token;
        uint96 balance;
        uint40 expiresAt;
        address referrer;
    }

    /*//////////////////////////////////////////////////////////////
                                 EVENTS
    //////////////////////////////////////////////////////////////*/

    /// @notice Emitted for every CORE tip, whatever path it took (wallet, tab, split, referrer).
    /// The message is stored nowhere else: indexers read it from here.
    /// @dev `artist` and `streamId` are the topics (an artist's tips, a live session's tip feed); `from`
    /// is the fan (also for tab tips) and is data, which keeps a tip under its gas target.
    /// @param streamId The live session the tip was sent during, or 0 for none.
    event TipSent(address indexed artist, address from, uint256 indexed streamId, uint256 amount, string message);

    /// @notice Emitted for every ERC-20 tip; `amount` is in the token's own decimals.
    event TokenTipSent(
        address indexed artist,
        address indexed token,
        uint256 indexed streamId,
        address from,
        uint256 amount,
        string message
    );

    /// @notice Emitted for each recipient of a tip routed by a split, before the tip's own event: `amount`
    /// of the tip was credited to `recipient` by the split stored for `(artist, splitStreamId)` (0 = the
    /// artist's default split).
    event TipShared(
        address indexed artist,
        address indexed recipient,
        address token,
        uint256 amount,
        uint256 splitStreamId
    );

    /// @notice Emitted before a referred tip's own event: its platform fee `fee` was settled at once and
    /// `amount` of it credited to the referrer.
    event ReferralPaid(
        address indexed referrer,
        address indexed token,
        address indexed artist,
        uint256 amount,
        uint256 fee
    );

    /// @notice Emitted when an artist sets (or, with no shares, removes) the split for tips naming
    /// `streamId` (0 = every tip without a session split).
    event SplitSet(address indexed artist, uint256 indexed streamId, Share[] shares);

    /// @notice Emitted when a fan opens a tab for a session key.
    event TabOpened(
        address indexed fan,
        address indexed key,
        address token,
        uint256 amount,
        uint256 expiresAt,
        address referrer
    );

    /// @notice Emitted when a fan adds to an open tab.
    event TabToppedUp(address indexed fan, address indexed key, uint256 amount, uint256 balance);

    /// @notice Emitted when a tab is closed (the key is revoked) and its balance refunded to the fan,
    /// with `gasReturned` CORE the key sent back from its gas allowance.
    event TabClosed(address indexed fan, address indexed key, address token, uint256 refund, uint256 gasReturned);

    /// @notice Emitted when an account's credit in `token` is paid out; `fee` stays for the treasury.
    event Withdrawn(address indexed account, address indexed token, address to, uint256 amount, uint256 fee);

    /// @notice Emitted when an account skips its signed-withdrawal nonce, revoking every signature for it.
    event NonceInvalidated(address indexed account, uint256 nonce);

    /// @notice Emitted when an artist sets their own minimum CORE tip (0 = the protocol minimum only).
    event MinimumTipSet(address indexed artist, uint256 minimum);

    /// @notice Emitted when governance changes the platform fee. A cut applies at once; a raise only
    /// from `effectiveAt`, so every artist has the notice period to withdraw at the old fee.
    event FeeUpdated(uint256 previousBps, uint256 newBps, uint256 effectiveAt);

    /// @notice Emitted when governance changes the referrers' share of the platform fee.
    event ReferrerShareUpdated(uint256 previousBps, uint256 newBps);

    /// @notice Emitted when governance allow-lists `token` (or changes its minimum tip), with the
    /// symbol and decimals apps show its amounts with.
    event TokenAllowed(address indexed token, string symbol, uint8 decimals, uint256 minimumTip);

    /// @notice Emitted when governance removes `token`: no new tips or tabs; credits and tabs stay
    /// withdrawable.
    event TokenRemoved(address indexed token);

    /// @notice Emitted when settled fees in `token` are sent to the treasury.
    event FeesSwept(address indexed treasury, address indexed token, uint256 amount);

    /*//////////////////////////////////////////////////////////////
                                 ERRORS
    //////////////////////////////////////////////////////////////*/

    /// @notice Thrown when a tip carries nothing.
    error HarmonieTippingZeroTip();

    /// @notice Thrown when a tip, tab, split or withdrawal names the zero address.
    error HarmonieTippingZeroAddress();

    /// @notice Thrown when a tip is below the larger of the protocol and the artist's minimum.
    error HarmonieTippingBelowMinimum(uint256 amount, uint256 minimum);

    /// @notice Thrown when a tip message is longer than `MAX_MESSAGE_BYTES`.
    error HarmonieTippingMessageTooLong(uint256 length, uint256 maxLength);

    /// @notice Thrown when an account with no credit in `token` withdraws.
    error HarmonieTippingNothingToWithdraw(address account, address token);

    /// @notice Thrown when a relayed withdrawal's signature deadline has passed.
    error HarmonieTippingSignatureExpired(uint256 deadline);

    /// @notice Thrown when a relayed withdrawal's signature is not the account's for the current nonce
    /// (forged, replayed, or revoked by a later withdrawal or `invalidateNonce`).
    error HarmonieTippingInvalidSignature(address account);

    /// @notice Thrown when the fee in force is above the `maxFeeBps` a relayed withdrawal was signed for.
    error HarmonieTippingFeeAboveSigned(uint256 feeBps, uint256 maxFeeBps);

    /// @notice Thrown when governance sets a fee above `MAX_FEE_BPS`.
    error HarmonieTippingFeeAboveCap(uint256 bps, uint256 cap);

    /// @notice Thrown when governance sets a referrer share above 100% of the fee.
    error HarmonieTippingShareAboveCap(uint256 bps);

    /// @notice Thrown when a value transfer to `to` fails.
    error HarmonieTippingTransferFailed(address to, uint256 amount);

    /// @notice Thrown when there are no settled fees in `token` to sweep.
    error HarmonieTippingNoFees(address token);

    /// @notice Thrown when a tip or tab names a token governance has not allow-listed.
    error HarmonieTippingTokenNotAllowed(address token);

    /// @notice Thrown when governance allow-lists an address that is not an ERC-20 with a symbol and
    /// decimals (CORE's zero address included), or passes token and minimum lists of different lengths.
    error HarmonieTippingInvalidToken(address token);

    /// @notice Thrown when a token transfer delivered less than asked (fee-on-transfer tokens are refused).
    error HarmonieTippingTokenShortfall(address token, uint256 expected, uint256 received);

    /// @notice Thrown when a split is not 1–16 distinct non-zero recipients with positive shares summing
    /// to 10,000 basis points.
    error HarmonieTippingInvalidSplit();

    /// @notice Thrown when a tab is opened for a key that already has one, or for an expiry in the past.
    error HarmonieTippingInvalidTab(address key);

    /// @notice Thrown when a key with no open tab tips, or anyone but its fan or key closes it.
    error HarmonieTippingNoTab(address key);

    /// @notice Thrown when a session key tips after its tab expired.
    error HarmonieTippingTabExpired(address key, uint256 expiresAt);

    /// @notice Thrown when a session key tips more than is left on its tab (its spending cap).
    error HarmonieTippingTabExceeded(address key, uint256 amount, uint256 balance);

    /*//////////////////////////////////////////////////////////////
                                 TIPPING
    //////////////////////////////////////////////////////////////*/

    /// @notice Tips `artist` with `msg.value` CORE.
    /// @param streamId The live session this tip belongs to, or 0. Not checked on chain (a check would
    /// cost a storage read per tip); indexers link it to the session. It selects the artist's session
    /// split, if they set one for this id.
    /// @param message At most 280 bytes of UTF-8, emitted in `TipSent` and never stored.
    function tip(address artist, uint256 streamId, string calldata message) external payable;

    /// @notice Like `tip`, naming the app that brought the fan: `referrer` gets its share of the fee.
    function tipWithReferrer(
        address artist,
        uint256 streamId,
        string calldata message,
        address referrer
    ) external payable;

    /// @notice Tips `artist` with `amount` of an allow-listed ERC-20, pulled with `transferFrom` (approve
    /// first). `referrer` may be the zero address.
    function tipToken(
        address token,
        address artist,
        uint256 streamId,
        uint256 amount,
        string calldata message,
        address referrer
    ) external;

    /// @notice Sets the caller's own minimum CORE tip, on top of the protocol minimum.
    function setMinimumTip(uint88 minimum) external;

    /// @notice Routes the caller's tips naming `streamId` (0 = all other tips) to `shares`; no shares
    /// removes the split. Changing a split never moves credit already earned.
    function setSplit(uint256 streamId, Share[] calldata shares) external;

    /*//////////////////////////////////////////////////////////////
                              TABS AND KEYS
    //////////////////////////////////////////////////////////////*/

    /// @notice Funds a tab of `amount` in `token` that `key` may tip from until `expiresAt`, in one
    /// confirmation. CORE sent beyond a CORE tab's `amount` (all of it for a token tab) is forwarded to
    /// `key` to pay its gas. Tips from the tab name `referrer` (may be zero).
    function openTab(address key, address token, uint256 amount, uint40 expiresAt, address referrer) external payable;

    /// @notice Adds `amount` to the tab of `key`; CORE beyond it is forwarded to the key for gas.
    function topUpTab(address key, uint256 amount) external payable;

    /// @notice Revokes `key` and refunds what is left on its tab to the fan. The fan or the key may call;
    /// CORE sent with the call (the key's unused gas allowance) goes to the fan too.
    function closeTab(address key) external payable;

    /// @notice Tips `artist` `amount` from the caller's tab; the caller is the session key.
    function tipFromTab(address artist, uint256 streamId, uint256 amount, string calldata message) external;

    /*//////////////////////////////////////////////////////////////
                               WITHDRAWALS
    //////////////////////////////////////////////////////////////*/

    /// @notice Pays the caller's credit in `token`, less the fee in force, to the caller. Uses up the
    /// caller's signed-withdrawal nonce, which revokes every older signature.
    function withdraw(address token) external;

    /// @notice Like `withdraw`, paying `to`.
    function withdrawTo(address token, address to) external;

    /// @notice Pays `account`'s credit in `token` to `to`, authorised by the account's EIP-712 signature
    /// (EOA or ERC-1271) over `Withdraw(address account,address token,address to,uint256 maxFeeBps,
    /// uint256 nonce,uint256 deadline)`, so a relayer can pay the gas. Refused if the fee in force is
    /// above `maxFeeBps`.
    function withdrawFor(
        address account,
        address token,
        address to,
        uint256 maxFeeBps,
        uint256 deadline,
        bytes calldata signature
    ) external;

    /// @notice Uses up the caller's current nonce without withdrawing, revoking its signatures.
    function invalidateNonce() external;

    /*//////////////////////////////////////////////////////////////
                               GOVERNANCE
    //////////////////////////////////////////////////////////////*/

    /// @notice Sets the platform fee in basis points. Timelock only. A cut applies at once; a raise
    /// after `feeNoticePeriod`, during which withdrawals still pay the old fee.
    function setFee(uint16 bps) external;

    /// @notice Sets the share of the platform fee, in basis points of the fee, paid to referrers.
    function setReferrerShare(uint16 bps) external;

    /// @notice Allow-lists `token` with a protocol minimum tip in its own decimals (> 0). Timelock only.
    /// @dev Only tokens whose transfers deliver exactly what is asked and whose balances do not rebase:
    /// short deliveries are refused by a balance check, rebasing cannot be detected on chain.
    function allowToken(address token, uint128 minimumTip) external;

    /// @notice Removes `token` from the allow-list. Timelock only.
    function removeToken(address token) external;

    /// @notice Sends the fees in `token` settled so far to the treasury. Anyone may call.
    function sweepFees(address token) external;

    /*//////////////////////////////////////////////////////////////
                                  VIEWS
    //////////////////////////////////////////////////////////////*/

    /// @notice What `account` can withdraw in `token` now: what they receive and the fee in force.
    function earningsOf(address account, address token) external view returns (uint256 net, uint256 fee);

    /// @notice The smallest tip `artist` accepts in `token`; 0 for a token that is not allow-listed.
    function minimumTipOf(address artist, address token) external view returns (uint256);

    /// @notice The nonce the account's next signed withdrawal must carry.
    function nonces(address account) external view returns (uint256);

    /// @notice The fee settings: the fee in force, a raise announced and when it takes effect (0, 0
    /// when none is pending), the referrers' share, and the notice period of every raise.
    function fees() external view returns (FeeSchedule memory);

    /// @notice Fees in `token` settled and not yet swept to the treasury.
    function owedFees(address token) external view returns (uint256);

    /// @notice The tab `key` spends from (fan is zero when there is none).
    function tabOf(address key) external view returns (Tab memory);

    /// @notice The split stored for `(artist, streamId)`; empty when none.
    function splitOf(address artist, uint256 streamId) external view returns (Share[] memory);
}
