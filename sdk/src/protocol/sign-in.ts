/**
 * The Sign-In with Ethereum exchange the key service and the Livepeer gate share (signalling runs the
 * same exchange over its socket: `auth` in `streaming/protocol.ts`):
 *
 *   GET  /nonce     → NonceResponse                 a single-use nonce
 *   POST /session   SessionRequest → SessionResponse the session token (Bearer token / Livepeer access key)
 */
import type { Address, Hex } from "viem";

export interface NonceResponse {
  nonce: string;
}

/** A SIWE message naming the service's host as `domain` and a nonce from `/nonce`, and its signature. */
export interface SessionRequest {
  message: string;
  signature: Hex;
}

export interface SessionResponse {
  token: string;
  address: Address;
}

export const SIGN_IN_ROUTES = { nonce: "/nonce", session: "/session" } as const;
