/**
 * The Livepeer access-control gate's wire protocol. Fans sign in (`sign-in.ts`); the session token is
 * the Livepeer access key the player appends as `?accessKey=`. Livepeer Studio calls the webhook:
 *
 *   POST /livepeer/access-control   AccessControlRequest (+ `Livepeer-Signature`) → AccessControlAllowed
 *   GET  /health                    → LivepeerGateHealth (503 when the chain is unreachable)
 *
 * Errors: `BadRequest` (400), `SignInRequired` (401: no, forged or expired key, bad signature),
 * `AccessDeniedError` (403: no licence), `ChainUnavailable` (503).
 */
import type { Address } from "viem";

export const ACCESS_CONTROL_PATH = "/livepeer/access-control";

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
  lastFailure?: { at: string; status: number; reason: string };
}
