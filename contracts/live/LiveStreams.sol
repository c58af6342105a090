// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IContentRegistry} from "../interfaces/IContentRegistry.sol";
import {ILiveStreams} from "../interfaces/ILiveStreams.sol";
import {GovernedPausable, Governed} from "../utils/Governed.sol";

/// @title LiveStreams
/// @notice On-chain record of live sessions: who owns each, its gate, and when it ran.
/// @notice Paused (by the guardian or the timelock): `openSession`, the only way to start anything
/// here. Open: `closeSession`, so a show in progress can end and record its audience (it only
/// finishes the artist's own session), and the views — `canWatch` keeps gated sessions gated.
/// Tips naming a session go through HarmonieTipping, which is not pausable by design.
contract LiveStreams is ILiveStreams, GovernedPausable {
    uint256 public constant MAX_TITLE_BYTES = 200;

    /// @notice The registry that answers access checks for gated sessions.
    IContentRegistry public immutable registry;

    mapping(uint256 streamId => Session) private _sessions;
    uint256 private _nextStreamId = 1;

    constructor(
        address governance_,
        address guardianSource_,
        IContentRegistry registry_
    ) Governed(governance_) GovernedPausable(guardianSource_) {
        require(address(registry_) != address(0), GovernedZeroAddress());
        registry = registry_;
    }

    /// @inheritdoc ILiveStreams
    function openSession(
        string calldata title,
        string calldata playbackId,
        uint256 gatingTrackId
    ) external whenNotPaused returns (uint256 streamId) {
        uint256 length = bytes(title).length;
        require(length != 0 && length <= MAX_TITLE_BYTES, LiveStreamsInvalidTitle(length, MAX_TITLE_BYTES));
        if (gatingTrackId != 0) {
            // A gate is the caller's own exclusive track: not someone else's catalogue, and not an open
            // track (which would let everyone in).
            require(registry.exists(gatingTrackId), LiveStreamsUnknownTrack(gatingTrackId));
            require(registry.isExclusive(gatingTrackId), LiveStreamsGateNotExclusive(gatingTrackId));
            require(
                registry.isRightsHolder(msg.sender, gatingTrackId),
                LiveStreamsNotRightsHolder(gatingTrackId, msg.sender)
            );
        }
        streamId = _nextStreamId++;
        _sessions[streamId] = Session({
            artist: msg.sender,
            gatingTrackId: uint96(gatingTrackId), // track ids are packed ISRCs: 96 bits
            openedAt: uint64(block.timestamp),
            closedAt: 0,
            peakViewers: 0
        });
        emit SessionOpened(streamId, msg.sender, gatingTrackId, title, playbackId);
    }

    /// @inheritdoc ILiveStreams
    function closeSession(uint256 streamId, uint32 peakViewers) external {
        Session storage session = _sessions[streamId];
        require(session.artist != address(0), LiveStreamsUnknownSession(streamId));
        require(session.artist == msg.sender, LiveStreamsNotSessionArtist(streamId, msg.sender));
        require(session.closedAt == 0, LiveStreamsSessionClosed(streamId));
        session.closedAt = uint64(block.timestamp);
        session.peakViewers = peakViewers;
        emit SessionClosed(streamId, msg.sender, peakViewers);
    }

    /// @inheritdoc ILiveStreams
    function sessionOf(uint256 streamId) public view returns (Session memory session) {
        session = _sessions[streamId];
        require(session.artist != address(0), LiveStreamsUnknownSession(streamId));
    }

    /// @inheritdoc ILiveStreams
    function canWatch(address account, uint256 streamId) external view returns (bool) {
        Session memory session = sessionOf(streamId);
        return session.gatingTrackId == 0 || registry.hasAccess(account, session.gatingTrackId);
    }

    /// @inheritdoc ILiveStreams
    function nextStreamId() external view returns (uint256) {
        return _nextStreamId;
    }
}
