// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// @title IArtistProfiles
/// @notice One profile per address: a unique handle, a profile document on IPFS (display name, bio,
/// avatar) and an artist flag. Follows are events only: indexers count them, storage does not.
interface IArtistProfiles {
    /// @notice Emitted when `account` creates its profile.
    event ProfileRegistered(address indexed account, string handle, string profileCid, bool isArtist);

    /// @notice Emitted when a profile document changes.
    event ProfileUpdated(address indexed account, string profileCid);

    /// @notice Emitted when a handle changes; the old one becomes free.
    event HandleChanged(address indexed account, string previousHandle, string newHandle);

    /// @notice Emitted when an account marks itself as an artist or not.
    event ArtistStatusChanged(address indexed account, bool isArtist);

    /// @notice Emitted when `follower` follows `artist`.
    event Followed(address indexed follower, address indexed artist);

    /// @notice Emitted when `follower` unfollows `artist`.
    event Unfollowed(address indexed follower, address indexed artist);

    /// @notice Thrown when a handle is not 3–32 characters of lowercase a–z, 0–9 and `_`.
    error ArtistProfilesInvalidHandle(string handle);

    /// @notice Thrown when a handle belongs to another account.
    error ArtistProfilesHandleTaken(string handle);

    /// @notice Thrown when the caller already has a profile.
    error ArtistProfilesAlreadyRegistered(address account);

    /// @notice Thrown when an account has no profile.
    error ArtistProfilesUnknownProfile(address account);

    /// @notice Thrown when a followed account is not an artist.
    error ArtistProfilesNotAnArtist(address account);

    /// @notice Thrown when an account follows itself.
    error ArtistProfilesSelfFollow();

    /// @notice Thrown when the profile CID is empty.
    error ArtistProfilesEmptyProfile();

    /// @notice Creates the caller's profile.
    function register(string calldata handle, string calldata profileCid, bool isArtist) external;

    /// @notice Points the caller's profile at a new document.
    function updateProfile(string calldata profileCid) external;

    /// @notice Changes the caller's handle.
    function changeHandle(string calldata newHandle) external;

    /// @notice Marks the caller as an artist or not.
    function setArtist(bool isArtist) external;

    /// @notice Follows an artist (an event; nothing is stored).
    function follow(address artist) external;

    /// @notice Unfollows an artist (an event; nothing is stored).
    function unfollow(address artist) external;

    /// @notice A profile; reverts for an account without one.
    function profileOf(
        address account
    ) external view returns (string memory handle, string memory profileCid, bool isArtist);

    /// @notice The account holding `handle`, or the zero address.
    function accountOf(string calldata handle) external view returns (address);

    /// @notice Whether `account` has a profile flagged as artist.
    function isArtist(address account) external view returns (bool);
}
