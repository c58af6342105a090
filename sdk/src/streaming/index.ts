/**
 * Live streaming (browser-safe): one provider interface over WebRTC rooms and Livepeer Studio,
 * live tip notices from chain events, WHIP broadcasting, Livepeer ingest and playback URLs. The Studio
 * API client (it needs the API key) is `createLivepeerStudio` in `@harmonie/services`.
 */
export {
  createStreamingProvider,
  type StreamingProvider,
  type StreamingProviderOptions,
  type RoomsProviderOptions,
  type LivepeerProviderOptions,
  type GoLiveParams,
  type LiveBroadcast,
  type WatchParams,
  type LiveWatch,
} from "./provider.ts";
export { connectSignalling, type SignallingConnection, type ConnectSignallingOptions } from "./signalling-client.ts";
export {
  publishRoom,
  joinRoom,
  joinAudience,
  receiveStats,
  type RoomPublisher,
  type RoomViewer,
  type RoomAudience,
  type RtcOptions,
  type ChatMessage,
} from "./rooms.ts";
export { watchTips, createTipFeed, type WatchTipsOptions } from "./tips.ts";
export { publishWhip, playWhep, parseIceLinks, type WhipSession, type WhepPlayback } from "./whip.ts";
export { publishSfu, watchSfu, signInToSfu, SfuError, type SfuConnection, type SfuWatch } from "./sfu.ts";
export {
  livepeerIngestUrl,
  livepeerPlaybackSources,
  livepeerIceServers,
  livepeerRelay,
  signInToLivepeerGate,
  fetchLivepeerPlayback,
  LIVEPEER_INGEST_BASE_URL,
  LIVEPEER_API_URL,
  type LivepeerStudio,
  type StudioStream,
  type PlaybackSources,
  type Recording,
  type MultistreamTarget,
} from "./livepeer.ts";
export { iceServers, type IceServerOptions } from "./ice.ts";
export {
  SignallingError,
  RoomFullError,
  StreamAccessDeniedError,
  NotSessionArtistError,
  UnknownRoomError,
  LivepeerError,
  WhipError,
  StreamingUnsupportedError,
  type SignallingErrorCode,
} from "./errors.ts";
export type { ClientMessage, ServerMessage, RoomMessage, SignalData, TipNotice } from "./protocol.ts";
export type { LivepeerGateHealth } from "../protocol/livepeer-gate.ts";
