// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {ERC1155} from "@openzeppelin/contracts/token/ERC1155/ERC1155.sol";
import {IERC2981} from "@openzeppelin/contracts/interfaces/IERC2981.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {Create2} from "@openzeppelin/contracts/utils/Create2.sol";
import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {SignatureChecker} from "@openzeppelin/contracts/utils/cryptography/SignatureChecker.sol";
import {IERC165} from "@openzeppelin/contracts/utils/introspection/IERC165.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {IContentRegistry} from "../interfaces/IContentRegistry.sol";
import {IHarmonieTipping} from "../interfaces/IHarmonieTipping.sol";
import {ISRC} from "../libraries/ISRC.sol";
import {GovernedPausable, Governed} from "../utils/Governed.sol";
import {RoyaltyVault} from "./RoyaltyVault.sol";

/// @title ContentRegistry
/// @notice Tracks keyed by ISRC with IPFS metadata, revenue splits and ERC-1155 licence offers priced
/// in CORE or an allow-listed ERC-20; ISRC rights (registrant codes, reassignment, freezing).
/// @dev Licence revenue is split at purchase (platform fee to the treasury's account, an optional
/// referrer's share of that fee, the rest to collaborators' credits) and pulled by `withdraw`; nothing
/// is ever pushed to a collaborator. Paused: registration, edits, offers, sales, track and licence
/// transfers, royalty collection. Open while paused: withdrawals and fee sweeps (earned money always
/// leaves), and governance/registrant decisions (flag, revoke, reassign), which fix what a pause is for.
contract ContentRegistry is IContentRegistry, ERC1155, IERC2981, EIP712, GovernedPausable, ReentrancyGuardTransient {
    using SafeERC20 for IERC20;

    /*//////////////////////////////////////////////////////////////
                               CONSTANTS
    //////////////////////////////////////////////////////////////*/

    uint256 public constant MAX_SPLITS = 16;
    uint256 public constant MAX_OFFERS = 32;
    uint256 public constant MAX_ROYALTY_BPS = 2_500;
    uint256 public constant MAX_FEE_BPS = 1_000;
    uint256 private constant _BPS = 10_000;
    address private constant _CORE = address(0);

    /// @notice What a code's registrant signs to let `artist` register `isrc` under its code.
    bytes32 public constant TRACK_APPROVAL_TYPEHASH = keccak256(
        "TrackApproval(string isrc,address artist,uint256 deadline)"
    );

    /*//////////////////////////////////////////////////////////////
                                STORAGE
    //////////////////////////////////////////////////////////////*/

    /// @dev One slot: everything a purchase needs about the track.
    struct Track {
        address artist;
        uint16 royaltyBps;
        uint8 splitCount;
        uint8 offerCount;
        bool exclusive;
        TrackStatus status;
    }

    /// @dev CORE fees share the fee rate's slot: a CORE sale touches one fee slot.
    struct FeeState {
        uint16 feeBps;
        uint240 owedCore;
    }

    /// @notice The tipping contract: its token allow-list and referrer share are the protocol's, for
    /// licences as for tips.
    IHarmonieTipping public immutable tipping;

    bytes32 private immutable _vaultCodeHash = keccak256(type(RoyaltyVault).creationCode);

    mapping(uint256 trackId => Track) private _tracks;
    mapping(uint256 trackId => string) private _metadataCids;
    mapping(uint256 trackId => mapping(uint256 index => Split)) private _splits;
    mapping(uint256 trackId => mapping(uint256 offerId => LicenseOffer)) private _offers;
    /// @dev When an account's timed access to a track ends: one expiry per track, extended by any of
    /// its timed offers, so "expires in N days" is one read.
    mapping(address account => mapping(uint256 trackId => uint64)) private _expiries;
    mapping(uint256 tokenId => mapping(address account => uint256)) private _purchases;
    mapping(uint256 trackId => address) private _pendingArtists;
    mapping(bytes5 code => address) private _registrants;
    mapping(address token => mapping(address account => uint256)) private _credits;
    mapping(address token => uint256) private _owedTokenFees;
    FeeState private _fees;
    address private transient _sweepingVault; // the only sender whose CORE `receive` accepts

    constructor(
        address governance_,
        address guardianSource_,
        IHarmonieTipping tipping_,
        uint16 feeBps_
    ) ERC1155("") EIP712("ContentRegistry", "2") Governed(governance_) GovernedPausable(guardianSource_) {
        require(address(tipping_) != address(0), GovernedZeroAddress());
        require(feeBps_ <= MAX_FEE_BPS, ContentRegistryFeeAboveCap(feeBps_, MAX_FEE_BPS));
        tipping = tipping_;
        _fees.feeBps = feeBps_;
        // Indexers learn the starting fee from the same event as every later change.
        emit FeeUpdated(0, feeBps_);
    }

    /*//////////////////////////////////////////////////////////////
                                 TRACKS
    //////////////////////////////////////////////////////////////*/

    /// @inheritdoc IContentRegistry
    function registerTrack(TrackInput calldata input) external whenNotPaused returns (uint256 trackId) {
        trackId = _trackId(input.isrc);
        address registrant = _registrants[ISRC.codeOf(uint96(trackId))];
        require(
            registrant == address(0) || registrant == msg.sender,
            ContentRegistryRegistrantApprovalRequired(input.isrc, registrant)
        );
        _register(trackId, input, registrant);
    }

    /// @inheritdoc IContentRegistry
    function registerTrackWithApproval(
        TrackInput calldata input,
        uint256 deadline,
        bytes calldata signature
    ) external whenNotPaused returns (uint256 trackId) {
        trackId = _trackId(input.isrc);
        address registrant = _registrants[ISRC.codeOf(uint96(trackId))];
        require(registrant != address(0), ContentRegistryNoRegistrant(input.isrc));
        require(block.timestamp <= deadline, ContentRegistryApprovalExpired(deadline));
        bytes32 digest = _hashTypedDataV4(
            keccak256(abi.encode(TRACK_APPROVAL_TYPEHASH, keccak256(bytes(input.isrc)), msg.sender, deadline))
        );
        require(
            SignatureChecker.isValidSignatureNow(registrant, digest, signature),
            ContentRegistryInvalidApproval(input.isrc, registrant)
        );
        _register(trackId, input, registrant);
    }

    /// @inheritdoc IContentRegistry
    function updateMetadata(uint256 trackId, string calldata metadataCid) external whenNotPaused {
        _requireArtist(trackId);
        require(bytes(metadataCid).length != 0, ContentRegistryEmptyMetadata());
        _metadataCids[trackId] = metadataCid;
        emit TrackMetadataUpdated(trackId, metadataCid);
    }

    /// @inheritdoc IContentRegistry
    function addOffer(uint256 trackId, LicenseTerms calldata terms) external whenNotPaused returns (uint256 offerId) {
        uint256 count = _requireArtist(trackId).offerCount;
        require(count < MAX_OFFERS, ContentRegistryTooManyOffers(count + 1, MAX_OFFERS));
        return _addOffer(trackId, terms);
    }

    /// @inheritdoc IContentRegistry
    function setOfferPrice(uint256 trackId, uint256 offerId, uint96 price) external whenNotPaused {
        _requireArtistOffer(trackId, offerId).price = price;
        emit LicenseOfferPriceUpdated(trackId, offerId, price);
    }

    /// @inheritdoc IContentRegistry
    function setOfferActive(uint256 trackId, uint256 offerId, bool active) external whenNotPaused {
        _requireArtistOffer(trackId, offerId).active = active;
        emit LicenseOfferStatusUpdated(trackId, offerId, active);
    }

    /// @inheritdoc IContentRegistry
    function offerTrackTransfer(uint256 trackId, address to) external whenNotPaused {
        _requireArtist(trackId);
        _pendingArtists[trackId] = to;
        emit TrackTransferOffered(trackId, msg.sender, to);
    }

    /// @inheritdoc IContentRegistry
    function acceptTrackTransfer(uint256 trackId) external whenNotPaused {
        Track storage track = _requireActive(trackId);
        require(_pendingArtists[trackId] == msg.sender, ContentRegistryNotOfferedTo(trackId, msg.sender));
        address previous = track.artist;
        track.artist = msg.sender;
        delete _pendingArtists[trackId];
        emit TrackTransferred(trackId, previous, msg.sender);
    }

    /*//////////////////////////////////////////////////////////////
                                LICENCES
    //////////////////////////////////////////////////////////////*/

    /// @inheritdoc IContentRegistry
    function purchaseLicense(
        uint256 trackId,
        uint256 offerId,
        address referrer
    ) external payable whenNotPaused nonReentrant returns (uint256 tokenId) {
        Track memory track = _tracks[trackId];
        _requireActive(trackId, track);
        require(offerId < track.offerCount, ContentRegistryUnknownOffer(trackId, offerId));
        LicenseOffer storage offer = _offers[trackId][offerId];
        LicenseOffer memory terms = offer;
        require(terms.active, ContentRegistryOfferInactive(trackId, offerId));

        tokenId = _tokenId(trackId, offerId);
        (uint64 expiresAt, bool renewal) = _issue(trackId, offerId, tokenId, offer, terms);
        _receive(terms.token, terms.price);
        _settle(trackId, offerId, tokenId, track.splitCount, terms, referrer, expiresAt, renewal);
        // Last: minting calls onERC1155Received on contract buyers.
        if (!renewal) _mint(msg.sender, tokenId, 1, "");
    }

    /// @inheritdoc IContentRegistry
    function collectRoyalties(
        uint256 trackId,
        address token
    ) external whenNotPaused nonReentrant returns (uint256 amount) {
        Track storage track = _requireActive(trackId);
        if (token != _CORE) _requireAllowedToken(token);
        address vault = royaltyAddressOf(trackId);
        if (vault.code.length == 0) new RoyaltyVault{salt: bytes32(trackId)}();
        uint256 before = _balance(token);
        _sweepingVault = vault;
        RoyaltyVault(payable(vault)).sweep(token);
        _sweepingVault = address(0);
        amount = _balance(token) - before;
        require(amount != 0, ContentRegistryNoRoyalties(trackId, token));
        emit RoyaltiesCollected(trackId, token, amount);
        _creditSplits(trackId, track.splitCount, token, amount);
    }

    /// @notice CORE comes in only with a purchase or from the royalty vault being swept, so the balance
    /// always equals the credits plus the owed fees.
    receive() external payable {
        require(msg.sender == _sweepingVault, ContentRegistryWrongPayment(msg.value, 0));
    }

    /// @inheritdoc IContentRegistry
    function withdraw(address token) external nonReentrant {
        _withdraw(token, msg.sender);
    }

    /// @inheritdoc IContentRegistry
    function withdrawTo(address token, address to) external nonReentrant {
        require(to != address(0), ContentRegistryZeroAddress());
        _withdraw(token, to);
    }

    /*//////////////////////////////////////////////////////////////
                               GOVERNANCE
    //////////////////////////////////////////////////////////////*/

    /// @inheritdoc IContentRegistry
    function flagTrack(uint256 trackId, string calldata reason) external onlyGovernance {
        _changeStatus(trackId, TrackStatus.Active, TrackStatus.Flagged);
        emit TrackFlagged(trackId, reason);
    }

    /// @inheritdoc IContentRegistry
    function unflagTrack(uint256 trackId) external onlyGovernance {
        _changeStatus(trackId, TrackStatus.Flagged, TrackStatus.Active);
        emit TrackUnflagged(trackId);
    }

    /// @inheritdoc IContentRegistry
    function revokeTrack(uint256 trackId, string calldata reason) external onlyGovernance {
        Track storage track = _requireTrack(trackId);
        require(track.status != TrackStatus.Revoked, ContentRegistryWrongStatus(trackId, track.status));
        track.status = TrackStatus.Revoked;
        delete _pendingArtists[trackId];
        emit TrackRevoked(trackId, reason);
    }

    /// @inheritdoc IContentRegistry
    function reassignTrack(
        uint256 trackId,
        address artist,
        Split[] calldata splits,
        string calldata metadataCid,
        string calldata reason
    ) external {
        Track storage track = _requireTrack(trackId);
        if (msg.sender != governance) {
            // The code's registrant fixes squatting under its code without a vote, but cannot overrule
            // a revocation the DAO decided.
            require(
                _registrants[ISRC.codeOf(uint96(trackId))] == msg.sender,
                ContentRegistryNotRegistrant(trackId, msg.sender)
            );
            require(track.status != TrackStatus.Revoked, ContentRegistryWrongStatus(trackId, track.status));
        }
        require(artist != address(0), ContentRegistryZeroAddress());
        address previous = track.artist;
        track.artist = artist;
        track.status = TrackStatus.Active;
        track.splitCount = _setSplits(trackId, splits);
        delete _pendingArtists[trackId];
        emit TrackReassigned(trackId, previous, artist, splits, msg.sender, reason);
        if (bytes(metadataCid).length != 0) {
            _metadataCids[trackId] = metadataCid;
            emit TrackMetadataUpdated(trackId, metadataCid);
        }
    }

    /// @inheritdoc IContentRegistry
    function setRegistrant(string calldata code, address registrant) external onlyGovernance {
        bytes5 key = _registrantCode(code);
        address previous = _registrants[key];
        _registrants[key] = registrant;
        emit RegistrantSet(code, previous, registrant);
    }

    /// @inheritdoc IContentRegistry
    function setFee(uint16 bps) external onlyGovernance {
        require(bps <= MAX_FEE_BPS, ContentRegistryFeeAboveCap(bps, MAX_FEE_BPS));
        uint256 previous = _fees.feeBps;
        _fees.feeBps = bps;
        emit FeeUpdated(previous, bps);
    }

    /// @inheritdoc IContentRegistry
    function sweepFees(address token) external nonReentrant {
        uint256 amount;
        if (token == _CORE) {
            amount = _fees.owedCore;
            _fees.owedCore = 0;
        } else {
            amount = _owedTokenFees[token];
            _owedTokenFees[token] = 0;
        }
        require(amount != 0, ContentRegistryNoFees(token));
        emit FeesSwept(governance, token, amount);
        _send(token, governance, amount);
    }

    /*//////////////////////////////////////////////////////////////
                                  VIEWS
    //////////////////////////////////////////////////////////////*/

    /// @inheritdoc IContentRegistry
    function hasAccess(address account, uint256 trackId) public view returns (bool) {
        Track memory track = _tracks[trackId];
        if (track.artist == address(0)) return false;
        if (!track.exclusive || account == track.artist) return true;
        if (_expiries[account][trackId] > block.timestamp) return true;
        return
            _perpetualLicences(account, trackId, track.offerCount) != 0 ||
            _isSplitRecipient(trackId, track.splitCount, account);
    }

    /// @inheritdoc IContentRegistry
    function licenseOf(address account, uint256 trackId) external view returns (uint256 perpetual, uint64 expiresAt) {
        return (_perpetualLicences(account, trackId, _tracks[trackId].offerCount), _expiries[account][trackId]);
    }

    /// @inheritdoc IContentRegistry
    function purchasesOf(address account, uint256 trackId, uint256 offerId) external view returns (uint256) {
        return _purchases[_tokenId(trackId, offerId)][account];
    }

    /// @inheritdoc IContentRegistry
    function isRightsHolder(address account, uint256 trackId) external view returns (bool) {
        Track memory track = _tracks[trackId];
        if (track.artist == address(0)) return false;
        return account == track.artist || _isSplitRecipient(trackId, track.splitCount, account);
    }

    /// @inheritdoc IContentRegistry
    function isExclusive(uint256 trackId) external view returns (bool) {
        return _tracks[trackId].exclusive;
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
            TrackStatus status,
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
            track.status,
            track.royaltyBps,
            track.offerCount
        );
    }

    /// @inheritdoc IContentRegistry
    function pendingArtistOf(uint256 trackId) external view returns (address) {
        return _pendingArtists[trackId];
    }

    /// @inheritdoc IContentRegistry
    function registrantOf(string calldata code) external view returns (address) {
        return _registrants[_registrantCode(code)];
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
    function royaltyAddressOf(uint256 trackId) public view returns (address) {
        return Create2.computeAddress(bytes32(trackId), _vaultCodeHash);
    }

    /// @inheritdoc IContentRegistry
    function creditOf(address account, address token) external view returns (uint256) {
        return _credits[token][account];
    }

    /// @inheritdoc IContentRegistry
    function feeBps() external view returns (uint256) {
        return _fees.feeBps;
    }

    /// @inheritdoc IContentRegistry
    function owedFees(address token) external view returns (uint256) {
        return token == _CORE ? _fees.owedCore : _owedTokenFees[token];
    }

    /// @inheritdoc IContentRegistry
    function trackIdOf(string calldata isrc) external pure returns (uint256) {
        return _trackId(isrc);
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
    /// @dev Resale royalties go to the track's royalty address, whose takings `collectRoyalties`
    /// credits to the splits like licence revenue. A frozen track earns none.
    function royaltyInfo(uint256 tokenId, uint256 salePrice) external view returns (address, uint256) {
        uint256 trackId = tokenId >> 32;
        Track memory track = _tracks[trackId];
        if (track.artist == address(0)) return (address(0), 0);
        uint256 bps = track.status == TrackStatus.Active ? track.royaltyBps : 0;
        return (royaltyAddressOf(trackId), (salePrice * bps) / _BPS);
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
            _requireNotPaused();
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

    /// @dev Perpetual licences are tokens that move freely, so they are counted where they are: a
    /// view-only loop over at most `MAX_OFFERS`, instead of a storage write on every sale and transfer.
    function _perpetualLicences(
        address account,
        uint256 trackId,
        uint256 offerCount
    ) private view returns (uint256 held) {
        for (uint256 offerId; offerId < offerCount; ++offerId) {
            if (_offers[trackId][offerId].duration == 0) held += balanceOf(account, _tokenId(trackId, offerId));
        }
    }

    function _register(uint256 trackId, TrackInput calldata input, address registrant) private {
        require(_tracks[trackId].artist == address(0), ContentRegistryDuplicateIsrc(input.isrc));
        require(bytes(input.metadataCid).length != 0, ContentRegistryEmptyMetadata());
        require(input.royaltyBps <= MAX_ROYALTY_BPS, ContentRegistryRoyaltyTooHigh(input.royaltyBps, MAX_ROYALTY_BPS));
        require(input.offers.length <= MAX_OFFERS, ContentRegistryTooManyOffers(input.offers.length, MAX_OFFERS));
        _tracks[trackId] = Track({
            artist: msg.sender,
            royaltyBps: input.royaltyBps,
            splitCount: _setSplits(trackId, input.splits),
            offerCount: 0,
            exclusive: input.exclusive,
            status: TrackStatus.Active
        });
        _metadataCids[trackId] = input.metadataCid;
        emit TrackRegistered(
            trackId,
            msg.sender,
            input.isrc,
            input.metadataCid,
            input.exclusive,
            input.royaltyBps,
            input.splits,
            registrant
        );
        for (uint256 i; i < input.offers.length; ++i) {
            _addOffer(trackId, input.offers[i]);
        }
    }

    function _setSplits(uint256 trackId, Split[] calldata splits) private returns (uint8) {
        uint256 count = splits.length;
        require(count != 0 && count <= MAX_SPLITS, ContentRegistryInvalidSplitCount(count, MAX_SPLITS));
        uint256 totalBps;
        for (uint256 i; i < count; ++i) {
            Split calldata split = splits[i];
            require(split.recipient != address(0) && split.bps != 0, ContentRegistryInvalidSplit(i));
            totalBps += split.bps;
            _splits[trackId][i] = split;
        }
        require(totalBps == _BPS, ContentRegistryInvalidSplitTotal(totalBps));
        return uint8(count);
    }

    function _addOffer(uint256 trackId, LicenseTerms calldata terms) private returns (uint256 offerId) {
        if (terms.token != _CORE) _requireAllowedToken(terms.token);
        offerId = _tracks[trackId].offerCount++;
        _offers[trackId][offerId] = LicenseOffer({
            token: terms.token,
            price: terms.price,
            supplyCap: terms.supplyCap,
            perBuyerLimit: terms.perBuyerLimit,
            duration: terms.duration,
            commercialUse: terms.commercialUse,
            derivativesAllowed: terms.derivativesAllowed,
            active: true,
            issued: 0
        });
        emit LicenseOfferCreated(
            trackId,
            offerId,
            _tokenId(trackId, offerId),
            terms.token,
            terms.price,
            terms.supplyCap,
            terms.perBuyerLimit,
            terms.duration,
            terms.commercialUse,
            terms.derivativesAllowed
        );
    }

    /// @dev Issues a licence (within the offer's cap and per-buyer limit) or renews the caller's timed
    /// one, and extends the caller's access to the track.
    function _issue(
        uint256 trackId,
        uint256 offerId,
        uint256 tokenId,
        LicenseOffer storage offer,
        LicenseOffer memory terms
    ) private returns (uint64 expiresAt, bool renewal) {
        // A timed licence is personal and never leaves its holder: holding one means this is a renewal.
        renewal = terms.duration != 0 && balanceOf(msg.sender, tokenId) != 0;
        if (!renewal) {
            require(
                terms.supplyCap == 0 || terms.issued < terms.supplyCap,
                ContentRegistrySupplyExhausted(trackId, offerId)
            );
            offer.issued = terms.issued + 1;
            if (terms.perBuyerLimit != 0) {
                uint256 bought = ++_purchases[tokenId][msg.sender];
                require(
                    bought <= terms.perBuyerLimit,
                    ContentRegistryBuyerLimitReached(trackId, offerId, terms.perBuyerLimit)
                );
            }
        }
        if (terms.duration != 0) {
            // A renewal before expiry extends the access instead of cutting it short.
            uint64 current = _expiries[msg.sender][trackId];
            expiresAt = (current > block.timestamp ? current : uint64(block.timestamp)) + terms.duration;
            _expiries[msg.sender][trackId] = expiresAt;
        }
    }

    function _settle(
        uint256 trackId,
        uint256 offerId,
        uint256 tokenId,
        uint256 splitCount,
        LicenseOffer memory terms,
        address referrer,
        uint64 expiresAt,
        bool renewal
    ) private {
        (uint256 fee, uint256 referralFee) = _distribute(trackId, splitCount, terms.token, terms.price, referrer);
        emit LicensePurchased(
            trackId,
            offerId,
            msg.sender,
            tokenId,
            terms.token,
            terms.price,
            fee,
            referrer,
            referralFee,
            expiresAt,
            renewal
        );
    }

    /// @dev Takes the price: CORE as the call's value, a token by `transferFrom`, measured by the
    /// balance it adds so that a fee-on-transfer token can never leave a credit unbacked.
    function _receive(address token, uint256 price) private {
        if (token == _CORE) {
            require(msg.value == price, ContentRegistryWrongPayment(msg.value, price));
            return;
        }
        require(msg.value == 0, ContentRegistryWrongPayment(msg.value, 0));
        // An offer outlives a token's removal from the allow-list; its sales do not.
        _requireAllowedToken(token);
        if (price == 0) return;
        uint256 before = IERC20(token).balanceOf(address(this));
        IERC20(token).safeTransferFrom(msg.sender, address(this), price);
        uint256 received = IERC20(token).balanceOf(address(this)) - before;
        require(received == price, ContentRegistryTokenShortfall(token, price, received));
    }

    /// @dev Fee to the treasury's account (less a referrer's share), the rest by split.
    function _distribute(
        uint256 trackId,
        uint256 splitCount,
        address token,
        uint256 amount,
        address referrer
    ) private returns (uint256 fee, uint256 referralFee) {
        if (amount == 0) return (0, 0);
        FeeState memory fees = _fees;
        fee = (amount * fees.feeBps) / _BPS;
        if (referrer != address(0)) {
            referralFee = (fee * tipping.fees().referrerShareBps) / _BPS;
            _credits[token][referrer] += referralFee;
        }
        uint256 owed = fee - referralFee;
        if (owed != 0) {
            if (token == _CORE) _fees.owedCore = fees.owedCore + uint240(owed);
            else _owedTokenFees[token] += owed;
        }
        _creditSplits(trackId, splitCount, token, amount - fee);
    }

    /// @dev Rounding dust goes to the first collaborator so every unit is accounted for.
    function _creditSplits(uint256 trackId, uint256 splitCount, address token, uint256 amount) private {
        uint256 remaining = amount;
        for (uint256 i = splitCount; i > 1;) {
            --i;
            Split memory split = _splits[trackId][i];
            uint256 share = (amount * split.bps) / _BPS;
            remaining -= share;
            _credit(trackId, split.recipient, token, share);
        }
        _credit(trackId, _splits[trackId][0].recipient, token, remaining);
    }

    function _credit(uint256 trackId, address recipient, address token, uint256 amount) private {
        _credits[token][recipient] += amount;
        emit RevenueCredited(trackId, recipient, token, amount);
    }

    function _withdraw(address token, address to) private {
        uint256 amount = _credits[token][msg.sender];
        require(amount != 0, ContentRegistryNothingToWithdraw(msg.sender, token));
        _credits[token][msg.sender] = 0;
        emit EarningsWithdrawn(msg.sender, to, token, amount);
        _send(token, to, amount);
    }

    function _send(address token, address to, uint256 amount) private {
        if (token != _CORE) return IERC20(token).safeTransfer(to, amount);
        (bool ok, ) = to.call{value: amount}("");
        require(ok, ContentRegistryTransferFailed(to, amount));
    }

    function _balance(address token) private view returns (uint256) {
        return token == _CORE ? address(this).balance : IERC20(token).balanceOf(address(this));
    }

    /// @dev The DAO's one allow-list, kept by the tipping contract: a token is allowed while it has a
    /// minimum tip.
    function _requireAllowedToken(address token) private view {
        require(tipping.minimumTipOf(address(0), token) != 0, ContentRegistryTokenNotAllowed(token));
    }

    function _changeStatus(uint256 trackId, TrackStatus from, TrackStatus to) private {
        Track storage track = _requireTrack(trackId);
        require(track.status == from, ContentRegistryWrongStatus(trackId, track.status));
        track.status = to;
    }

    function _isSplitRecipient(uint256 trackId, uint256 splitCount, address account) private view returns (bool) {
        for (uint256 i; i < splitCount; ++i) {
            if (_splits[trackId][i].recipient == account) return true;
        }
        return false;
    }

    function _requireTrack(uint256 trackId) private view returns (Track storage track) {
        track = _tracks[trackId];
        require(track.artist != address(0), ContentRegistryUnknownTrack(trackId));
    }

    function _requireActive(uint256 trackId) private view returns (Track storage track) {
        track = _requireTrack(trackId);
        require(track.status == TrackStatus.Active, ContentRegistryTrackFrozen(trackId, track.status));
    }

    function _requireActive(uint256 trackId, Track memory track) private pure {
        require(track.artist != address(0), ContentRegistryUnknownTrack(trackId));
        require(track.status == TrackStatus.Active, ContentRegistryTrackFrozen(trackId, track.status));
    }

    function _requireArtist(uint256 trackId) private view returns (Track storage track) {
        track = _requireTrack(trackId);
        require(track.artist == msg.sender, ContentRegistryNotArtist(trackId, msg.sender));
        require(track.status == TrackStatus.Active, ContentRegistryTrackFrozen(trackId, track.status));
    }

    function _requireArtistOffer(uint256 trackId, uint256 offerId) private view returns (LicenseOffer storage) {
        require(offerId < _requireArtist(trackId).offerCount, ContentRegistryUnknownOffer(trackId, offerId));
        return _offers[trackId][offerId];
    }

    function _trackId(string calldata isrc) private pure returns (uint256) {
        (bool valid, uint96 packed) = ISRC.tryPack(isrc);
        require(valid, ContentRegistryInvalidIsrc(isrc));
        return packed;
    }

    function _registrantCode(string calldata code) private pure returns (bytes5 key) {
        bool valid;
        (valid, key) = ISRC.tryPackCode(code);
        require(valid, ContentRegistryInvalidRegistrantCode(code));
    }

    function _tokenId(uint256 trackId, uint256 offerId) private pure returns (uint256) {
        return (trackId << 32) | offerId;
    }
}
