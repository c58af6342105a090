import { BigInt } from "@graphprotocol/graph-ts";
import { Paused, SessionClosed, SessionOpened, Unpaused } from "../generated/LiveStreams/LiveStreams";
import { Stream, StreamSessionEvent } from "../generated/schema";
import {
  createEventId,
  loadOrCreateArtist,
  loadProtocol,
  loadProtocolDailyStats,
  recordPauseChange,
  setEventFields,
} from "./utils";

// LiveStreams: sessions an artist opens and closes. Title and playback id exist only in the event.

export function handleSessionOpened(event: SessionOpened): void {
  let artist = loadOrCreateArtist(event.params.artist);
  artist.streamCount += 1;
  artist.save();

  let stream = new Stream(event.params.streamId.toString());
  stream.artist = artist.id;
  stream.title = event.params.title;
  stream.playbackId = event.params.playbackId;
  // 0 means open to everyone; any other id is a track the contract checked exists.
  if (!event.params.gatingTrackId.isZero()) stream.gatingTrack = event.params.gatingTrackId.toString();
  stream.openedAt = event.block.timestamp;
  stream.isLive = true;
  stream.tipTotal = BigInt.zero();
  stream.tipCount = 0;
  stream.save();

  let row = new StreamSessionEvent(createEventId(event));
  setEventFields(row, event);
  row.stream = stream.id;
  row.artist = artist.id;
  row.kind = "OPENED";
  row.save();

  let protocol = loadProtocol();
  protocol.streamCount += 1;
  protocol.liveStreamCount += 1;
  protocol.save();

  let day = loadProtocolDailyStats(event);
  day.streamsOpened += 1;
  day.save();
}

export function handleSessionClosed(event: SessionClosed): void {
  let peakViewers = event.params.peakViewers;
  let stream = Stream.load(event.params.streamId.toString())!;
  stream.closedAt = event.block.timestamp;
  stream.isLive = false;
  stream.peakViewers = peakViewers;
  stream.save();

  let row = new StreamSessionEvent(createEventId(event));
  setEventFields(row, event);
  row.stream = stream.id;
  row.artist = stream.artist;
  row.kind = "CLOSED";
  row.peakViewers = peakViewers;
  row.save();

  let protocol = loadProtocol();
  protocol.liveStreamCount -= 1;
  protocol.save();
}

export function handlePaused(event: Paused): void {
  recordPauseChange(event, "LIVE", true, event.params.account);
}

export function handleUnpaused(event: Unpaused): void {
  recordPauseChange(event, "LIVE", false, event.params.account);
}
