// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// @title IContentRegistry
/// @notice Tracks keyed by ISRC, their IPFS metadata, collaborator splits, and licence offers sold
/// as ERC-1155 tokens. The track id is the ISRC packed into 96 bits; a licence token id is
/// `trackId << 32 | offerId`.
interface IContentRegistry {
    /*//////////////////////////////////////////////////////////////
                                  TYPES
    //////////////////////////////////////////////////////////////*/

    /// @notice A collaborator's share of licence revenue, in basis points.
    struct Split {
        address recipient;
        uint16 bps;
    }

    /// @notice Licence terms, in the spirit of Story Protocol's PIL.
    /// @param price Price in wei of CORE (0 = free).
    /// @param supplyCap Most licences ever sold under this offer (0 = unlimited).
    /// @param duration Seconds a licence lasts from purchase (0 = perpetual). Timed licences are
    /// personal (not transferable); perpetual ones can be resold, paying EIP-2981 royalties.
    struct LicenseTerms {
        uint96 price;
        uint32 supplyCap;
        uint64 duration;
        bool commercialUse;
        bool derivativesAllowed;
    }

    /// @notice A stored offer: its terms, how many were sold, and whether it is on sale.
    struct LicenseOffer {
        uint96 price;
        uint32 supplyCap;
        uint64 duration;
        bool commercialUse;
        bool derivativesAllowed;
        bool active;
        uint32 sold;
    }

    /// @notice Input to `registerTrack`.
    /// @param isrc The plain 12-character uppercase ISRC.
    /// @param metadataCid CID of the track package directory (metadata.json, audio, cover, lyrics).
    /// @param exclusive Whether access needs a licence (or being a collaborator).
    /// @param royaltyBps EIP-2981 royalty on resales of perpetual licences, paid to the artist.
    /// @param splits Collaborators' shares of licence revenue, summing to 10,000.
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

    /// @notice Emitted when `artist` registers a track.
    event TrackRegistered(
        uint256 indexed trackId,
        address indexed artist,
        string isrc,
        string metadataCid,
        bool exclusive,
        uint16 royaltyBps,
        Split[] splits
    );

    /// @notice Emitted when a track's metadata package changes.
    event TrackMetadataUpdated(uint256 indexed trackId, string metadataCid);

    /// @notice Emitted for each licence offer created, at registration or later.
    event LicenseOfferCreated(
        uint256 indexed trackId,
        uint256 indexed offerId,
        uint256 tokenId,
        uint256 price,
        uint256 supplyCap,
        uint256 duration,
        bool commercialUse,
        bool derivativesAllowed
    );

    /// @notice Emitted when an offer's price changes.
    event LicenseOfferPriceUpdated(uint256 indexed trackId, uint256 indexed offerId, uint256 price);

    /// @notice Emitted when an offer is taken off or put back on sale.
    event LicenseOfferStatusUpdated(uint256 indexed trackId, uint256 indexed offerId, bool active);

    /// @notice Emitted when a licence is bought. `expiresAt` is 0 for a perpetual licence.
    event LicensePurchased(
        uint256 indexed trackId,
        uint256 indexed offerId,
        address indexed buyer,
        uint256 tokenId,
        uint256 price,
        uint256 fee,
        uint64 expiresAt
    );

    /// @notice Emitted for each collaborator credited from a licence sale.
    event RevenueCredited(uint256 indexed trackId, address indexed recipient, uint256 amount);

    /// @notice Emitted when a collaborator withdraws their credit.
    event EarningsWithdrawn(address indexed account, address indexed to, uint256 amount);

    /// @notice Emitted when governance flags a track as disputed: purchases stop.
    event TrackFlagged(uint256 indexed trackId, string reason);

    /// @notice Emitted when governance lifts a dispute flag.
    event TrackUnflagged(uint256 indexed trackId);

    /// @notice Emitted when governance changes the platform fee on licence sales.
    event FeeUpdated(uint256 previousBps, uint256 newBps);

    /// @notice Emitted when accumulated fees are sent to the treasury.
    event FeesSwept(address indexed treasury, uint256 amount);

    /*//////////////////////////////////////////////////////////////
                                 ERRORS
    //////////////////////////////////////////////////////////////*/

    /// @notice Thrown when an ISRC is not 12 characters of `CC XXX YY NNNNN` (uppercase, no hyphens).
    error ContentRegistryInvalidIsrc(string isrc);

    /// @notice Thrown when an ISRC is already registered.
    error ContentRegistryDuplicateIsrc(string isrc);

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

    /// @notice Thrown when the CORE sent differs from the offer's price.
    error ContentRegistryWrongPayment(uint256 sent, uint256 price);

    /// @notice Thrown when an offer's supply cap is reached.
    error ContentRegistrySupplyExhausted(uint256 trackId, uint256 offerId);

    /// @notice Thrown when a disputed track is bought.
    error ContentRegistryTrackFlagged(uint256 trackId);

    /// @notice Thrown when someone other than the track's artist manages it.
    error ContentRegistryNotArtist(uint256 trackId, address caller);

    /// @notice Thrown when a timed (personal) licence is transferred.
    error ContentRegistryLicenseNotTransferable(uint256 tokenId);

    /// @notice Thrown when an account with no credit withdraws.
    error ContentRegistryNothingToWithdraw(address account);

    /// @notice Thrown when there are no fees to sweep.
    error ContentRegistryNoFees();

    /// @notice Thrown when governance sets a fee above `MAX_FEE_BPS`.
    error ContentRegistryFeeAboveCap(uint256 bps, uint256 cap);

    /// @notice Thrown when a withdrawal names the zero address.
    error ContentRegistryZeroAddress();

    /// @notice Thrown when a value transfer fails.
    error ContentRegistryTransferFailed(address to, uint256 amount);

    /*//////////////////////////////////////////////////////////////
                                FUNCTIONS
    //////////////////////////////////////////////////////////////*/

    /// @notice Registers a track owned by the caller. Returns its id (the packed ISRC).
    function registerTrack(TrackInput calldata input) external returns (uint256 trackId);

    /// @notice Points the track at a new metadata package. Artist only.
    function updateMetadata(uint256 trackId, string calldata metadataCid) external;

    /// @notice Adds a licence offer. Artist only. Returns the new offer's id.
    function addOffer(uint256 trackId, LicenseTerms calldata terms) external returns (uint256 offerId);

    /// @notice Changes an offer's price. Artist only.
    function setOfferPrice(uint256 trackId, uint256 offerId, uint96 price) external;

    /// @notice Takes an offer off sale or puts it back. Artist only.
    function setOfferActive(uint256 trackId, uint256 offerId, bool active) external;

    /// @notice Buys one licence under an offer, paying exactly its price; mints the licence token.
    function purchaseLicense(uint256 trackId, uint256 offerId) external payable returns (uint256 tokenId);

    /// @notice Pays the caller's licence revenue credit to the caller.
    function withdraw() external;

    /// @notice Pays the caller's licence revenue credit to `to`.
    function withdrawTo(address to) external;

    /// @notice Marks a track as disputed, blocking purchases. Timelock only.
    function flagTrack(uint256 trackId, string calldata reason) external;

    /// @notice Lifts a dispute flag. Timelock only.
    function unflagTrack(uint256 trackId) external;

    /// @notice Sets the platform fee on licence sales. Timelock only.
    function setFee(uint16 bps) external;

    /// @notice Sends accumulated fees to the treasury. Anyone may call.
    function sweepFees() external;

    /// @notice True for collaborators, holders of an unexpired licence, and anyone if the track is
    /// not exclusive. False for unknown tracks.
    function hasAccess(address account, uint256 trackId) external view returns (bool);

    /// @notice Whether a track with this id is registered.
    function exists(uint256 trackId) external view returns (bool);

    /// @notice A track's artist, metadata, flags and counts.
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
            bool flagged,
            uint16 royaltyBps,
            uint256 offerCount
        );

    /// @notice A track's revenue splits.
    function splitsOf(uint256 trackId) external view returns (Split[] memory);

    /// @notice One licence offer.
    function offerOf(uint256 trackId, uint256 offerId) external view returns (LicenseOffer memory);

    /// @notice When `account`'s timed licence `tokenId` expires (0 if it holds none or it is perpetual).
    function licenseExpiry(address account, uint256 tokenId) external view returns (uint64);

    /// @notice Licence revenue `account` can withdraw.
    function creditOf(address account) external view returns (uint256);

    /// @notice The platform fee on licence sales, in basis points.
    function feeBps() external view returns (uint256);

    /// @notice Fees accumulated and not yet swept.
    function owedFees() external view returns (uint256);

    /// @notice The track id for a plain 12-character ISRC; reverts if the ISRC is invalid.
    function trackIdOf(string calldata isrc) external pure returns (uint256);

    /// @notice The licence token id of an offer.
    function licenseTokenId(uint256 trackId, uint256 offerId) external pure returns (uint256);
}
