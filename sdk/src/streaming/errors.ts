/**
 * Typed errors of the streaming module. Each has a stable `name`; signalling failures also carry the
 * wire `code` the service sent, so clients can switch on either.
 */
import { HarmonieError } from "../errors.ts";
import type { ServiceErrorName } from "../protocol/http.ts";

/** Error codes the signalling service sends in `{ t: "error", code }`. */
export type SignallingErrorCode =
  | "bad-request"
  | "too-large"
  | "rate-limited"
  | "auth-required"
  | "auth-failed"
  | "unknown-room"
  | "room-full"
  | "access-denied"
  | "not-artist"
  | "forbidden"
  /** The service cannot reach the chain (or failed otherwise); retry later. Carries no detail. */
  | "unavailable"
  | "closed";

/** The signalling service refused a request or the connection failed. */
export class SignallingError extends HarmonieError {
  readonly code: SignallingErrorCode;
  constructor(code: SignallingErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "SignallingError";
    this.code = code;
  }
}

/** The room already holds its maximum number of fans. */
export class RoomFullError extends SignallingError {
  readonly maxFans: number | undefined;
  constructor(message: string, maxFans?: number) {
    super("room-full", message);
    this.name = "RoomFullError";
    this.maxFans = maxFans;
  }
}

/** The wallet may not watch this session: it is gated and the wallet holds no licence for its track. */
export class StreamAccessDeniedError extends SignallingError {
  constructor(message: string) {
    super("access-denied", message);
    this.name = "StreamAccessDeniedError";
  }
}

/** Only the session's artist may publish; this wallet is not it (or the session is closed). */
export class NotSessionArtistError extends SignallingError {
  constructor(message: string) {
    super("not-artist", message);
    this.name = "NotSessionArtistError";
  }
}

/** No artist is live in this room (yet): check the stream id, or wait for the artist to go live. */
export class UnknownRoomError extends SignallingError {
  constructor(message: string) {
    super("unknown-room", message);
    this.name = "UnknownRoomError";
  }
}

/** Livepeer Studio (or a stand-in) rejected a call or answered something unexpected. */
export class LivepeerError extends HarmonieError {
  readonly status: number | undefined;
  /** From a HarmonieCORE relay: the service's error name (e.g. `Forbidden`, `SessionMismatch`). */
  readonly errorName: ServiceErrorName | undefined;
  constructor(message: string, options?: { status?: number; errorName?: ServiceErrorName; cause?: unknown }) {
    super(`Livepeer: ${message}`, options);
    this.name = "LivepeerError";
    this.status = options?.status;
    this.errorName = options?.errorName;
  }
}

/** A WHIP (broadcast) or WHEP (playback) endpoint refused the offer or could not be reached. */
export class WhipError extends HarmonieError {
  readonly status: number | undefined;
  constructor(message: string, status?: number, protocol: "WHIP" | "WHEP" = "WHIP") {
    super(`${protocol}: ${message}`);
    this.name = "WhipError";
    this.status = status;
  }
}

/** The provider cannot do this (e.g. chat on Livepeer, which has no data channel to fans). */
export class StreamingUnsupportedError extends HarmonieError {
  constructor(message: string) {
    super(message);
    this.name = "StreamingUnsupportedError";
  }
}

/** Maps a `{ code, message }` from the service to the matching typed error. */
export function signallingErrorFrom(
  code: SignallingErrorCode,
  message: string,
  details: { maxFans?: number } = {},
): SignallingError {
  switch (code) {
    case "room-full":
      return new RoomFullError(message, typeof details.maxFans === "number" ? details.maxFans : undefined);
    case "access-denied":
      return new StreamAccessDeniedError(message);
    case "not-artist":
      return new NotSessionArtistError(message);
    case "unknown-room":
      return new UnknownRoomError(message);
    default:
      return new SignallingError(code, message);
  }
}
