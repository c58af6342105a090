// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {ERC1155} from "@openzeppelin/contracts/token/ERC1155/ERC1155.sol";
import {IERC2981} from "@openzeppelin/contracts/interfaces/IERC2981.sol";
import {IERC165} from "@openzeppelin/contracts/utils/introspection/IERC165.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {IContentRegistry} from "../interfaces/IContentRegistry.sol";
import {IHarmonieTipping} from "../interfaces/IHarmonieTipping.sol";
import {ISRC} from "../libraries/ISRC.sol";
import {GovernedPausable, Governed} from "../utils/Governed.sol";

/// @title ContentRegistry
/// @notice Tracks keyed by ISRC with IPFS metadata, revenue splits and ERC-1155 licence offers.
/// @dev Licence revenue is split at purchase (platform fee to the treasury's account, the rest to
/// collaborators' credits) and pulled by `withdraw`; no CORE is ever pushed to a collaborator.
contract ContentRegistry is IContentRegistry, ERC1155, IERC2981, GovernedPausable, ReentrancyGuardTransient {
    /*//////////////////////////////////////////////////////////////
                               CONSTANTS
    //////////////////////////////////////////////////////////////*/

    uint256 public constant MAX_SPLITS = 16;
    uint256 public constant MAX_OFFERS = 32;
    uint256 public constant MAX_ROYALTY_BPS = 2_500;
    uint256 public constant MAX_FEE_BPS = 1_000;
    uint256 private constant _BPS = 10_000;

    /*//////////////////////////////////////////////////////////////
                                STORAGE
    //////////////////////////////////////////////////////////////*/

    /// @dev One slot: everything a purchase and an access check need about the track.
    struct Track {
        address artist;
        uint16 royaltyBps;
        uint8 splitCount;
        uint8 offerCount;
        bool exclusive;
        bool flagged;
    }

    struct FeeState {
        uint16 feeBps;
        uint240 owedFees;
    }

    mapping(uint256 trackId => Track) private _tracks;
    mapping(uint256 trackId => string) private _metadataCids;
    mapping(uint256 trackId => mapping(uint256 index => Split)) private _splits;
    mapping(uint256 trackId => mapping(uint256 offerId => LicenseOffer)) private _offers;
    mapping(address account => mapping(uint256 tokenId => uint64)) private _expiries;
    mapping(address account => uint256) private _credits;
    FeeState private _fees;

    /// @notice The tipping contract: its token allow-list and referrer share are the protocol's, for
    /// licences as for tips.
    IHarmonieTipping public immutable tipping;

    constructor(
        address governance_,
        address guardianSource_,
        IHarmonieTipping tipping_,
        uint16 feeBps_
    ) ERC1155("") Governed(governance_) GovernedPausable(guardianSource_) {
        require(address(tipping_) != address(0), GovernedZeroAddress());
        tipping = tipping_;
        require(feeBps_ <= MAX_FEE_BPS, ContentRegistryFeeAboveCap(feeBps_, MAX_FEE_BPS));
        _fees.feeBps = feeBps_;
        // Indexers learn the starting fee from the same event as every later change.
        emit FeeUpdated(0, feeBps_);
    }

    /*//////////////////////////////////////////////////////////////
                                 TRACKS
    //////////////////////////////////////////////////////////////*/

    /// @inheritdoc IContentRegistry
    function registerTrack(TrackInput calldata input) external whenNotPaused returns (uint256 trackId) {
        (bool valid, uint96 packed) = ISRC.tryPack(input.isrc);
        require(valid, ContentRegistryInvalidIsrc(input.isrc));
        trackId = packed;
        require(_tracks[trackId].artist == address(0), ContentRegistryDuplicateIsrc(input.isrc));
        require(bytes(input.metadataCid).length != 0, ContentRegistryEmptyMetadata());
        require(input.royaltyBps <= MAX_ROYALTY_BPS, ContentRegistryRoyaltyTooHigh(input.royaltyBps, MAX_ROYALTY_BPS));
        uint256 splitCount = input.splits.length;
        require(splitCount != 0 && splitCount <= MAX_SPLITS, ContentRegistryInvalidSplitCount(splitCount, MAX_SPLITS));
        require(input.offers.length <= MAX_OFFERS, ContentRegistryTooManyOffers(input.offers.length, MAX_OFFERS));

        uint256 totalBps;
        for (uint256 i; i < splitCount; ++i) {
            Split calldata split = input.splits[i];
            require(split.recipient != address(0) && split.bps != 0, ContentRegistryInvalidSplit(i));
            totalBps += split.bps;
            _splits[trackId][i] = split;
        }
        require(totalBps == _BPS, ContentRegistryInvalidSplitTotal(totalBps));

        _tracks[trackId] = Track({
            artist: msg.sender,
            royaltyBps: input.royaltyBps,
            splitCount: uint8(splitCount),
            offerCount: 0,
            exclusive: input.exclusive,
            flagged: false
        });
        _metadataCids[trackId] = input.metadataCid;
        emit TrackRegistered(
            trackId,
            msg.sender,
            input.isrc,
            input.metadataCid,
            input.exclusive,
            input.royaltyBps,
            input.splits
        );
        for (uint256 i; i < input.offers.length; ++i) {
            _addOffer(trackId, input.offers[i]);
        }
    }

    /// @inheritdoc IContentRegistry
    function updateMetadata(uint256 trackId, string calldata metadataCid) external {
        _requireArtist(trackId);
        require(bytes(metadataCid).length != 0, ContentRegistryEmptyMetadata());
        _metadataCids[trackId] = metadataCid;
        emit TrackMetadataUpdated(trackId, metadataCid);
    }

    /// @inheritdoc IContentRegistry
    function addOffer(uint256 trackId, LicenseTerms calldata terms) external returns (uint256 offerId) {
        _requireArtist(trackId);
        require(
            _tracks[trackId].offerCount < MAX_OFFERS,
            ContentRegistryTooManyOffers(_tracks[trackId].offerCount + 1, MAX_OFFERS)
        );
        return _addOffer(trackId, terms);
    }

    /// @inheritdoc IContentRegistry
    function setOfferPrice(uint256 trackId, uint256 offerId, uint96 price) external {
        LicenseOffer storage offer = _requireArtistOffer(trackId, offerId);
        offer.price = price;
        emit LicenseOfferPriceUpdated(trackId, offerId, price);
    }

    /// @inheritdoc IContentRegistry
    function setOfferActive(uint256 trackId, uint256 offerId, bool active) external {
        LicenseOffer storage offer = _requireArtistOffer(trackId, offerId);
        offer.active = active;
        emit LicenseOfferStatusUpdated(trackId, offerId, active);
    }

    /*//////////////////////////////////////////////////////////////
                                LICENCES
    //////////////////////////////////////////////////////////////*/

    /// @inheritdoc IContentRegistry
    function purchaseLicense(
        uint256 trackId,
        uint256 offerId
    ) external payable whenNotPaused nonReentrant returns (uint256 tokenId) {
        Track memory track = _tracks[trackId];
        require(track.artist != address(0), ContentRegistryUnknownTrack(trackId));
        require(!track.flagged, ContentRegistryTrackFlagged(trackId));
        require(offerId < track.offerCount, ContentRegistryUnknownOffer(trackId, offerId));
        LicenseOffer storage offer = _offers[trackId][offerId];
        LicenseOffer memory terms = offer;
        require(terms.active, ContentRegistryOfferInactive(trackId, offerId));
        require(msg.value == terms.price, ContentRegistryWrongPayment(msg.value, terms.price));
        require(terms.supplyCap == 0 || terms.sold < terms.supplyCap, ContentRegistrySupplyExhausted(trackId, offerId));
        offer.sold = terms.sold + 1;

        tokenId = _tokenId(trackId, offerId);
        uint64 expiresAt;
        if (terms.duration != 0) {
            // A renewal before expiry extends the licence instead of cutting it short.
            uint64 current = _expiries[msg.sender][tokenId];
            expiresAt = (current > block.timestamp ? current : uint64(block.timestamp)) + terms.duration;
            _expiries[msg.sender][tokenId] = expiresAt;
        }
        uint256 fee = _distribute(trackId, track.splitCount, msg.value);
        emit LicensePurchased(trackId, offerId, msg.sender, tokenId, msg.value, fee, expiresAt);
        // Last: minting calls onERC1155Received on contract buyers.
        _mint(msg.sender, tokenId, 1, "");
    }

    /// @inheritdoc IContentRegistry
    function withdraw() external nonReentrant {
        _withdraw(msg.sender);
    }

    /// @inheritdoc IContentRegistry
    function withdrawTo(address to) external nonReentrant {
        require(to != address(0), ContentRegistryZeroAddress());
        _withdraw(to);
    }

    /*//////////////////////////////////////////////////////////////
                               GOVERNANCE
    //////////////////////////////////////////////////////////////*/

    /// @inheritdoc IContentRegistry
    function flagTrack(uint256 trackId, string calldata reason) external onlyGovernance {
        require(_tracks[trackId].artist != address(0), ContentRegistryUnknownTrack(trackId));
        _tracks[trackId].flagged = true;
        emit TrackFlagged(trackId, reason);
    }

    /// @inheritdoc IContentRegistry
    function unflagTrack(uint256 trackId) external onlyGovernance {
        require(_tracks[trackId].artist != address(0), ContentRegistryUnknownTrack(trackId));
        _tracks[trackId].flagged = false;
        emit TrackUnflagged(trackId);
    }

    /// @inheritdoc IContentRegistry
    function setFee(uint16 bps) external onlyGovernance {
        require(bps <= MAX_FEE_BPS, ContentRegistryFeeAboveCap(bps, MAX_FEE_BPS));
        uint256 previous = _fees.feeBps;
        _fees.feeBps = bps;
        emit FeeUpdated(previous, bps);
    }

    /// @inheritdoc IContentRegistry
    function sweepFees() external nonReentrant {
        uint256 amount = _fees.owedFees;
        require(amount != 0, ContentRegistryNoFees());
        _fees.owedFees = 0;
        emit FeesSwept(governance, amount);
        _send(governance, amount);
    }

    /*//////////////////////////////////////////////////////////////
                                  VIEWS
    //////////////////////////////////////////////////////////////*/

    /// @inheritdoc IContentRegistry
    function hasAccess(address account, uint256 trackId) public view returns (bool) {
        Track memory track = _tracks[trackId];
        if (track.artist == address(0)) return false;
        if (!track.exclusive || account == track.artist) return true;
        for (uint256 i; i < track.splitCount; ++i) {
            if (_splits[trackId][i].recipient == account) return true;
        }
        for (uint256 offerId; offerId < track.offerCount; ++offerId) {
            uint256 tokenId = _tokenId(trackId, offerId);
            if (balanceOf(account, tokenId) == 0) continue;
            if (_offers[trackId][offerId].duration == 0 || _expiries[account][tokenId] > block.timestamp) {
                return true;
            }
        }
        return false;
    }

    /// @inheritdoc IContentRegistry
    function exists(uint256 trackId) external view returns (bool) {
        return _tracks[trackId].artist != address(0);
    }

    /// @inheritdoc IContentRegistry
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
        )
    {
        Track memory track = _tracks[trackId];
        require(track.artist != address(0), ContentRegistryUnknownTrack(trackId));
        return (
            track.artist,
            ISRC.unpack(uint96(trackId)),
            _metadataCids[trackId],
            track.exclusive,
            track.flagged,
            track.royaltyBps,
            track.offerCount
        );
    }

    /// @inheritdoc IContentRegistry
    function splitsOf(uint256 trackId) external view returns (Split[] memory splits) {
        uint256 count = _tracks[trackId].splitCount;
        splits = new Split[](count);
        for (uint256 i; i < count; ++i) {
            splits[i] = _splits[trackId][i];
        }
    }

    /// @inheritdoc IContentRegistry
    function offerOf(uint256 trackId, uint256 offerId) external view returns (LicenseOffer memory) {
        require(offerId < _tracks[trackId].offerCount, ContentRegistryUnknownOffer(trackId, offerId));
        return _offers[trackId][offerId];
    }

    /// @inheritdoc IContentRegistry
    function licenseExpiry(address account, uint256 tokenId) external view returns (uint64) {
        return _expiries[account][tokenId];
    }

    /// @inheritdoc IContentRegistry
    function creditOf(address account) external view returns (uint256) {
        return _credits[account];
    }

    /// @inheritdoc IContentRegistry
    function feeBps() external view returns (uint256) {
        return _fees.feeBps;
    }

    /// @inheritdoc IContentRegistry
    function owedFees() external view returns (uint256) {
        return _fees.owedFees;
    }

    /// @inheritdoc IContentRegistry
    function trackIdOf(string calldata isrc) external pure returns (uint256) {
        (bool valid, uint96 packed) = ISRC.tryPack(isrc);
        require(valid, ContentRegistryInvalidIsrc(isrc));
        return packed;
    }

    /// @inheritdoc IContentRegistry
    function licenseTokenId(uint256 trackId, uint256 offerId) external pure returns (uint256) {
        return _tokenId(trackId, offerId);
    }

    /// @notice Metadata of a licence token: the track package's metadata.json on IPFS.
    function uri(uint256 tokenId) public view override returns (string memory) {
        return string.concat("ipfs://", _metadataCids[tokenId >> 32], "/metadata.json");
    }

    /// @inheritdoc IERC2981
    /// @dev Royalties on resales of a perpetual licence go to the track's artist.
    function royaltyInfo(uint256 tokenId, uint256 salePrice) external view returns (address, uint256) {
        Track memory track = _tracks[tokenId >> 32];
        return (track.artist, (salePrice * track.royaltyBps) / _BPS);
    }

    /// @inheritdoc IERC165
    function supportsInterface(bytes4 interfaceId) public view override(ERC1155, IERC165) returns (bool) {
        return interfaceId == type(IERC2981).interfaceId || super.supportsInterface(interfaceId);
    }

    /*//////////////////////////////////////////////////////////////
                                INTERNAL
    //////////////////////////////////////////////////////////////*/

    /// @dev Timed licences are personal: their expiry is kept per holder, so they cannot move.
    function _update(address from, address to, uint256[] memory ids, uint256[] memory values) internal override {
        if (from != address(0) && to != address(0)) {
            for (uint256 i; i < ids.length; ++i) {
                uint256 tokenId = ids[i];
                require(
                    _offers[tokenId >> 32][uint32(tokenId)].duration == 0,
                    ContentRegistryLicenseNotTransferable(tokenId)
                );
            }
        }
        super._update(from, to, ids, values);
    }

    function _addOffer(uint256 trackId, LicenseTerms calldata terms) private returns (uint256 offerId) {
        offerId = _tracks[trackId].offerCount++;
        _offers[trackId][offerId] = LicenseOffer({
            price: terms.price,
            supplyCap: terms.supplyCap,
            duration: terms.duration,
            commercialUse: terms.commercialUse,
            derivativesAllowed: terms.derivativesAllowed,
            active: true,
            sold: 0
        });
        emit LicenseOfferCreated(
            trackId,
            offerId,
            _tokenId(trackId, offerId),
            terms.price,
            terms.supplyCap,
            terms.duration,
            terms.commercialUse,
            terms.derivativesAllowed
        );
    }

    /// @dev Fee to the treasury's account; the rest by split, rounding dust to the first collaborator
    /// so every wei is accounted for.
    function _distribute(uint256 trackId, uint256 splitCount, uint256 amount) private returns (uint256 fee) {
        if (amount == 0) return 0;
        FeeState memory fees = _fees;
        fee = (amount * fees.feeBps) / _BPS;
        if (fee != 0) _fees.owedFees = fees.owedFees + uint240(fee);
        uint256 rest = amount - fee;
        uint256 remaining = rest;
        for (uint256 i = splitCount; i > 1;) {
            --i;
            Split memory split = _splits[trackId][i];
            uint256 share = (rest * split.bps) / _BPS;
            remaining -= share;
            _credit(trackId, split.recipient, share);
        }
        _credit(trackId, _splits[trackId][0].recipient, remaining);
    }

    function _credit(uint256 trackId, address recipient, uint256 amount) private {
        _credits[recipient] += amount;
        emit RevenueCredited(trackId, recipient, amount);
    }

    function _withdraw(address to) private {
        uint256 amount = _credits[msg.sender];
        require(amount != 0, ContentRegistryNothingToWithdraw(msg.sender));
        _credits[msg.sender] = 0;
        emit EarningsWithdrawn(msg.sender, to, amount);
        _send(to, amount);
    }

    function _send(address to, uint256 amount) private {
        (bool ok, ) = to.call{value: amount}("");
        require(ok, ContentRegistryTransferFailed(to, amount));
    }

    function _requireArtist(uint256 trackId) private view {
        address artist = _tracks[trackId].artist;
        require(artist != address(0), ContentRegistryUnknownTrack(trackId));
        require(artist == msg.sender, ContentRegistryNotArtist(trackId, msg.sender));
    }

    function _requireArtistOffer(uint256 trackId, uint256 offerId) private view returns (LicenseOffer storage) {
        _requireArtist(trackId);
        require(offerId < _tracks[trackId].offerCount, ContentRegistryUnknownOffer(trackId, offerId));
        return _offers[trackId][offerId];
    }

    function _tokenId(uint256 trackId, uint256 offerId) private pure returns (uint256) {
        return (trackId << 32) | offerId;
    }
}
