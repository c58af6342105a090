// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// @title ILiveStreams
/// @notice Live sessions: an artist opens one (optionally gated by a track licence), fans tip it by
/// its id, and the artist closes it reporting the peak audience.
interface ILiveStreams {
    /// @notice An on-chain session. `gatingTrackId` 0 means open to everyone.
    struct Session {
        address artist;
        uint96 gatingTrackId;
        uint64 openedAt;
        uint64 closedAt;
        uint32 peakViewers;
    }

    /// @notice Emitted when an artist goes live. Title and playback id live only in this event.
    event SessionOpened(
        uint256 indexed streamId,
        address indexed artist,
        uint256 indexed gatingTrackId,
        string title,
        string playbackId
    );

    /// @notice Emitted when the artist ends the session.
    event SessionClosed(uint256 indexed streamId, address indexed artist, uint256 peakViewers);

    /// @notice Thrown when no session has this id.
    error LiveStreamsUnknownSession(uint256 streamId);

    /// @notice Thrown when someone other than the session's artist closes it.
    error LiveStreamsNotSessionArtist(uint256 streamId, address caller);

    /// @notice Thrown when a session is closed twice.
    error LiveStreamsSessionClosed(uint256 streamId);

    /// @notice Thrown when the gating track is not registered.
    error LiveStreamsUnknownTrack(uint256 trackId);

    /// @notice Thrown when the gating track is not exclusive (everyone could watch).
    error LiveStreamsGateNotExclusive(uint256 trackId);

    /// @notice Thrown when the caller is neither the gating track's artist nor one of its collaborators.
    error LiveStreamsNotRightsHolder(uint256 trackId, address caller);

    /// @notice Thrown when the title is empty or longer than `MAX_TITLE_BYTES`.
    error LiveStreamsInvalidTitle(uint256 length, uint256 maxLength);

    /// @notice Opens a session owned by the caller. Returns its id (from 1; 0 means "no session"). A gate
    /// must be an exclusive track the caller is the artist or a collaborator of.
    function openSession(
        string calldata title,
        string calldata playbackId,
        uint256 gatingTrackId
    ) external returns (uint256 streamId);

    /// @notice Closes the caller's session, recording its peak concurrent viewers.
    function closeSession(uint256 streamId, uint32 peakViewers) external;

    /// @notice A session; reverts for an unknown id.
    function sessionOf(uint256 streamId) external view returns (Session memory);

    /// @notice Whether `account` may watch: ungated sessions are open, gated ones need track access.
    function canWatch(address account, uint256 streamId) external view returns (bool);

    /// @notice The id the next session will get.
    function nextStreamId() external view returns (uint256);
}
