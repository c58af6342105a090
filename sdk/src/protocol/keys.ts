/**
 * The key service's wire protocol (exclusive tracks' AES keys), after the sign-in exchange of
 * `sign-in.ts`; requests carry `Authorization: Bearer <token>`.
 *
 *   PUT /keys/<trackId>   DepositKeyRequest → 204        (the track's artist)
 *   GET /keys/<trackId>   → TrackKeyResponse             (a wallet with access)
 *   GET /health           → KeyServiceHealth
 *
 * Errors: `SignInRequired` (401), `SignInError` (401), `Forbidden` (403, not the artist),
 * `AccessDeniedError` (403, no licence), `NotFoundError` (404, no key or no track), `BadRequest` (400).
 */
export interface DepositKeyRequest {
  /** The track's 32-byte AES key, base64. */
  key: string;
}

export interface TrackKeyResponse {
  key: string;
}

export interface KeyServiceHealth {
  ok: true;
  service: "keys";
  chainId: number;
  /** Tracks with a deposited key. */
  tracks: number;
}

/** The path of a track's key. */
export const trackKeyPath = (trackId: bigint) => `/keys/${trackId.toString()}`;
