/**
 * The Livepeer access-control gate's wire protocol. Fans sign in (`sign-in.ts`); the session token is
 * the Livepeer access key the player appends as `?accessKey=`. Livepeer Studio calls the webhook:
 *
 *   POST /livepeer/access-control   AccessControlRequest (+ `Livepeer-Signature`) → AccessControlAllowed
 *   GET  /health                    → LivepeerGateHealth (503 when the chain is unreachable)
 *
 * With a Studio API key on the server (`health.studio`), an artist goes live on Livepeer through it
 * (the key never leaves the server; Bearer = the artist's session token):
 *
 *   POST /livepeer/streams                  RelayCreateRequest → 201 StudioStream (artists only)
 *   POST /livepeer/streams/<id>/gate        RelayGateRequest → 200 (the caller's open session, same playback id)
 *   POST /livepeer/streams/<id>/terminate   → 200 (the stream's creator)
 *
 * Errors: `BadRequest` (400), `SignInRequired` (401: no, forged or expired key, bad signature),
 * `AccessDeniedError` (403: no licence), `Forbidden` (403: not an artist, another artist's stream),
 * `NotFoundError` (404), `SessionMismatch` (409), `RateLimited` (429: too many live streams),
 * `LivepeerUnavailable` (502), `ChainUnavailable` (503).
 */
import type { Address } from "viem";

export const ACCESS_CONTROL_PATH = "/livepeer/access-control";

/** The relay's streams: `${gateUrl}${RELAY_STREAMS_PATH}`, then `/<id>/gate` or `/<id>/terminate`. */
export const RELAY_STREAMS_PATH = "/livepeer/streams";

export interface RelayCreateRequest {
  /** The stream's name in Studio (the session's title). */
  name: string;
  /** Record the session. Default true. */
  record?: boolean;
}

export interface RelayGateRequest {
  /** The on-chain session (decimal) whose licence holders may watch: the webhook's context. */
  streamId: string;
}

/** What Studio posts for a `playback.accessControl` event; `context` is the stream's `webhookContext`. */
export interface AccessControlRequest {
  context: { streamId: string };
  accessKey: string;
  timestamp?: number;
}

export interface AccessControlAllowed {
  allowed: true;
  address: Address;
}

export interface LivepeerGateHealth {
  ok: boolean;
  service: "livepeer-gate";
  chainId: number;
  blockNumber?: string;
  decisions: { allowed: number; denied: number; failed: number };
  /** Whether artists can go live on Livepeer through this server (it has a Studio key). */
  studio: boolean;
  lastFailure?: { at: string; status: number; reason: string };
}
