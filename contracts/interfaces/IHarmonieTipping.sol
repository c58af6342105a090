// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// @title IHarmonieTipping
/// @notice Fans tip artists in native CORE, optionally naming a live session and adding a message.
/// Tips are credited to the artist and pulled later; the platform fee is applied when the artist
/// withdraws, so a tip reads no configuration at all.
interface IHarmonieTipping {
    /*//////////////////////////////////////////////////////////////
                                 EVENTS
    //////////////////////////////////////////////////////////////*/

    /// @notice Emitted for every tip. The message is stored nowhere else: indexers read it from here.
    /// @dev `artist` and `streamId` are the topics (an artist's tips, a live session's tip feed);
    /// `from` is data, which keeps a tip under its gas target — a fan's history comes from the indexer.
    /// @param streamId The live session the tip was sent during, or 0 for none.
    event TipSent(address indexed artist, address from, uint256 indexed streamId, uint256 amount, string message);

    /// @notice Emitted when an artist's credit is paid out; `fee` stays in the contract for the treasury.
    event Withdrawn(address indexed artist, address indexed to, uint256 amount, uint256 fee);

    /// @notice Emitted when an artist sets their own minimum tip (0 = the protocol minimum only).
    event MinimumTipSet(address indexed artist, uint256 minimum);

    /// @notice Emitted when governance changes the platform fee.
    event FeeUpdated(uint256 previousBps, uint256 newBps);

    /// @notice Emitted when settled fees are sent to the treasury.
    event FeesSwept(address indexed treasury, uint256 amount);

    /*//////////////////////////////////////////////////////////////
                                 ERRORS
    //////////////////////////////////////////////////////////////*/

    /// @notice Thrown when a tip carries no CORE.
    error HarmonieTippingZeroTip();

    /// @notice Thrown when a tip or withdrawal names the zero address.
    error HarmonieTippingZeroAddress();

    /// @notice Thrown when a tip is below the larger of the protocol and the artist's minimum.
    error HarmonieTippingBelowMinimum(uint256 amount, uint256 minimum);

    /// @notice Thrown when a tip message is longer than `MAX_MESSAGE_BYTES`.
    error HarmonieTippingMessageTooLong(uint256 length, uint256 maxLength);

    /// @notice Thrown when an artist with no credit withdraws.
    error HarmonieTippingNothingToWithdraw(address artist);

    /// @notice Thrown when a relayed withdrawal's signature deadline has passed.
    error HarmonieTippingSignatureExpired(uint256 deadline);

    /// @notice Thrown when a relayed withdrawal's signature is not the artist's for the current nonce
    /// (forged, or replayed after it was used).
    error HarmonieTippingInvalidSignature(address artist);

    /// @notice Thrown when governance sets a fee above `MAX_FEE_BPS`.
    error HarmonieTippingFeeAboveCap(uint256 bps, uint256 cap);

    /// @notice Thrown when a value transfer to `to` fails.
    error HarmonieTippingTransferFailed(address to, uint256 amount);

    /// @notice Thrown when there are no settled fees to sweep.
    error HarmonieTippingNoFees();

    /*//////////////////////////////////////////////////////////////
                                FUNCTIONS
    //////////////////////////////////////////////////////////////*/

    /// @notice Tips `artist` with `msg.value` CORE.
    /// @param streamId The live session this tip belongs to, or 0. Not checked on chain (a check would
    /// cost a storage read per tip); indexers link it to the session.
    /// @param message At most 280 bytes of UTF-8, emitted in `TipSent` and never stored.
    function tip(address artist, uint256 streamId, string calldata message) external payable;

    /// @notice Pays the caller's credit, less the current platform fee, to the caller.
    function withdraw() external;

    /// @notice Pays the caller's credit, less the current platform fee, to `to`.
    function withdrawTo(address to) external;

    /// @notice Pays `artist`'s credit to `artist`, authorised by the artist's EIP-712 signature
    /// (EOA or ERC-1271) over `Withdraw(address artist,uint256 nonce,uint256 deadline)`, so a relayer
    /// can pay the gas.
    function withdrawFor(address artist, uint256 deadline, bytes calldata signature) external;

    /// @notice Sets the caller's own minimum tip, on top of the protocol minimum.
    function setMinimumTip(uint96 minimum) external;

    /// @notice Sets the platform fee, in basis points of each withdrawal. Timelock only.
    /// @dev It applies to credit not yet withdrawn; the timelock delay is the artists' notice period.
    function setFee(uint16 bps) external;

    /// @notice Sends the fees settled by withdrawals to the treasury. Anyone may call.
    function sweepFees() external;

    /// @notice The credit `artist` can withdraw, split into what they receive and the fee at today's rate.
    function earningsOf(address artist) external view returns (uint256 net, uint256 fee);

    /// @notice The smallest tip `artist` accepts: the larger of the protocol's and the artist's minimum.
    function minimumTipOf(address artist) external view returns (uint256);

    /// @notice The nonce the artist's next signed withdrawal must carry.
    function nonces(address artist) external view returns (uint256);

    /// @notice The platform fee in basis points.
    function feeBps() external view returns (uint256);

    /// @notice Fees settled by withdrawals and not yet swept to the treasury.
    function owedFees() external view returns (uint256);
}
