// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// @title IContentRegistry
/// @notice Tracks keyed by ISRC, their IPFS metadata, collaborator splits, and licence offers sold
/// as ERC-1155 tokens, priced in CORE or an allow-listed ERC-20. The track id is the ISRC packed into
/// 96 bits; a licence token id is `trackId << 32 | offerId`.
/// @dev Rights: the first registrant of an ISRC owns the track, unless its registrant code (the
/// `CC-XXX` part, assigned to a label or distributor) is claimed: then registering needs the code
/// owner's signature, and the code owner can reassign squatted tracks under it. Governance can flag
/// (freeze), revoke and reassign any track. Reassignment moves future revenue only: credits already
/// earned stay with whoever earned them, and licence holders keep their tokens and access.
interface IContentRegistry {
    /*//////////////////////////////////////////////////////////////
                                  TYPES
    //////////////////////////////////////////////////////////////*/

    /// @notice A track's standing. A track that is not `Active` is frozen: no edits, no sales, no
    /// transfer, royalties 0, until governance (or the code's registrant) decides.
    enum TrackStatus {
        Active,
        Flagged,
        Revoked
    }

    /// @notice A collaborator's share of licence and royalty revenue, in basis points.
    struct Split {
        address recipient;
        uint16 bps;
    }

    /// @notice Licence terms, in the spirit of Story Protocol's PIL.
    /// @param token What the licence is priced in: `address(0)` for CORE, else an ERC-20 the DAO
    /// allow-listed for tips (one allow-list for the protocol).
    /// @param price Price in the token's smallest unit (0 = free).
    /// @param supplyCap Most licences ever issued under this offer (0 = unlimited). A timed licence is
    /// one per holder however often it is renewed, so for timed offers the cap counts holders.
    /// @param perBuyerLimit Most licences one account may buy under this offer (0 = unlimited);
    /// renewals are not new licences.
    /// @param duration Seconds a licence lasts from purchase (0 = perpetual). Timed licences are
    /// personal (not transferable); perpetual ones can be resold, paying EIP-2981 royalties.
    struct LicenseTerms {
        address token;
        uint96 price;
        uint32 supplyCap;
        uint32 perBuyerLimit;
        uint64 duration;
        bool commercialUse;
        bool derivativesAllowed;
    }

    /// @notice A stored offer: its terms, how many licences were issued, and whether it is on sale.
    struct LicenseOffer {
        address token;
        uint96 price;
        uint32 supplyCap;
        uint32 perBuyerLimit;
        uint64 duration;
        bool commercialUse;
        bool derivativesAllowed;
        bool active;
        uint32 issued;
    }

    /// @notice Input to `registerTrack`.
    /// @param isrc The plain 12-character uppercase ISRC.
    /// @param metadataCid CID of the track package directory (metadata.json, audio, cover, lyrics).
    /// @param exclusive Whether access needs a licence (or being a collaborator).
    /// @param royaltyBps EIP-2981 royalty on resales of perpetual licences, credited to the splits.
    /// @param splits Collaborators' shares of revenue, summing to 10,000.
    /// @param offers Licence offers, numbered from 0 in this order.
    struct TrackInput {
        string isrc;
        string metadataCid;
        bool exclusive;
        uint16 royaltyBps;
        Split[] splits;
        LicenseTerms[] offers;
    }

    /*//////////////////////////////////////////////////////////////
                                 EVENTS
    //////////////////////////////////////////////////////////////*/

    /// @notice Emitted when `artist` registers a track. `registrant` is the owner of the ISRC's
    /// registrant code who approved it, or zero for an unclaimed code.
    event TrackRegistered(
        uint256 indexed trackId,
        address indexed artist,
        string isrc,
        string metadataCid,
        bool exclusive,
        uint16 royaltyBps,
        Split[] splits,
        address registrant
    );

    /// @notice Emitted when a track's metadata package changes.
    event TrackMetadataUpdated(uint256 indexed trackId, string metadataCid);

    /// @notice Emitted for each licence offer created, at registration or later.
    event LicenseOfferCreated(
        uint256 indexed trackId,
        uint256 indexed offerId,
        uint256 tokenId,
        address token,
        uint256 price,
        uint256 supplyCap,
        uint256 perBuyerLimit,
        uint256 duration,
        bool commercialUse,
        bool derivativesAllowed
    );

    /// @notice Emitted when an offer's price changes (in the offer's token).
    event LicenseOfferPriceUpdated(uint256 indexed trackId, uint256 indexed offerId, uint256 price);

    /// @notice Emitted when an offer is taken off or put back on sale.
    event LicenseOfferStatusUpdated(uint256 indexed trackId, uint256 indexed offerId, bool active);

    /// @notice Emitted when a licence is bought or renewed. `expiresAt` is the buyer's access to the
    /// track after the purchase (0 for a perpetual licence); `renewal` is true when a timed licence was
    /// extended instead of issued. `referralFee` is the part of `fee` credited to `referrer`.
    event LicensePurchased(
        uint256 indexed trackId,
        uint256 indexed offerId,
        address indexed buyer,
        uint256 tokenId,
        address token,
        uint256 price,
        uint256 fee,
        address referrer,
        uint256 referralFee,
        uint64 expiresAt,
        bool renewal
    );

    /// @notice Emitted for each collaborator credited from a licence sale or collected royalties.
    event RevenueCredited(uint256 indexed trackId, address indexed recipient, address indexed token, uint256 amount);

    /// @notice Emitted when royalties paid to a track's royalty address are collected into credits.
    event RoyaltiesCollected(uint256 indexed trackId, address indexed token, uint256 amount);

    /// @notice Emitted when an account withdraws its credit in `token`.
    event EarningsWithdrawn(address indexed account, address indexed to, address indexed token, uint256 amount);

    /// @notice Emitted when governance flags a track as disputed: the track is frozen.
    event TrackFlagged(uint256 indexed trackId, string reason);

    /// @notice Emitted when governance lifts a dispute flag.
    event TrackUnflagged(uint256 indexed trackId);

    /// @notice Emitted when governance revokes a track: frozen for good, unless later reassigned by
    /// governance. Licence holders keep their tokens and access.
    event TrackRevoked(uint256 indexed trackId, string reason);

    /// @notice Emitted when governance or the code's registrant gives a track to its rightful artist,
    /// with new splits. `by` is the timelock or the registrant.
    event TrackReassigned(
        uint256 indexed trackId,
        address indexed previousArtist,
        address indexed artist,
        Split[] splits,
        address by,
        string reason
    );

    /// @notice Emitted when an artist offers a track to `to` (zero: the offer is withdrawn).
    event TrackTransferOffered(uint256 indexed trackId, address indexed artist, address indexed to);

    /// @notice Emitted when the offered address accepts a track.
    event TrackTransferred(uint256 indexed trackId, address indexed previousArtist, address indexed artist);

    /// @notice Emitted when governance assigns a registrant code (`CCXXX`) to `registrant` (zero: the
    /// code is unclaimed again).
    event RegistrantSet(string code, address indexed previousRegistrant, address indexed registrant);

    /// @notice Emitted when governance changes the platform fee on licence sales.
    event FeeUpdated(uint256 previousBps, uint256 newBps);

    /// @notice Emitted when accumulated fees in `token` are sent to the treasury.
    event FeesSwept(address indexed treasury, address indexed token, uint256 amount);

    /*//////////////////////////////////////////////////////////////
                                 ERRORS
    //////////////////////////////////////////////////////////////*/

    /// @notice Thrown when an ISRC is not 12 characters of `CC XXX YY NNNNN` (uppercase, no hyphens).
    error ContentRegistryInvalidIsrc(string isrc);

    /// @notice Thrown when a registrant code is not 5 characters of `CC XXX` (uppercase, no hyphen).
    error ContentRegistryInvalidRegistrantCode(string code);

    /// @notice Thrown when an ISRC is already registered.
    error ContentRegistryDuplicateIsrc(string isrc);

    /// @notice Thrown when a track under a claimed registrant code is registered without the
    /// registrant's approval.
    error ContentRegistryRegistrantApprovalRequired(string isrc, address registrant);

    /// @notice Thrown when an approval is presented for a code nobody has claimed.
    error ContentRegistryNoRegistrant(string isrc);

    /// @notice Thrown when the registrant's approval signature does not verify.
    error ContentRegistryInvalidApproval(string isrc, address registrant);

    /// @notice Thrown when an approval's deadline has passed.
    error ContentRegistryApprovalExpired(uint256 deadline);

    /// @notice Thrown when the metadata CID is empty.
    error ContentRegistryEmptyMetadata();

    /// @notice Thrown when splits do not sum to 10,000 basis points.
    error ContentRegistryInvalidSplitTotal(uint256 totalBps);

    /// @notice Thrown when there are no splits or more than `MAX_SPLITS`.
    error ContentRegistryInvalidSplitCount(uint256 count, uint256 max);

    /// @notice Thrown when a split has the zero address or zero basis points.
    error ContentRegistryInvalidSplit(uint256 index);

    /// @notice Thrown when a track would have more than `MAX_OFFERS` offers.
    error ContentRegistryTooManyOffers(uint256 count, uint256 max);

    /// @notice Thrown when the royalty exceeds `MAX_ROYALTY_BPS`.
    error ContentRegistryRoyaltyTooHigh(uint256 bps, uint256 max);

    /// @notice Thrown when no track has this id.
    error ContentRegistryUnknownTrack(uint256 trackId);

    /// @notice Thrown when the track has no offer with this id.
    error ContentRegistryUnknownOffer(uint256 trackId, uint256 offerId);

    /// @notice Thrown when an offer is not on sale.
    error ContentRegistryOfferInactive(uint256 trackId, uint256 offerId);

    /// @notice Thrown when the CORE sent differs from the price (CORE offers) or is not zero (token offers).
    error ContentRegistryWrongPayment(uint256 sent, uint256 price);

    /// @notice Thrown when an offer's supply cap is reached.
    error ContentRegistrySupplyExhausted(uint256 trackId, uint256 offerId);

    /// @notice Thrown when a buyer already bought `perBuyerLimit` licences under an offer.
    error ContentRegistryBuyerLimitReached(uint256 trackId, uint256 offerId, uint256 limit);

    /// @notice Thrown when a frozen (flagged or revoked) track is bought, edited, transferred or collected.
    error ContentRegistryTrackFrozen(uint256 trackId, TrackStatus status);

    /// @notice Thrown when a governance decision does not apply to the track's status (e.g. unflagging
    /// a track that is not flagged).
    error ContentRegistryWrongStatus(uint256 trackId, TrackStatus status);

    /// @notice Thrown when a payment token is not on the DAO's allow-list.
    error ContentRegistryTokenNotAllowed(address token);

    /// @notice Thrown when a token transfer delivered less than asked (fee-on-transfer tokens are refused).
    error ContentRegistryTokenShortfall(address token, uint256 expected, uint256 received);

    /// @notice Thrown when someone other than the track's artist manages it.
    error ContentRegistryNotArtist(uint256 trackId, address caller);

    /// @notice Thrown when someone other than governance or the code's registrant reassigns a track.
    error ContentRegistryNotRegistrant(uint256 trackId, address caller);

    /// @notice Thrown when someone other than the offered address accepts a track transfer.
    error ContentRegistryNotOfferedTo(uint256 trackId, address caller);

    /// @notice Thrown when a timed (personal) licence is transferred.
    error ContentRegistryLicenseNotTransferable(uint256 tokenId);

    /// @notice Thrown when an account with no credit in `token` withdraws.
    error ContentRegistryNothingToWithdraw(address account, address token);

    /// @notice Thrown when a track's royalty address holds nothing of `token` to collect.
    error ContentRegistryNoRoyalties(uint256 trackId, address token);

    /// @notice Thrown when there are no fees in `token` to sweep.
    error ContentRegistryNoFees(address token);

    /// @notice Thrown when governance sets a fee above `MAX_FEE_BPS`.
    error ContentRegistryFeeAboveCap(uint256 bps, uint256 cap);

    /// @notice Thrown when an address argument is the zero address.
    error ContentRegistryZeroAddress();

    /// @notice Thrown when a value transfer fails.
    error ContentRegistryTransferFailed(address to, uint256 amount);

    /*//////////////////////////////////////////////////////////////
                                FUNCTIONS
    //////////////////////////////////////////////////////////////*/

    /// @notice Registers a track owned by the caller. Returns its id (the packed ISRC). Reverts for an
    /// ISRC under a claimed registrant code unless the caller is that registrant.
    function registerTrack(TrackInput calldata input) external returns (uint256 trackId);

    /// @notice Registers a track under a claimed registrant code, owned by the caller, with the
    /// registrant's EIP-712 `TrackApproval(isrc, artist, deadline)` signature (EOA or ERC-1271), so the
    /// artist still sends the transaction.
    function registerTrackWithApproval(
        TrackInput calldata input,
        uint256 deadline,
        bytes calldata signature
    ) external returns (uint256 trackId);

    /// @notice Points the track at a new metadata package. Artist only.
    function updateMetadata(uint256 trackId, string calldata metadataCid) external;

    /// @notice Adds a licence offer. Artist only. Returns the new offer's id.
    function addOffer(uint256 trackId, LicenseTerms calldata terms) external returns (uint256 offerId);

    /// @notice Changes an offer's price (in the offer's token). Artist only.
    function setOfferPrice(uint256 trackId, uint256 offerId, uint96 price) external;

    /// @notice Takes an offer off sale or puts it back. Artist only.
    function setOfferActive(uint256 trackId, uint256 offerId, bool active) external;

    /// @notice Offers the track to `to`, who takes it with `acceptTrackTransfer` (zero withdraws the
    /// offer). Artist only. Splits do not change: collaborators keep their shares.
    function offerTrackTransfer(uint256 trackId, address to) external;

    /// @notice Takes a track offered to the caller.
    function acceptTrackTransfer(uint256 trackId) external;

    /// @notice Buys one licence under an offer, paying exactly its price (CORE as value, or an ERC-20
    /// the caller approved); mints the licence token, or extends a timed licence the caller holds.
    /// A non-zero `referrer` (the app that brought the buyer) gets the protocol's referrer share of
    /// the platform fee; the collaborators' part is unchanged.
    function purchaseLicense(
        uint256 trackId,
        uint256 offerId,
        address referrer
    ) external payable returns (uint256 tokenId);

    /// @notice Credits to the track's splits whatever `token` (zero: CORE) was paid to its royalty
    /// address. Anyone may call.
    function collectRoyalties(uint256 trackId, address token) external returns (uint256 amount);

    /// @notice Pays the caller's credit in `token` to the caller.
    function withdraw(address token) external;

    /// @notice Pays the caller's credit in `token` to `to`.
    function withdrawTo(address token, address to) external;

    /// @notice Marks a track as disputed, freezing it. Timelock only.
    function flagTrack(uint256 trackId, string calldata reason) external;

    /// @notice Lifts a dispute flag. Timelock only.
    function unflagTrack(uint256 trackId) external;

    /// @notice Revokes a track for good (it stays frozen; only governance can reassign it). Timelock only.
    function revokeTrack(uint256 trackId, string calldata reason) external;

    /// @notice Gives a track to its rightful `artist` with new `splits` (and, if non-empty, a new
    /// metadata package); the track becomes active. Timelock, or the registrant of the ISRC's code for
    /// a track that is not revoked.
    function reassignTrack(
        uint256 trackId,
        address artist,
        Split[] calldata splits,
        string calldata metadataCid,
        string calldata reason
    ) external;

    /// @notice Assigns a registrant code (`CCXXX`, e.g. `USRC1`) to a label or distributor (zero:
    /// unclaimed). Timelock only.
    function setRegistrant(string calldata code, address registrant) external;

    /// @notice Sets the platform fee on licence sales. Timelock only.
    function setFee(uint16 bps) external;

    /// @notice Sends accumulated fees in `token` to the treasury. Anyone may call.
    function sweepFees(address token) external;

    /// @notice True for the artist, collaborators, holders of a perpetual or unexpired licence, and
    /// anyone if the track is not exclusive. False for unknown tracks.
    function hasAccess(address account, uint256 trackId) external view returns (bool);

    /// @notice What `account` holds of a track: how many perpetual licences, and until when its timed
    /// access lasts (0: never had one). One call for "you own this · expires in N days".
    function licenseOf(address account, uint256 trackId) external view returns (uint256 perpetual, uint64 expiresAt);

    /// @notice How many licences `account` bought under an offer with a per-buyer limit (0 otherwise).
    function purchasesOf(address account, uint256 trackId, uint256 offerId) external view returns (uint256);

    /// @notice Whether `account` is the track's artist or one of its split recipients.
    function isRightsHolder(address account, uint256 trackId) external view returns (bool);

    /// @notice Whether a registered track needs a licence (false for unknown tracks).
    function isExclusive(uint256 trackId) external view returns (bool);

    /// @notice Whether a track with this id is registered.
    function exists(uint256 trackId) external view returns (bool);

    /// @notice A track's artist, metadata, status and counts.
    function trackOf(
        uint256 trackId
    )
        external
        view
        returns (
            address artist,
            string memory isrc,
            string memory metadataCid,
            bool exclusive,
            TrackStatus status,
            uint16 royaltyBps,
            uint256 offerCount
        );

    /// @notice The address a track is being offered to (zero: none).
    function pendingArtistOf(uint256 trackId) external view returns (address);

    /// @notice The owner of a registrant code (`CCXXX`), zero if unclaimed.
    function registrantOf(string calldata code) external view returns (address);

    /// @notice A track's revenue splits.
    function splitsOf(uint256 trackId) external view returns (Split[] memory);

    /// @notice One licence offer.
    function offerOf(uint256 trackId, uint256 offerId) external view returns (LicenseOffer memory);

    /// @notice The address EIP-2981 names for a track's royalties; `collectRoyalties` credits what it holds.
    function royaltyAddressOf(uint256 trackId) external view returns (address);

    /// @notice Revenue `account` can withdraw in `token` (zero: CORE).
    function creditOf(address account, address token) external view returns (uint256);

    /// @notice The platform fee on licence sales, in basis points.
    function feeBps() external view returns (uint256);

    /// @notice Fees in `token` accumulated and not yet swept.
    function owedFees(address token) external view returns (uint256);

    /// @notice The track id for a plain 12-character ISRC; reverts if the ISRC is invalid.
    function trackIdOf(string calldata isrc) external pure returns (uint256);

    /// @notice The licence token id of an offer.
    function licenseTokenId(uint256 trackId, uint256 offerId) external pure returns (uint256);
}
