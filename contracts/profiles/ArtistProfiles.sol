// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IArtistProfiles} from "../interfaces/IArtistProfiles.sol";
import {GovernedPausable, Governed} from "../utils/Governed.sol";

/// @title ArtistProfiles
/// @notice Unique handles and IPFS profile documents.
/// @notice Paused (by the guardian or the timelock): `register`, `updateProfile`, `changeHandle`,
/// `setArtist` and `follow` — everything that claims a handle, points a profile at a document or
/// feeds the indexer's follower counts. Open: `unfollow`, so a fan can always drop an artist (e.g. one
/// whose account was taken over; it writes no storage), and every view.
/// @dev A valid handle is at most 32 ASCII bytes, so it is stored as a left-aligned bytes32 and
/// doubles as the key of the handle → account index.
contract ArtistProfiles is IArtistProfiles, GovernedPausable {
    uint256 public constant MIN_HANDLE_LENGTH = 3;
    uint256 public constant MAX_HANDLE_LENGTH = 32;

    struct Profile {
        bytes32 handle; // zero = no profile
        bool isArtist;
    }

    mapping(address account => Profile) private _profiles;
    mapping(address account => string) private _profileCids;
    mapping(bytes32 handle => address) private _handleOwners;

    constructor(address governance_, address guardianSource_) Governed(governance_) GovernedPausable(guardianSource_) {}

    /// @inheritdoc IArtistProfiles
    function register(string calldata handle, string calldata profileCid, bool artist) external whenNotPaused {
        require(_profiles[msg.sender].handle == 0, ArtistProfilesAlreadyRegistered(msg.sender));
        require(bytes(profileCid).length != 0, ArtistProfilesEmptyProfile());
        _profiles[msg.sender] = Profile({handle: _claimHandle(handle), isArtist: artist});
        _profileCids[msg.sender] = profileCid;
        emit ProfileRegistered(msg.sender, handle, profileCid, artist);
    }

    /// @inheritdoc IArtistProfiles
    function updateProfile(string calldata profileCid) external whenNotPaused {
        _requireProfile(msg.sender);
        require(bytes(profileCid).length != 0, ArtistProfilesEmptyProfile());
        _profileCids[msg.sender] = profileCid;
        emit ProfileUpdated(msg.sender, profileCid);
    }

    /// @inheritdoc IArtistProfiles
    function changeHandle(string calldata newHandle) external whenNotPaused {
        Profile storage profile = _requireProfile(msg.sender);
        bytes32 previous = profile.handle;
        profile.handle = _claimHandle(newHandle);
        delete _handleOwners[previous];
        emit HandleChanged(msg.sender, _toString(previous), newHandle);
    }

    /// @inheritdoc IArtistProfiles
    function setArtist(bool artist) external whenNotPaused {
        _requireProfile(msg.sender).isArtist = artist;
        emit ArtistStatusChanged(msg.sender, artist);
    }

    /// @inheritdoc IArtistProfiles
    function follow(address artist) external whenNotPaused {
        _requireFollowable(artist);
        emit Followed(msg.sender, artist);
    }

    /// @inheritdoc IArtistProfiles
    function unfollow(address artist) external {
        _requireFollowable(artist);
        emit Unfollowed(msg.sender, artist);
    }

    /// @inheritdoc IArtistProfiles
    function profileOf(
        address account
    ) external view returns (string memory handle, string memory profileCid, bool artist) {
        Profile memory profile = _profiles[account];
        require(profile.handle != 0, ArtistProfilesUnknownProfile(account));
        return (_toString(profile.handle), _profileCids[account], profile.isArtist);
    }

    /// @inheritdoc IArtistProfiles
    function accountOf(string calldata handle) external view returns (address) {
        if (bytes(handle).length > MAX_HANDLE_LENGTH) return address(0);
        return _handleOwners[bytes32(bytes(handle))];
    }

    /// @inheritdoc IArtistProfiles
    function isArtist(address account) external view returns (bool) {
        return _profiles[account].isArtist;
    }

    function _claimHandle(string calldata handle) private returns (bytes32 key) {
        bytes calldata b = bytes(handle);
        uint256 length = b.length;
        require(length >= MIN_HANDLE_LENGTH && length <= MAX_HANDLE_LENGTH, ArtistProfilesInvalidHandle(handle));
        for (uint256 i; i < length; ++i) {
            bytes1 c = b[i];
            require((c >= "a" && c <= "z") || (c >= "0" && c <= "9") || c == "_", ArtistProfilesInvalidHandle(handle));
        }
        key = bytes32(b);
        require(_handleOwners[key] == address(0), ArtistProfilesHandleTaken(handle));
        _handleOwners[key] = msg.sender;
    }

    function _requireProfile(address account) private view returns (Profile storage profile) {
        profile = _profiles[account];
        require(profile.handle != 0, ArtistProfilesUnknownProfile(account));
    }

    function _requireFollowable(address artist) private view {
        require(artist != msg.sender, ArtistProfilesSelfFollow());
        require(_profiles[artist].isArtist, ArtistProfilesNotAnArtist(artist));
    }

    /// @dev The handle bytes up to the first zero byte (valid handles contain none).
    function _toString(bytes32 handle) private pure returns (string memory) {
        uint256 length;
        while (length < 32 && handle[length] != 0) ++length;
        bytes memory out = new bytes(length);
        for (uint256 i; i < length; ++i) {
            out[i] = handle[i];
        }
        return string(out);
    }
}
